// PutObject, GetObject, HeadObject and DeleteObject.
import { pipeline } from 'node:stream/promises';
import { receiveToFile } from '../body.js';
import { header, send, wholeSeconds, type Bucket, type Ctx, type Env } from '../context.js';
import { S3Error } from '../errors.js';
import { removeQuietly } from '../fs-util.js';
import { headersFromRequest, objectResponseHeaders, readPrecondition, wire, writePrecondition } from '../object-headers.js';
import type { ObjectMeta } from '../object-store.js';
import { parseRange } from '../range.js';

export const MAX_SINGLE_UPLOAD = 5 * 1024 ** 3;

const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'Content-Type',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
  'response-content-language': 'Content-Language',
  'response-cache-control': 'Cache-Control',
  'response-expires': 'Expires',
};

export function checksumHeader(checksum: ObjectMeta['checksum']): Record<string, string> {
  return checksum ? { [`x-amz-checksum-${checksum.algorithm}`]: checksum.value } : {};
}

export async function putObject(ctx: Ctx, env: Env, bucket: Bucket): Promise<void> {
  const key = ctx.key!;
  const { headers, userMeta } = headersFromRequest(ctx);
  const check = writePrecondition(ctx);
  // Fail before the body is sent when we already know the answer (the commit re-checks under the key lock).
  if (check) bucket.objects.check(key, check);
  const blob = await bucket.objects.newBlob(key);
  try {
    const info = await receiveToFile(ctx, blob, MAX_SINGLE_UPLOAD);
    const meta = await bucket.objects.put(
      key,
      blob,
      { ...headers, userMeta, size: info.size, etag: `"${info.md5.toString('hex')}"`, lastModified: wholeSeconds(env.now()), checksum: info.checksum },
      check,
    );
    send(ctx, 200, { ETag: meta.etag, ...checksumHeader(info.checksum) });
  } catch (error) {
    await removeQuietly(blob);
    throw error;
  }
}

export async function getObject(ctx: Ctx, _env: Env, bucket: Bucket): Promise<void> {
  const head = ctx.method === 'HEAD';
  const opened = head ? undefined : await bucket.objects.openBody(ctx.key!);
  const meta = opened?.meta ?? bucket.objects.get(ctx.key!);
  if (!meta) throw new S3Error('NoSuchKey', undefined, { Key: ctx.key });
  try {
    const headers = objectResponseHeaders(meta);
    if (readPrecondition(ctx, meta) === 304) {
      send(ctx, 304, { ETag: meta.etag, 'Last-Modified': headers['Last-Modified']! });
      return;
    }
    for (const [param, name] of Object.entries(RESPONSE_OVERRIDES)) {
      const value = ctx.query.get(param);
      if (value !== undefined) headers[name] = wire(value);
    }
    const range = parseRange(header(ctx, 'range'), meta.size);
    if (range.kind === 'unsatisfiable') {
      throw new S3Error('InvalidRange', undefined, { RangeRequested: header(ctx, 'range'), ActualObjectSize: meta.size }, { 'Content-Range': `bytes */${meta.size}` });
    }
    const start = range.kind === 'range' ? range.start : 0;
    const end = range.kind === 'range' ? range.end : meta.size - 1;
    if (range.kind === 'range') {
      headers['Content-Range'] = `bytes ${start}-${end}/${meta.size}`;
    } else if (header(ctx, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED' && meta.checksum) {
      // Only whole single-part bodies: that is what the SDK can validate.
      Object.assign(headers, checksumHeader(meta.checksum));
    }
    headers['Content-Length'] = end - start + 1;
    const status = range.kind === 'range' ? 206 : 200;
    if (head || meta.size === 0) {
      send(ctx, status, headers);
      return;
    }
    for (const [name, value] of Object.entries(headers)) ctx.res.setHeader(name, value);
    ctx.res.writeHead(status);
    const stream = opened!.handle.createReadStream({ start, end, highWaterMark: 1 << 20 });
    try {
      await pipeline(stream, ctx.res);
    } catch {
      // the client stopped reading; nothing to report to it
    }
  } finally {
    // Idempotent: the read stream may already have closed it.
    if (opened) await opened.handle.close().catch(() => undefined);
  }
}

export async function deleteObject(ctx: Ctx, _env: Env, bucket: Bucket): Promise<void> {
  await bucket.objects.delete(ctx.key!);
  send(ctx, 204);
}
