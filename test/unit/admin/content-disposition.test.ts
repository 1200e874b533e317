import { describe, expect, it } from 'vitest';
import { attachmentDisposition, cleanFilename } from '../../../lambdas/admin/content-disposition.js';

describe('attachmentDisposition', () => {
  it.each([
    ['report.pdf', 'attachment; filename="report.pdf"'],
    ['my report (final).pdf', 'attachment; filename="my report (final).pdf"'], // quoted-string needs no filename*
    ['résumé.pdf', `attachment; filename="resume.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`],
    ['Übersicht März.xlsx', `attachment; filename="Ubersicht Marz.xlsx"; filename*=UTF-8''%C3%9Cbersicht%20M%C3%A4rz.xlsx`],
    ['日本語.txt', `attachment; filename="___.txt"; filename*=UTF-8''%E6%97%A5%E6%9C%AC%E8%AA%9E.txt`],
    ['emoji 😀.png', `attachment; filename="emoji __.png"; filename*=UTF-8''emoji%20%F0%9F%98%80.png`],
    ['say "hi".txt', `attachment; filename="say _hi_.txt"; filename*=UTF-8''say%20%22hi%22.txt`],
    ['back\\slash.txt', `attachment; filename="back_slash.txt"`],
    ['100%.txt', `attachment; filename="100_.txt"; filename*=UTF-8''100%25.txt`],
    ["it's*.txt", `attachment; filename="it's*.txt"`],
    ["l'été*.txt", `attachment; filename="l'ete*.txt"; filename*=UTF-8''l%27%C3%A9t%C3%A9%2A.txt`], // ' and * are not attr-chars
    ['evil\r\nSet-Cookie: x=1.txt', 'attachment; filename="evilSet-Cookie: x=1.txt"'],
    ['../../etc/passwd', 'attachment; filename="_.._etc_passwd"'],
    ['', 'attachment; filename="download"'],
  ])('%j', (name, expected) => {
    expect(attachmentDisposition(name)).toBe(expected);
  });

  it('produces only printable ASCII (safe as a header and as a presigned query value)', () => {
    for (const name of ['naïve café.doc', '中文 文件.zip', 'tab\there.txt', 'x\u0085y.bin']) {
      expect(attachmentDisposition(name)).toMatch(/^[\x20-\x7e]+$/);
    }
  });

  it('round-trips the UTF-8 name through filename*', () => {
    const name = 'Ångström – 東京 😀 (v2).tar.gz';
    const encoded = /filename\*=UTF-8''(.+)$/.exec(attachmentDisposition(name))![1]!;
    expect(encoded).toMatch(/^[A-Za-z0-9!#$&+\-.^_`|~%]+$/); // RFC 5987 attr-char or %XX
    expect(decodeURIComponent(encoded)).toBe(name);
  });

  it('cleanFilename trims dots and spaces and keeps inner ones', () => {
    expect(cleanFilename(' .hidden file. ')).toBe('hidden file');
  });
});
