// Object tags as S3 takes them: the x-amz-tagging header (URL query form), the Tagging XML document, and S3's limits.
import { header, type Ctx } from './context.js';
import { S3Error } from './errors.js';
import { childText, el, node, parseRequestXml, xmlDocument } from './xml.js';

export interface Tag {
  key: string;
  value: string;
}

/** S3's object tag limits (bucket tags allow 50; objects only 10). */
export const MAX_OBJECT_TAGS = 10;
const MAX_KEY_CHARS = 128;
const MAX_VALUE_CHARS = 256;

/** S3 counts Unicode characters, not UTF-16 units or bytes. */
const chars = (s: string): number => [...s].length;

/** Applies S3's rules in its order: each tag as it comes (length, reserved prefix, duplicate), then the count. */
export function checkTags(tags: Tag[]): Tag[] {
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    if (chars(key) === 0 || chars(key) > MAX_KEY_CHARS) throw new S3Error('InvalidTag', 'The TagKey you have provided is invalid');
    if (chars(value) > MAX_VALUE_CHARS) throw new S3Error('InvalidTag', 'The TagValue you have provided is invalid');
    if (key.startsWith('aws:')) throw new S3Error('InvalidTag', 'Your TagKey cannot be prefixed with aws:');
    if (seen.has(key)) throw new S3Error('InvalidTag', 'Cannot provide multiple Tags with the same key');
    seen.add(key);
  }
  if (tags.length > MAX_OBJECT_TAGS) throw new S3Error('BadRequest', `Object tags cannot be greater than ${MAX_OBJECT_TAGS}`);
  return tags;
}

/** `k1=v1&k2=v2`, URL-encoded like a query string; a name without `=` is a tag with an empty value. */
export function parseTaggingHeader(value: string): Tag[] {
  const tags = [...new URLSearchParams(value)].map(([key, v]) => ({ key, value: v }));
  if (new Set(tags.map((t) => t.key)).size !== tags.length) {
    throw new S3Error('InvalidArgument', "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.", { ArgumentName: 'x-amz-tagging', ArgumentValue: value });
  }
  return checkTags(tags);
}

/**
 * The tags a write request asks for (PutObject, CreateMultipartUpload): the x-amz-tagging header, or the same name
 * hoisted into a presigned URL's query (the presigner moves every x-amz-* header there; S3 honours it).
 */
export function requestedTags(ctx: Ctx): Tag[] | undefined {
  const value = header(ctx, 'x-amz-tagging') ?? (ctx.auth?.presigned ? ctx.query.getIgnoreCase('x-amz-tagging') : undefined);
  return value === undefined ? undefined : parseTaggingHeader(value);
}

/** `<Tagging><TagSet><Tag><Key/><Value/></Tag>...</TagSet></Tagging>` (PutObjectTagging, the POST `tagging` field). */
export function parseTaggingXml(body: Buffer | string): Tag[] {
  const root = parseRequestXml(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  const tagSets = root.children.filter((c) => c.name === 'TagSet');
  if (root.name !== 'Tagging' || tagSets.length !== 1) throw new S3Error('MalformedXML');
  const tags = tagSets[0]!.children.map((element) => {
    const key = childText(element, 'Key');
    const value = childText(element, 'Value');
    if (element.name !== 'Tag' || key === undefined || value === undefined) throw new S3Error('MalformedXML');
    return { key, value };
  });
  return checkTags(tags);
}

export function taggingDocument(tags: readonly Tag[]): string {
  return xmlDocument('Tagging', [node('TagSet', tags.map((t) => node('Tag', [el('Key', t.key), el('Value', t.value)])))]);
}
