// PutObject, GetObject, HeadObject and DeleteObject.
import { pipeline } from 'node:stream/promises';
import { assertMayRead, assertMayRequestTags } from '../access.js';
import { receiveToFile } from '../body.js';
import { DEFAULT_CHECKSUM_ALGORITHM, type ChecksumType, type ObjectChecksum } from '../checksums.js';
import { header, send, wholeSeconds, type Bucket, type Ctx, type Env } from '../context.js';
import { S3Error } from '../errors.js';
import { eventObject, recordEvent } from '../events.js';
import { removeQuietly } from '../fs-util.js';
import { headersFromRequest, objectResponseHeaders, readPrecondition, wire, writePrecondition } from '../object-headers.js';
import { parseRange } from '../range.js';
import { requestedTags } from '../tagging.js';
import { S3_MAX_PART_BYTES } from '../../../contract/limits.js';

/** S3's largest single PUT (and POST), the size of its largest part. */
export const MAX_SINGLE_UPLOAD = S3_MAX_PART_BYTES;

const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'Content-Type',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
  'response-content-language': 'Content-Language',
  'response-cache-control': 'Cache-Control',
  'response-expires': 'Expires',
};

/** x-amz-checksum-<alg>, and x-amz-checksum-type where S3 sends it (objects, not parts). */
export function checksumHeaders(checksum: ObjectChecksum | undefined, type?: ChecksumType): Record<string, string> {
  if (!checksum) return {};
  return { [`x-amz-checksum-${checksum.algorithm}`]: checksum.value, ...(type ? { 'x-amz-checksum-type': type } : {}) };
}

export async function putObject(ctx: Ctx, env: Env, bucket: Bucket): Promise<void> {
  const key = ctx.key!;
  const { headers, userMeta } = headersFromRequest(ctx);
  const tags = requestedTags(ctx);
  assertMayRequestTags(env, ctx, key, tags);
  const check = writePrecondition(ctx);
  // Fail before the body is sent when we already know the answer (the commit re-checks under the key lock).
  if (check) bucket.objects.check(key, check);
  const blob = await bucket.objects.newBlob(key);
  try {
    // Sent without a checksum, the object gets S3's default one.
    const info = await receiveToFile(ctx, blob, MAX_SINGLE_UPLOAD, { defaultAlgorithm: DEFAULT_CHECKSUM_ALGORITHM });
    const meta = await bucket.objects.put(
      key,
      blob,
      {
        ...headers,
        userMeta,
        size: info.size,
        etag: `"${info.md5.toString('hex')}"`,
        lastModified: wholeSeconds(env.now()),
        checksum: info.checksum,
        checksumType: 'FULL_OBJECT',
        tags: tags?.length ? tags : undefined,
      },
      check,
    );
    recordEvent(ctx, env, bucket, 'Object Created', eventObject(meta, meta.sequencer, true), { reason: 'PutObject' });
    send(ctx, 200, { ETag: meta.etag, ...checksumHeaders(info.checksum, 'FULL_OBJECT') });
  } catch (error) {
    await removeQuietly(blob);
    throw error;
  }
}

export async function getObject(ctx: Ctx, env: Env, bucket: Bucket): Promise<void> {
  const key = ctx.key!;
  const head = ctx.method === 'HEAD';
  // The bucket policy is evaluated before the object is looked at (a missing object is denied too).
  assertMayRead(env, ctx, key, bucket.objects.get(key));
  const opened = head ? undefined : await bucket.objects.openBody(key);
  const meta = opened?.meta ?? bucket.objects.get(key);
  if (!meta) throw new S3Error('NoSuchKey', undefined, { Key: key });
  try {
    // Again for the version actually opened: it may have been replaced (or re-tagged) in between.
    assertMayRead(env, ctx, key, meta);
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
    } else if (header(ctx, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED') {
      // Only for whole bodies: a range's bytes do not have the object's checksum.
      Object.assign(headers, checksumHeaders(meta.checksum, meta.checksumType ?? 'FULL_OBJECT'));
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

export async function deleteObject(ctx: Ctx, env: Env, bucket: Bucket): Promise<void> {
  await deleteAndRecord(ctx, env, bucket, ctx.key!);
  send(ctx, 204);
}

/** Deletes `key` (unversioned: gone for good) and records the event, if there was an object to delete. */
export async function deleteAndRecord(ctx: Ctx, env: Env, bucket: Bucket, key: string): Promise<void> {
  const deletion = await bucket.objects.delete(key);
  if (deletion) {
    recordEvent(ctx, env, bucket, 'Object Deleted', eventObject(deletion.deleted, deletion.sequencer, false), {
      reason: 'DeleteObject',
      'deletion-type': 'Permanently Deleted',
    });
  }
}
