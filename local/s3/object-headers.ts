// Object headers: read from write requests, stored, echoed on reads; plus the conditional-request rules around them.
import { header, type Ctx } from './context.js';
import { S3Error } from './errors.js';
import type { ObjectHeaders, ObjectMeta, Precondition } from './object-store.js';

const MAX_USER_METADATA_BYTES = 2048;

export interface RequestedHeaders {
  headers: ObjectHeaders;
  userMeta: Record<string, string>;
}

/** Removes the transport-only aws-chunked token (S3 does not store it). */
function storedContentEncoding(value: string | undefined): string | undefined {
  const kept = (value ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '' && t.toLowerCase() !== 'aws-chunked');
  return kept.length ? kept.join(',') : undefined;
}

export function checkUserMeta(userMeta: Record<string, string>): void {
  const bytes = Object.entries(userMeta).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (bytes > MAX_USER_METADATA_BYTES) throw new S3Error('MetadataTooLarge', undefined, { Size: bytes, MaxSizeAllowed: MAX_USER_METADATA_BYTES });
}

export function headersFromRequest(ctx: Ctx): RequestedHeaders {
  const userMeta: Record<string, string> = {};
  for (const [name, value] of Object.entries(ctx.req.headersDistinct)) {
    if (name.startsWith('x-amz-meta-') && value) userMeta[name.slice('x-amz-meta-'.length)] = value.join(',');
  }
  checkUserMeta(userMeta);
  return {
    headers: {
      contentType: header(ctx, 'content-type') ?? 'binary/octet-stream',
      contentDisposition: header(ctx, 'content-disposition'),
      contentEncoding: storedContentEncoding(header(ctx, 'content-encoding')),
      contentLanguage: header(ctx, 'content-language'),
      cacheControl: header(ctx, 'cache-control'),
      expires: header(ctx, 'expires'),
    },
    userMeta,
  };
}

/**
 * Header values are kept as the latin1 strings Node hands us, so UTF-8 bytes round-trip unchanged; values that came
 * from elsewhere (form fields) may hold wider characters and are re-encoded the same way.
 */
export function wire(value: string): string {
  return /[\u0100-\uffff]/.test(value) ? Buffer.from(value, 'utf8').toString('latin1') : value;
}

export function objectResponseHeaders(meta: ObjectMeta): Record<string, string | number> {
  const out: Record<string, string | number> = {
    ETag: meta.etag,
    'Last-Modified': new Date(meta.lastModified).toUTCString(),
    'Content-Type': wire(meta.contentType),
    'Accept-Ranges': 'bytes',
  };
  if (meta.contentDisposition !== undefined) out['Content-Disposition'] = wire(meta.contentDisposition);
  if (meta.contentEncoding !== undefined) out['Content-Encoding'] = wire(meta.contentEncoding);
  if (meta.contentLanguage !== undefined) out['Content-Language'] = wire(meta.contentLanguage);
  if (meta.cacheControl !== undefined) out['Cache-Control'] = wire(meta.cacheControl);
  if (meta.expires !== undefined) out['Expires'] = wire(meta.expires);
  for (const [name, value] of Object.entries(meta.userMeta)) out[`x-amz-meta-${name}`] = wire(value);
  if (meta.tags?.length) out['x-amz-tagging-count'] = meta.tags.length;
  return out;
}

function etagListMatches(list: string, etag: string): boolean {
  const bare = etag.replace(/"/g, '');
  return list.split(',').some((t) => {
    const token = t.trim().replace(/^W\//, '').replace(/"/g, '');
    return token === '*' || token === bare;
  });
}

/** If-None-Match: * (create only) and If-Match: <etag> (replace only that version), checked again at commit. */
export function writePrecondition(ctx: Ctx): Precondition | undefined {
  const ifNoneMatch = header(ctx, 'if-none-match');
  const ifMatch = header(ctx, 'if-match');
  if (ifNoneMatch === undefined && ifMatch === undefined) return undefined;
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*') throw new S3Error('NotImplemented', 'If-None-Match on writes only supports *', { Header: 'If-None-Match' });
  return (existing) => {
    if (ifNoneMatch !== undefined && existing) throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-None-Match' });
    if (ifMatch !== undefined && (!existing || !etagListMatches(ifMatch, existing.etag))) throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-Match' });
  };
}

/** GET/HEAD conditions: returns 304 when the client's copy is current, throws 412 when a requirement fails. */
export function readPrecondition(ctx: Ctx, meta: ObjectMeta): 304 | undefined {
  const ifMatch = header(ctx, 'if-match');
  const ifNoneMatch = header(ctx, 'if-none-match');
  const ifModifiedSince = header(ctx, 'if-modified-since');
  const ifUnmodifiedSince = header(ctx, 'if-unmodified-since');
  const modified = new Date(meta.lastModified).getTime();
  if (ifMatch !== undefined) {
    if (!etagListMatches(ifMatch, meta.etag)) throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-Match' });
  } else if (ifUnmodifiedSince !== undefined) {
    const since = Date.parse(ifUnmodifiedSince);
    if (!Number.isNaN(since) && modified > since) throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-Unmodified-Since' });
  }
  if (ifNoneMatch !== undefined) {
    if (etagListMatches(ifNoneMatch, meta.etag)) return 304;
  } else if (ifModifiedSince !== undefined) {
    const since = Date.parse(ifModifiedSince);
    if (!Number.isNaN(since) && modified <= since) return 304;
  }
  return undefined;
}
