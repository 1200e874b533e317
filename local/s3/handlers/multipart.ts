// Multipart upload operations: create, upload part, list parts, abort, list uploads (completion: complete-multipart.ts).
import { S3_LIST_PARTS_PAGE, S3_MAX_PART_BYTES, S3_MAX_PARTS } from '../../../contract/limits.js';
import { assertMayRequestTags } from '../access.js';
import { receiveToFile } from '../body.js';
import { iso, send, sendXml, wholeSeconds, type Bucket, type Ctx, type Env } from '../context.js';
import { S3Error } from '../errors.js';
import { removeQuietly } from '../fs-util.js';
import { compareKeys } from '../key-index.js';
import { MAX_LIST_KEYS, parseMaxKeys } from '../listing.js';
import { requestedUploadChecksum, uploadChecksumHeaders, uploadChecksumOf } from '../multipart-checksums.js';
import type { Upload } from '../multipart-store.js';
import { headersFromRequest } from '../object-headers.js';
import { requestedTags } from '../tagging.js';
import { el, node, xmlDocument } from '../xml.js';
import { checksumHeaders } from './objects.js';

const OWNER = node('Owner', [el('ID', 'local-s3-owner'), el('DisplayName', 'local')]);
const INITIATOR = node('Initiator', [el('ID', 'local-s3-owner'), el('DisplayName', 'local')]);

function partNumberParam(ctx: Ctx): number {
  const value = ctx.query.get('partNumber') ?? '';
  const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= S3_MAX_PARTS)) {
    throw new S3Error('InvalidArgument', `Part number must be an integer between 1 and ${S3_MAX_PARTS}, inclusive`, { ArgumentName: 'partNumber', ArgumentValue: value });
  }
  return n;
}

/** The upload named by ?uploadId, which must belong to the key in the path. */
export function findUpload(ctx: Ctx, bucket: Bucket): Upload {
  const uploadId = ctx.query.get('uploadId') ?? '';
  const upload = bucket.uploads.get(uploadId);
  if (!upload || upload.meta.key !== ctx.key) throw new S3Error('NoSuchUpload', undefined, { UploadId: uploadId });
  return upload;
}

/** The element name S3 gives a checksum in its XML documents (`ChecksumCRC64NVME`). */
export const checksumElement = (algorithm: string): string => `Checksum${algorithm.toUpperCase()}`;

export async function createMultipartUpload(ctx: Ctx, env: Env, bucket: Bucket): Promise<void> {
  const key = ctx.key!;
  const { headers, userMeta } = headersFromRequest(ctx);
  const checksum = requestedUploadChecksum(ctx);
  // Checked now, applied at completion, as S3 does.
  const tags = requestedTags(ctx);
  assertMayRequestTags(env, ctx, key, tags);
  const upload = await bucket.uploads.create({
    key,
    initiated: iso(env.now()),
    ...headers,
    userMeta,
    checksumAlgorithm: checksum?.algorithm,
    checksumType: checksum?.type,
    tags: tags?.length ? tags : undefined,
  });
  sendXml(
    ctx,
    200,
    xmlDocument('InitiateMultipartUploadResult', [el('Bucket', bucket.name), el('Key', key), el('UploadId', upload.id)]),
    uploadChecksumHeaders(checksum),
  );
}

export async function uploadPart(ctx: Ctx, env: Env, bucket: Bucket): Promise<void> {
  const partNumber = partNumberParam(ctx);
  const upload = findUpload(ctx, bucket);
  if (upload.completion) throw new S3Error('OperationAborted');
  const blob = bucket.uploads.newPartBlob(upload, partNumber);
  try {
    // A part without a checksum gets one of the upload's algorithm; one of another algorithm is refused.
    const info = await receiveToFile(ctx, blob, S3_MAX_PART_BYTES, { uploadAlgorithm: upload.meta.checksumAlgorithm });
    const part = await bucket.uploads.putPart(
      upload,
      { partNumber, etag: `"${info.md5.toString('hex')}"`, size: info.size, lastModified: wholeSeconds(env.now()), checksum: info.checksum },
      blob,
    );
    send(ctx, 200, { ETag: part.etag, ...checksumHeaders(info.checksum) });
  } catch (error) {
    await removeQuietly(blob);
    // Aborted while the part was arriving: its folder is gone.
    if (upload.removed) throw new S3Error('NoSuchUpload', undefined, { UploadId: upload.id });
    throw error;
  }
}

export async function listParts(ctx: Ctx, _env: Env, bucket: Bucket): Promise<void> {
  const upload = findUpload(ctx, bucket);
  const maxParts = parseMaxKeys(ctx.query.get('max-parts'), 'max-parts', S3_LIST_PARTS_PAGE);
  const markerValue = ctx.query.get('part-number-marker') ?? '0';
  if (!/^\d{1,5}$/.test(markerValue)) throw new S3Error('InvalidArgument', 'Provided part-number-marker not an integer or within integer range', { ArgumentName: 'part-number-marker', ArgumentValue: markerValue });
  const marker = Number(markerValue);
  const remaining = upload.sortedParts().filter((p) => p.partNumber > marker);
  const page = remaining.slice(0, maxParts);
  const truncated = remaining.length > page.length;
  const checksum = uploadChecksumOf(upload.meta);
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
      checksum && el('ChecksumAlgorithm', checksum.algorithm.toUpperCase()),
      checksum && el('ChecksumType', checksum.type),
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
