// CompleteMultipartUpload: validates the part list and the checksum claims, concatenates the parts into the object
// (hashing them on the way for a FULL_OBJECT checksum) and commits it; a refused completion leaves the upload intact.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { receiveToBuffer } from '../body.js';
import { combinedChecksum } from '../../../contract/crc-combine.js';
import { S3_MAX_PARTS, S3_MIN_PART_BYTES } from '../../../contract/limits.js';
import { combinableCrc, compositeChecksum, createChecksum, type ChecksumType, type Hasher, type ObjectChecksum } from '../checksums.js';
import { header, sendXml, wholeSeconds, type Bucket, type Ctx, type Env } from '../context.js';
import { S3Error } from '../errors.js';
import { eventObject, recordEvent } from '../events.js';
import { removeQuietly } from '../fs-util.js';
import { checkClaimedChecksum, checkClaimedSize, completionClaims, uploadChecksumOf, type UploadChecksum } from '../multipart-checksums.js';
import { Upload, type CompletedUpload, type PartMeta } from '../multipart-store.js';
import { writePrecondition } from '../object-headers.js';
import { el, parseRequestXml, xmlDocument, type XmlElement } from '../xml.js';
import { checksumElement } from './multipart.js';

const MAX_COMPLETE_BODY = 4 * 1024 * 1024;

interface RequestedPart {
  partNumber: number;
  etag: string;
  element: XmlElement;
}

const quoteless = (etag: string): string => etag.trim().replace(/^"|"$/g, '');

function parseCompleteBody(body: Buffer): RequestedPart[] {
  const root = parseRequestXml(body);
  if (root.name !== 'CompleteMultipartUpload') throw new S3Error('MalformedXML');
  const parts = root.children.filter((c) => c.name === 'Part');
  if (parts.length === 0 || parts.length > S3_MAX_PARTS) throw new S3Error('MalformedXML');
  return parts.map((element) => {
    const number = element.children.find((c) => c.name === 'PartNumber')?.text.trim() ?? '';
    const etag = element.children.find((c) => c.name === 'ETag')?.text;
    if (!/^\d{1,5}$/.test(number) || etag === undefined) throw new S3Error('MalformedXML');
    return { partNumber: Number(number), etag, element };
  });
}

/** Checks the requested list against the stored parts, in the order S3 reports problems. */
function validateParts(upload: Upload, requested: RequestedPart[], checksum: UploadChecksum | undefined): PartMeta[] {
  for (let i = 1; i < requested.length; i++) {
    if (requested[i]!.partNumber <= requested[i - 1]!.partNumber) throw new S3Error('InvalidPartOrder', undefined, { UploadId: upload.id });
  }
  const parts = requested.map(({ partNumber, etag, element }) => {
    const stored = upload.parts.get(partNumber);
    const invalid = new S3Error('InvalidPart', undefined, { UploadId: upload.id, PartNumber: partNumber, ETag: etag });
    if (!stored || quoteless(stored.etag) !== quoteless(etag)) throw invalid;
    const listed = element.children.filter((child) => /^Checksum(CRC32|CRC32C|CRC64NVME|SHA1|SHA256)$/.test(child.name));
    for (const child of listed) {
      if (child.name !== checksumElement(stored.checksum?.algorithm ?? '') || stored.checksum?.value !== child.text.trim()) throw invalid;
    }
    // A composite checksum is made of the part checksums, so S3 wants each one restated.
    if (checksum?.type === 'COMPOSITE' && listed.length === 0) {
      throw new S3Error(
        'InvalidRequest',
        `The upload was created using a ${checksum.algorithm} checksum. The complete request must include the checksum for each part. It was missing for part ${partNumber} in the request.`,
      );
    }
    return stored;
  });
  parts.forEach((part, i) => {
    if (i < parts.length - 1 && part.size < S3_MIN_PART_BYTES) {
      throw new S3Error('EntityTooSmall', undefined, { ProposedSize: part.size, MinSizeAllowed: S3_MIN_PART_BYTES, PartNumber: part.partNumber, ETag: part.etag });
    }
  });
  return parts;
}

/** Copies the parts, in order, into `dest`; `hasher` sees every byte on the way (the FULL_OBJECT checksum). */
async function concatenate(upload: Upload, parts: PartMeta[], dest: string, hasher: Hasher | undefined): Promise<void> {
  const out = (await open(dest, 'wx')).createWriteStream({ highWaterMark: 4 << 20 });
  await pipeline(async function* () {
    for (const part of parts) {
      for await (const chunk of createReadStream(upload.partPath(part), { highWaterMark: 4 << 20 })) {
        hasher?.update(chunk as Buffer);
        yield chunk as Buffer;
      }
    }
  }, out);
}

function completeResult(ctx: Ctx, bucket: Bucket, done: CompletedUpload): void {
  const location = `http://${header(ctx, 'host') ?? 'localhost'}/${bucket.name}/${done.key.split('/').map(encodeURIComponent).join('/')}`;
  sendXml(
    ctx,
    200,
    xmlDocument('CompleteMultipartUploadResult', [
      el('Location', location),
      el('Bucket', bucket.name),
      el('Key', done.key),
      el('ETag', done.etag),
      done.checksum && el(checksumElement(done.checksum.algorithm), done.checksum.value),
      el('ChecksumType', done.checksumType),
    ]),
  );
}

/** The upload named in the request, once no other completion of it is running; undefined if it already completed. */
async function uploadToComplete(bucket: Bucket, uploadId: string, key: string): Promise<Upload | CompletedUpload> {
  for (;;) {
    const found = bucket.uploads.get(uploadId);
    if (!found || found.meta.key !== key) {
      // A retry of a completion that already succeeded gets the same answer, as from S3.
      const done = bucket.uploads.completedResult(uploadId);
      if (done && done.key === key) return done;
      throw new S3Error('NoSuchUpload', undefined, { UploadId: uploadId });
    }
    if (!found.completion) return found;
    await found.completion.catch(() => undefined);
  }
}

export async function completeMultipartUpload(ctx: Ctx, env: Env, bucket: Bucket): Promise<void> {
  const key = ctx.key!;
  const uploadId = ctx.query.get('uploadId') ?? '';
  const check = writePrecondition(ctx);
  // The x-amz-checksum-* headers here describe the object being assembled, not this XML body.
  const { body } = await receiveToBuffer(ctx, MAX_COMPLETE_BODY, { checksumHeadersDescribeObject: true });
  const requested = parseCompleteBody(body);
  const upload = await uploadToComplete(bucket, uploadId, key);
  if (!(upload instanceof Upload)) return completeResult(ctx, bucket, upload);
  const { meta } = upload;
  const checksum = uploadChecksumOf(meta);
  let blob: string | undefined;
  const work = (async (): Promise<CompletedUpload> => {
    await upload.settled();
    const claims = completionClaims(ctx, checksum);
    const parts = validateParts(upload, requested, checksum);
    const size = parts.reduce((n, p) => n + p.size, 0);
    checkClaimedSize(claims, size);
    const etag = `"${createHash('md5')
      .update(Buffer.concat(parts.map((p) => Buffer.from(quoteless(p.etag), 'hex'))))
      .digest('hex')}-${parts.length}"`;
    let objectChecksum: ObjectChecksum | undefined;
    if (checksum?.type === 'COMPOSITE') {
      objectChecksum = { algorithm: checksum.algorithm, value: compositeChecksum(checksum.algorithm, parts.map((p) => partChecksum(p, checksum))) };
      checkClaimedChecksum(claims, checksum, objectChecksum.value);
    }
    // Refused before any copying; the upload stays intact so the caller can still decide what to do with it.
    if (check) bucket.objects.check(key, check);
    blob = await bucket.objects.newBlob(key);
    // FULL_OBJECT: like S3, from the checksums of the parts verified on arrival (CRCs combine), so the
    // object's bytes are not hashed a second time; read while copying only where they do not combine.
    const fullObject = checksum?.type === 'FULL_OBJECT' ? checksum : undefined;
    const crc = fullObject && combinableCrc(fullObject.algorithm);
    const hasher = fullObject && !crc ? createChecksum(fullObject.algorithm) : undefined;
    await concatenate(upload, parts, blob, hasher);
    if (fullObject) {
      const value = crc ? combinedChecksum(crc, parts.map((p) => ({ value: partChecksum(p, fullObject), size: p.size }))) : hasher!.digest().toString('base64');
      objectChecksum = { algorithm: fullObject.algorithm, value };
      // After the copy, like S3, which also refuses only then; the copy is dropped and the upload stays.
      checkClaimedChecksum(claims, fullObject, objectChecksum.value);
    }
    const checksumType: ChecksumType | undefined = objectChecksum ? checksum?.type : undefined;
    const committed = await bucket.objects.put(
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
        size,
        etag,
        // As in S3: a multipart object's LastModified is when its upload was initiated, not completed.
        lastModified: wholeSeconds(new Date(meta.initiated)),
        partsCount: parts.length,
        checksum: objectChecksum,
        checksumType,
        tags: meta.tags,
      },
      check,
    );
    recordEvent(ctx, env, bucket, 'Object Created', eventObject(committed, committed.sequencer, true), { reason: 'CompleteMultipartUpload' });
    const done: CompletedUpload = { key, etag, checksum: objectChecksum, checksumType };
    await bucket.uploads.remove(upload, done);
    return done;
  })();
  upload.completion = work;
  let done: CompletedUpload;
  try {
    done = await work;
  } catch (error) {
    if (blob !== undefined) await removeQuietly(blob);
    throw error;
  } finally {
    upload.completion = undefined;
  }
  completeResult(ctx, bucket, done);
}

/** Every part of an upload created with an algorithm has a checksum of it (S3 computes one when none is sent). */
function partChecksum(part: PartMeta, checksum: UploadChecksum): string {
  if (part.checksum?.algorithm !== checksum.algorithm) throw new Error(`part ${part.partNumber} has no ${checksum.algorithm} checksum`);
  return part.checksum.value;
}
