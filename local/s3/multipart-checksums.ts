// S3's checksum rules for multipart uploads: which types an algorithm allows at create, what a completion may assert
// (object checksum, checksum type, object size), and the answers S3 gives when an assertion fails.
import { validDigest } from './body.js';
import { CHECKSUM_ALGORITHMS, DIGEST_BYTES, isChecksumAlgorithm, type ChecksumAlgorithm, type ChecksumType } from './checksums.js';
import { header, type Ctx } from './context.js';
import { S3Error } from './errors.js';

export interface UploadChecksum {
  algorithm: ChecksumAlgorithm;
  type: ChecksumType;
}

/** CRCs linearize, so S3 can derive a whole-object CRC from verified parts; SHA digests cannot. CRC64NVME: full only. */
const ALLOWED_TYPES: Record<ChecksumAlgorithm, readonly ChecksumType[]> = {
  crc32: ['FULL_OBJECT', 'COMPOSITE'],
  crc32c: ['FULL_OBJECT', 'COMPOSITE'],
  crc64nvme: ['FULL_OBJECT'],
  sha1: ['COMPOSITE'],
  sha256: ['COMPOSITE'],
};

/** What S3 picks when only the algorithm is given. */
export function defaultChecksumType(algorithm: ChecksumAlgorithm): ChecksumType {
  return algorithm === 'crc64nvme' ? 'FULL_OBJECT' : 'COMPOSITE';
}

function parseType(value: string): ChecksumType {
  if (value !== 'FULL_OBJECT' && value !== 'COMPOSITE') throw new S3Error('InvalidRequest', 'Value for x-amz-checksum-type header is invalid.');
  return value;
}

/** CreateMultipartUpload's x-amz-checksum-algorithm and x-amz-checksum-type, checked against S3's table. */
export function requestedUploadChecksum(ctx: Ctx): UploadChecksum | undefined {
  const algorithmHeader = header(ctx, 'x-amz-checksum-algorithm');
  const typeHeader = header(ctx, 'x-amz-checksum-type');
  if (algorithmHeader === undefined) {
    if (typeHeader !== undefined) throw new S3Error('InvalidRequest', 'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.');
    return undefined;
  }
  const algorithm = algorithmHeader.toLowerCase();
  if (!isChecksumAlgorithm(algorithm)) throw new S3Error('InvalidRequest', `Checksum algorithm ${algorithm} is not supported.`);
  const type = typeHeader === undefined ? defaultChecksumType(algorithm) : parseType(typeHeader);
  if (!ALLOWED_TYPES[algorithm].includes(type)) throw new S3Error('InvalidRequest', `The ${type} checksum type cannot be used with the ${algorithm} checksum algorithm.`);
  return { algorithm, type };
}

/** The headers S3 answers CreateMultipartUpload with (and keeps in the upload). */
export function uploadChecksumHeaders(checksum: UploadChecksum | undefined): Record<string, string> {
  return checksum ? { 'x-amz-checksum-algorithm': checksum.algorithm.toUpperCase(), 'x-amz-checksum-type': checksum.type } : {};
}

/** What a CompleteMultipartUpload request asserts about the object it creates. */
export interface CompletionClaims {
  /** The object's checksum (x-amz-checksum-<alg>); a COMPOSITE one may carry its `-N` suffix. */
  value?: string;
  size?: number;
}

function checksumHeader(ctx: Ctx): { algorithm: ChecksumAlgorithm; value: string } | undefined {
  const found = CHECKSUM_ALGORITHMS.flatMap((algorithm) => {
    const value = header(ctx, `x-amz-checksum-${algorithm}`);
    return value === undefined ? [] : [{ algorithm, value }];
  });
  if (found.length > 1) throw new S3Error('InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  return found[0];
}

/** Reads and checks what can be checked before any part is read; the rest is compared once the parts are known. */
export function completionClaims(ctx: Ctx, upload: UploadChecksum | undefined): CompletionClaims {
  const sizeHeader = header(ctx, 'x-amz-mp-object-size');
  if (sizeHeader !== undefined && !/^\d{1,15}$/.test(sizeHeader)) throw new S3Error('InvalidRequest', 'Value for x-amz-mp-object-size header is invalid.');
  const typeHeader = header(ctx, 'x-amz-checksum-type');
  // S3 documents BadDigest for a type other than the one the upload was created with.
  if (typeHeader !== undefined && parseType(typeHeader) !== upload?.type) {
    throw new S3Error('BadDigest', `The upload was created using the ${upload?.type ?? 'null'} checksum mode. The complete request must use the same checksum mode.`);
  }
  const claimed = checksumHeader(ctx);
  if (claimed) {
    if (!upload || claimed.algorithm !== upload.algorithm) {
      throw new S3Error('InvalidRequest', `Checksum Type mismatch occurred, expected checksum Type: ${upload?.algorithm ?? 'null'}, actual checksum Type: ${claimed.algorithm}`);
    }
    const bare = upload.type === 'COMPOSITE' ? claimed.value.replace(/-\d{1,5}$/, '') : claimed.value;
    if (!validDigest(bare, DIGEST_BYTES[claimed.algorithm])) throw new S3Error('InvalidRequest', `Value for x-amz-checksum-${claimed.algorithm} header is invalid.`);
  }
  return { value: claimed?.value, size: sizeHeader === undefined ? undefined : Number(sizeHeader) };
}

/** x-amz-mp-object-size must be the sum of the listed parts. */
export function checkClaimedSize(claims: CompletionClaims, size: number): void {
  if (claims.size !== undefined && claims.size !== size) {
    throw new S3Error('InvalidRequest', `The provided 'x-amz-mp-object-size' header value ${claims.size} does not match the size of the object, ${size}.`);
  }
}

/** Compares a claimed object checksum with the computed one; a COMPOSITE claim may omit the `-N` suffix. */
export function checkClaimedChecksum(claims: CompletionClaims, checksum: UploadChecksum, computed: string): void {
  if (claims.value === undefined) return;
  const matches = claims.value === computed || (checksum.type === 'COMPOSITE' && computed.startsWith(`${claims.value}-`) && !claims.value.includes('-'));
  if (!matches) throw new S3Error('BadDigest', `The ${checksum.algorithm} you specified did not match the calculated checksum.`);
}

/** The checksum an upload was created with (uploads stored before types were get S3's default type). */
export function uploadChecksumOf(meta: { checksumAlgorithm?: ChecksumAlgorithm; checksumType?: ChecksumType }): UploadChecksum | undefined {
  const algorithm = meta.checksumAlgorithm;
  return algorithm ? { algorithm, type: meta.checksumType ?? defaultChecksumType(algorithm) } : undefined;
}
