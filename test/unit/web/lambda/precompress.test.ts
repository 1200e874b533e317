import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { measureOutput, oversizedFiles, precompress } from '../../../../web/build/precompress.js';
import { MAX_ENCODED_BODY_BYTES } from '../../../../contract/response-limit.js';
import { makeSite, removeSites } from './fixture.js';

afterAll(removeSites);

describe('build output for the web Lambda', () => {
  it('writes .br and .gz siblings of compressible files only', () => {
    const site = makeSite({ 'assets/app-9.css': `.a{color:red}${' '.repeat(4000)}`, 'assets/tiny-1.js': 'x' });
    precompress(site);
    const css = readFileSync(join(site, 'assets/app-9.css'));
    expect(brotliDecompressSync(readFileSync(join(site, 'assets/app-9.css.br')))).toEqual(css);
    expect(gunzipSync(readFileSync(join(site, 'assets/app-9.css.gz')))).toEqual(css);
    expect(existsSync(join(site, 'assets/logo-123.png.br'))).toBe(false);
    expect(existsSync(join(site, 'assets/tiny-1.js.br'))).toBe(false);
  });

  it('counts base64 for binary and compressed files and flags what would not fit in an ALB response', () => {
    const site = makeSite({
      'assets/text-ok.js': Buffer.alloc(MAX_ENCODED_BODY_BYTES - 100, 'a'),
      'assets/bin-too-big.png': Buffer.alloc(750_000, 1),
      'assets/bin-ok.png': Buffer.alloc(700_000, 1),
    });
    const files = measureOutput(site);
    expect(files.find((f) => f.path === 'assets/text-ok.js')?.encodedBytes).toBe(MAX_ENCODED_BODY_BYTES - 100);
    expect(files.find((f) => f.path === 'assets/bin-ok.png')?.encodedBytes).toBe(933_336);
    expect(oversizedFiles(files).map((f) => f.path)).toEqual(['assets/bin-too-big.png']);
  });

  // `npm test` builds the pages first; the same check the Vite build runs, on the real output.
  const dist = join(process.cwd(), 'dist/web');
  it.runIf(existsSync(join(dist, 'index.html')))('the built pages fit, and both pages and the signed-out page exist', () => {
    expect(oversizedFiles(measureOutput(dist))).toEqual([]);
    for (const page of ['index.html', 'admin/index.html', 'signed-out.html', 'public/signed-out.css']) expect(existsSync(join(dist, page)), page).toBe(true);
    const admin = readFileSync(join(dist, 'admin/index.html'), 'utf8');
    // The console only loads through /admin/... (an admin session never reaches /assets/*).
    expect([...admin.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((url) => !url!.startsWith('/admin/') && !url!.startsWith('data:'))).toEqual([]);
    const signedOut = readFileSync(join(dist, 'signed-out.html'), 'utf8');
    expect([...signedOut.matchAll(/(?:src|href)="(\/[^"]*)"/g)].map((m) => m[1]).filter((url) => !url!.startsWith('/public/') && url !== '/' && url !== '/admin')).toEqual([]);
    // Strict CSP: no inline scripts or handlers in any page.
    for (const page of ['index.html', 'admin/index.html', 'signed-out.html']) {
      const html = readFileSync(join(dist, page), 'utf8');
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/\son[a-z]+=/i);
      expect(html).not.toMatch(/<style/);
    }
  });
});
