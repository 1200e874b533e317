// Minimal XML writing and reading for the handful of S3 documents we emit and accept (no dependency, strict enough to say MalformedXML).
import { S3Error } from './errors.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text; control characters become references because keys may contain any UTF-8. */
export function escapeXml(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\r\n\u0085\u2028]/g, (ch) => ESCAPES[ch] ?? `&#x${ch.charCodeAt(0).toString(16).toUpperCase()};`);
}

export type XmlChild = string | false | undefined | null;

/** One element; `undefined` content omits the element so optional fields stay optional. */
export function el(name: string, content: string | number | boolean | undefined | null): string {
  if (content === undefined || content === null) return '';
  return `<${name}>${typeof content === 'string' ? escapeXml(content) : String(content)}</${name}>`;
}

/** An element whose children are already-rendered XML. */
export function node(name: string, children: XmlChild[]): string {
  return `<${name}>${children.filter((c): c is string => typeof c === 'string').join('')}</${name}>`;
}

export function xmlDocument(root: string, children: XmlChild[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${children
    .filter((c): c is string => typeof c === 'string')
    .join('')}</${root}>`;
}

export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

export class XmlSyntaxError extends Error {}

/** A request body as S3 reads one: anything that is not well-formed XML is 400 MalformedXML. */
export function parseRequestXml(body: Buffer): XmlElement {
  try {
    return parseXml(body.toString('utf8'));
  } catch (error) {
    // RangeError: a character reference beyond Unicode.
    if (error instanceof XmlSyntaxError || error instanceof RangeError) throw new S3Error('MalformedXML');
    throw error;
  }
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]+);/g, (m, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const named = NAMED[ref];
    if (named === undefined) throw new XmlSyntaxError(`unknown entity ${m}`);
    return named;
  });
}

/** Parses a document into elements (attributes ignored, namespaces stripped from names). */
export function parseXml(source: string): XmlElement {
  let i = 0;
  const n = source.length;
  /** Moves past the next `terminator` and answers where it starts; XmlSyntaxError when there is none. */
  const skipPast = (terminator: string, what: string): number => {
    const end = source.indexOf(terminator, i);
    if (end < 0) throw new XmlSyntaxError(`unterminated ${what}`);
    i = end + terminator.length;
    return end;
  };
  const skipMisc = (): void => {
    for (;;) {
      while (i < n && /\s/.test(source[i] ?? '')) i++;
      if (source.startsWith('<?', i)) skipPast('?>', 'declaration');
      else if (source.startsWith('<!--', i)) skipPast('-->', 'comment');
      else return;
    }
  };
  const parseElement = (): XmlElement => {
    if (source[i] !== '<') throw new XmlSyntaxError('expected element');
    const tagStart = i;
    let inner = source.slice(tagStart + 1, skipPast('>', 'tag'));
    const selfClosing = inner.endsWith('/');
    if (selfClosing) inner = inner.slice(0, -1);
    const rawName = inner.trim().split(/\s+/)[0] ?? '';
    if (!/^[A-Za-z_][\w.:-]*$/.test(rawName)) throw new XmlSyntaxError('bad element name');
    const name = rawName.includes(':') ? rawName.slice(rawName.indexOf(':') + 1) : rawName;
    const element: XmlElement = { name, children: [], text: '' };
    if (selfClosing) return element;
    for (;;) {
      if (i >= n) throw new XmlSyntaxError(`unclosed <${rawName}>`);
      if (source.startsWith('</', i)) {
        const end = source.indexOf('>', i);
        if (end < 0 || source.slice(i + 2, end).trim() !== rawName) throw new XmlSyntaxError(`mismatched </${rawName}>`);
        i = end + 1;
        return element;
      }
      if (source.startsWith('<!--', i)) {
        skipPast('-->', 'comment');
      } else if (source.startsWith('<![CDATA[', i)) {
        const start = i + '<![CDATA['.length;
        element.text += source.slice(start, skipPast(']]>', 'CDATA'));
      } else if (source[i] === '<') {
        element.children.push(parseElement());
      } else {
        const next = source.indexOf('<', i);
        const end = next < 0 ? n : next;
        element.text += decodeEntities(source.slice(i, end));
        i = end;
      }
    }
  };
  skipMisc();
  const root = parseElement();
  skipMisc();
  if (i < n) throw new XmlSyntaxError('content after root element');
  return root;
}

export function childText(element: XmlElement, name: string): string | undefined {
  return element.children.find((c) => c.name === name)?.text;
}
