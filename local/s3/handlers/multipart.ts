// Multipart upload operations: create, upload part, list parts, complete (validated, streamed concatenation), abort, list uploads.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { receiveToBuffer, receiveToFile } from '../body.js';
import { isChecksumAlgorithm, type ChecksumAlgorithm } from '../checksums.js';
import { header, iso, send, sendXml, wholeSeconds, type Bucket, type Ctx, type Env } from '../context.js';
import { S3Error } from '../errors.js';
import { removeQuietly } from '../fs-util.js';
import { compareKeys } from '../key-index.js';
import { MAX_LIST_KEYS, parseMaxKeys } from '../listing.js';
import type { PartMeta, Upload } from '../multipart-store.js';
import { headersFromRequest, writePrecondition } from '../object-headers.js';
import { el, node, parseRequestXml, xmlDocument, type XmlElement } from '../xml.js';
import { checksumHeader } from './objects.js';

export const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PART_SIZE = 5 * 1024 ** 3;
const MAX_PARTS = 10_000;
const MAX_COMPLETE_BODY = 4 * 1024 * 1024;

const OWNER = node('Owner', [el('ID', 'local-s3-owner'), el('DisplayName', 'local')]);
const INITIATOR = node('Initiator', [el('ID', 'local-s3-owner'), el('DisplayName', 'local')]);

function partNumberParam(ctx: Ctx): number {
  const value = ctx.query.get('partNumber') ?? '';
  const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_PARTS)) {
    throw new S3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', { ArgumentName: 'partNumber', ArgumentValue: value });
  }
  return n;
}

/** The upload named by ?uploadId, which must belong to the key in the path. */
function findUpload(ctx: Ctx, bucket: Bucket): Upload {
  const uploadId = ctx.query.get('uploadId') ?? '';
  const upload = bucket.uploads.get(uploadId);
  if (!upload || upload.meta.key !== ctx.key) throw new S3Error('NoSuchUpload', undefined, { UploadId: uploadId });
  return upload;
}

const quoteless = (etag: string): string => etag.trim().replace(/^"|"$/g, '');
const checksumElement = (algorithm: ChecksumAlgorithm): string => `Checksum${algorithm.toUpperCase()}`;

export async function createMultipartUpload(ctx: Ctx, env: Env, bucket: Bucket): Promise<void> {
  const { headers, userMeta } = headersFromRequest(ctx);
  const requested = header(ctx, 'x-amz-checksum-algorithm')?.toLowerCase();
  if (requested !== undefined && !isChecksumAlgorithm(requested)) throw new S3Error('InvalidRequest', `Checksum algorithm ${requested} is not supported.`);
  const upload = await bucket.uploads.create({ key: ctx.key!, initiated: iso(env.now()), ...headers, userMeta, checksumAlgorithm: requested });
  sendXml(
    ctx,
    200,
    xmlDocument('InitiateMultipartUploadResult', [el('Bucket', bucket.name), el('Key', ctx.key!), el('UploadId', upload.id)]),
    requested ? { 'x-amz-checksum-algorithm': requested.toUpperCase() } : {},
  );
}

export async function uploadPart(ctx: Ctx, env: Env, bucket: Bucket): Promise<void> {
  const partNumber = partNumberParam(ctx);
  const upload = findUpload(ctx, bucket);
  if (upload.completion) throw new S3Error('OperationAborted');
  const blob = bucket.uploads.newPartBlob(upload, partNumber);
  try {
    const info = await receiveToFile(ctx, blob, MAX_PART_SIZE);
    const part = await bucket.uploads.putPart(
      upload,
      { partNumber, etag: `"${info.md5.toString('hex')}"`, size: info.size, lastModified: wholeSeconds(env.now()), checksum: info.checksum },
      blob,
    );
    send(ctx, 200, { ETag: part.etag, ...checksumHeader(info.checksum) });
  } catch (error) {
    await removeQuietly(blob);
    // Aborted while the part was arriving: its folder is gone.
    if (upload.removed) throw new S3Error('NoSuchUpload', undefined, { UploadId: upload.id });
    throw error;
  }
}

export async function listParts(ctx: Ctx, _env: Env, bucket: Bucket): Promise<void> {
  const upload = findUpload(ctx, bucket);
  const maxParts = parseMaxKeys(ctx.query.get('max-parts'), 'max-parts');
  const markerValue = ctx.query.get('part-number-marker') ?? '0';
  if (!/^\d{1,5}$/.test(markerValue)) throw new S3Error('InvalidArgument', 'Provided part-number-marker not an integer or within integer range', { ArgumentName: 'part-number-marker', ArgumentValue: markerValue });
  const marker = Number(markerValue);
  const remaining = upload.sortedParts().filter((p) => p.partNumber > marker);
  const page = remaining.slice(0, maxParts);
  const truncated = remaining.length > page.length;
  const algorithm = upload.meta.checksumAlgorithm;
  sendXml(
    ctx,
    200,
    xmlDocument('ListPartsResult', [
      el('Bucket', bucket.name),
      el('Key', upload.meta.key),
      el('UploadId', upload.id),
      INITIATOR,
      OWNER,
      el('StorageClass', 'STANDARD'),
      el('PartNumberMarker', marker),
      el('NextPartNumberMarker', page.length ? page[page.length - 1]!.partNumber : marker),
      el('MaxParts', maxParts),
      el('IsTruncated', truncated),
      algorithm && el('ChecksumAlgorithm', algorithm.toUpperCase()),
      ...page.map((p) =>
        node('Part', [
          el('PartNumber', p.partNumber),
          el('LastModified', p.lastModified),
          el('ETag', p.etag),
          el('Size', p.size),
          p.checksum && el(checksumElement(p.checksum.algorithm), p.checksum.value),
        ]),
      ),
    ]),
  );
}

interface RequestedPart {
  partNumber: number;
  etag: string;
  element: XmlElement;
}

function parseCompleteBody(body: Buffer): RequestedPart[] {
  const root = parseRequestXml(body);
  if (root.name !== 'CompleteMultipartUpload') throw new S3Error('MalformedXML');
  const parts = root.children.filter((c) => c.name === 'Part');
  if (parts.length === 0 || parts.length > MAX_PARTS) throw new S3Error('MalformedXML');
  return parts.map((element) => {
    const number = element.children.find((c) => c.name === 'PartNumber')?.text.trim() ?? '';
    const etag = element.children.find((c) => c.name === 'ETag')?.text;
    if (!/^\d{1,5}$/.test(number) || etag === undefined) throw new S3Error('MalformedXML');
    return { partNumber: Number(number), etag, element };
  });
}

/** Checks the requested list against the stored parts, in the order S3 reports problems. */
function validateParts(upload: Upload, requested: RequestedPart[]): PartMeta[] {
  for (let i = 1; i < requested.length; i++) {
    if (requested[i]!.partNumber <= requested[i - 1]!.partNumber) throw new S3Error('InvalidPartOrder', undefined, { UploadId: upload.id });
  }
  const parts = requested.map(({ partNumber, etag, element }) => {
    const stored = upload.parts.get(partNumber);
    const invalid = new S3Error('InvalidPart', undefined, { UploadId: upload.id, PartNumber: partNumber, ETag: etag });
    if (!stored || quoteless(stored.etag) !== quoteless(etag)) throw invalid;
    for (const child of element.children) {
      const m = /^Checksum(CRC32|CRC32C|CRC64NVME|SHA1|SHA256)$/.exec(child.name);
      if (m && (stored.checksum?.algorithm !== m[1]!.toLowerCase() || stored.checksum.value !== child.text.trim())) throw invalid;
    }
    return stored;
  });
  parts.forEach((part, i) => {
    if (i < parts.length - 1 && part.size < MIN_PART_SIZE) {
      throw new S3Error('EntityTooSmall', undefined, { ProposedSize: part.size, MinSizeAllowed: MIN_PART_SIZE, PartNumber: part.partNumber, ETag: part.etag });
    }
  });
  return parts;
}

async function concatenate(upload: Upload, parts: PartMeta[], dest: string): Promise<void> {
  const out = (await open(dest, 'wx')).createWriteStream({ highWaterMark: 4 << 20 });
  await pipeline(async function* () {
    for (const part of parts) yield* createReadStream(upload.partPath(part), { highWaterMark: 4 << 20 });
  }, out);
}

function completeResult(ctx: Ctx, bucket: Bucket, key: string, etag: string): void {
  const location = `http://${header(ctx, 'host') ?? 'localhost'}/${bucket.name}/${key.split('/').map(encodeURIComponent).join('/')}`;
  sendXml(ctx, 200, xmlDocument('CompleteMultipartUploadResult', [el('Location', location), el('Bucket', bucket.name), el('Key', key), el('ETag', etag)]));
}

export async function completeMultipartUpload(ctx: Ctx, env: Env, bucket: Bucket): Promise<void> {
  const key = ctx.key!;
  const uploadId = ctx.query.get('uploadId') ?? '';
  const check = writePrecondition(ctx);
  const { body } = await receiveToBuffer(ctx, MAX_COMPLETE_BODY);
  const requested = parseCompleteBody(body);
  let upload: Upload;
  for (;;) {
    const found = bucket.uploads.get(uploadId);
    if (!found || found.meta.key !== key) {
      // A retry of a completion that already succeeded gets the same answer, as from S3.
      const done = bucket.uploads.completedResult(uploadId);
      if (done && done.key === key) return completeResult(ctx, bucket, key, done.etag);
      throw new S3Error('NoSuchUpload', undefined, { UploadId: uploadId });
    }
    if (!found.completion) {
      upload = found;
      break;
    }
    await found.completion.catch(() => undefined);
  }
  const { meta } = upload;
  let blob: string | undefined;
  const work = (async () => {
    await upload.settled();
    const parts = validateParts(upload, requested);
    const etag = `"${createHash('md5')
      .update(Buffer.concat(parts.map((p) => Buffer.from(quoteless(p.etag), 'hex'))))
      .digest('hex')}-${parts.length}"`;
    // Refused before any copying; the upload stays intact so the caller can still decide what to do with it.
    if (check) bucket.objects.check(key, check);
    blob = await bucket.objects.newBlob(key);
    await concatenate(upload, parts, blob);
    await bucket.objects.put(
      key,
      blob,
      {
        contentType: meta.contentType,
        contentDisposition: meta.contentDisposition,
        contentEncoding: meta.contentEncoding,
        contentLanguage: meta.contentLanguage,
        cacheControl: meta.cacheControl,
        expires: meta.expires,
        userMeta: meta.userMeta,
        size: parts.reduce((n, p) => n + p.size, 0),
        etag,
        lastModified: wholeSeconds(env.now()),
        partsCount: parts.length,
      },
      check,
    );
    await bucket.uploads.remove(upload, { key, etag });
    return etag;
  })();
  upload.completion = work;
  let etag: string;
  try {
    etag = await work;
  } catch (error) {
    if (blob !== undefined) await removeQuietly(blob);
    throw error;
  } finally {
    upload.completion = undefined;
  }
  completeResult(ctx, bucket, key, etag);
}

export async function abortMultipartUpload(ctx: Ctx, _env: Env, bucket: Bucket): Promise<void> {
  const upload = findUpload(ctx, bucket);
  if (upload.completion) throw new S3Error('OperationAborted');
  await bucket.uploads.remove(upload);
  send(ctx, 204);
}

export async function listMultipartUploads(ctx: Ctx, _env: Env, bucket: Bucket): Promise<void> {
  const q = ctx.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') || undefined;
  const keyMarker = q.get('key-marker') || undefined;
  const uploadIdMarker = q.get('upload-id-marker') || undefined;
  const maxUploads = parseMaxKeys(q.get('max-uploads'), 'max-uploads', MAX_LIST_KEYS);
  const all = bucket.uploads
    .all()
    .filter((u) => u.meta.key.startsWith(prefix))
    .sort((a, b) => compareKeys(a.meta.key, b.meta.key) || a.meta.initiated.localeCompare(b.meta.initiated) || a.id.localeCompare(b.id));
  let start = 0;
  if (keyMarker !== undefined) {
    const exact = uploadIdMarker === undefined ? -1 : all.findIndex((u) => u.meta.key === keyMarker && u.id === uploadIdMarker);
    start = exact >= 0 ? exact + 1 : all.findIndex((u) => compareKeys(u.meta.key, keyMarker) > 0);
    if (start < 0) start = all.length;
  }
  const uploads: Upload[] = [];
  const commonPrefixes: string[] = [];
  let truncated = false;
  let i = start;
  for (; i < all.length; i++) {
    const upload = all[i]!;
    if (uploads.length + commonPrefixes.length >= maxUploads) {
      truncated = true;
      break;
    }
    const d = delimiter ? upload.meta.key.indexOf(delimiter, prefix.length) : -1;
    if (d >= 0) {
      const cp = upload.meta.key.slice(0, d + delimiter!.length);
      if (commonPrefixes[commonPrefixes.length - 1] !== cp) commonPrefixes.push(cp);
    } else uploads.push(upload);
  }
  const last = uploads[uploads.length - 1];
  sendXml(
    ctx,
    200,
    xmlDocument('ListMultipartUploadsResult', [
      el('Bucket', bucket.name),
      el('KeyMarker', keyMarker ?? ''),
      el('UploadIdMarker', uploadIdMarker ?? ''),
      truncated && last ? el('NextKeyMarker', last.meta.key) : undefined,
      truncated && last ? el('NextUploadIdMarker', last.id) : undefined,
      el('Delimiter', delimiter),
      el('Prefix', prefix),
      el('MaxUploads', maxUploads),
      el('IsTruncated', truncated),
      ...uploads.map((u) =>
        node('Upload', [el('Key', u.meta.key), el('UploadId', u.id), INITIATOR, OWNER, el('StorageClass', 'STANDARD'), el('Initiated', u.meta.initiated)]),
      ),
      ...commonPrefixes.map((cp) => node('CommonPrefixes', [el('Prefix', cp)])),
    ]),
  );
}
