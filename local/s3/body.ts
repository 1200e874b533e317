// Receives request bodies (into a new body file, or a small buffer) while decoding aws-chunked and verifying every declared digest.
import { createHash, type Hash } from 'node:crypto';
import { open, writeFile } from 'node:fs/promises';
import { Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AwsChunkedDecoder } from './aws-chunked.js';
import { CHECKSUM_ALGORITHMS, createChecksum, DIGEST_BYTES, isChecksumAlgorithm, type ChecksumAlgorithm, type Hasher, type ObjectChecksum } from './checksums.js';
import { header, startBody, type Ctx } from './context.js';
import { S3Error } from './errors.js';
import { removeQuietly } from './fs-util.js';
import { STREAMING_UNSIGNED_TRAILER } from './sigv4.js';

export interface BodyInfo {
  size: number;
  md5: Buffer;
  checksum?: ObjectChecksum;
}

interface Expectations {
  length: number | undefined;
  chunked: boolean;
  sha256: string | undefined;
  md5: Buffer | undefined;
  checksum: { algorithm: ChecksumAlgorithm; value: string | undefined } | undefined;
  /** No checksum was declared but S3 computes this one anyway (a part of an upload created with an algorithm, an object's default). */
  computed: ChecksumAlgorithm | undefined;
}

export interface ReceiveOptions {
  /** The multipart upload's algorithm: a part checksum of another one is refused, and a part without one gets one. */
  uploadAlgorithm?: ChecksumAlgorithm;
  /** The request's x-amz-checksum-* headers describe the object, not this body (CompleteMultipartUpload). */
  checksumHeadersDescribeObject?: boolean;
  /** What S3 computes and keeps when the body declares no checksum (an object's DEFAULT_CHECKSUM_ALGORITHM). */
  defaultAlgorithm?: ChecksumAlgorithm;
}

/** A base64 digest of exactly `bytes` bytes (malformed values are InvalidDigest/InvalidRequest, not BadDigest). */
export function validDigest(value: string, bytes: number): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === bytes;
}

/**
 * The body's declared checksum: an x-amz-checksum-* header, or (aws-chunked) a trailer named in x-amz-trailer.
 * A checksum hoisted into a presigned URL's query string is signed but neither checked nor stored by S3, so it is
 * ignored here too: a test must not pass locally on a check AWS never makes.
 */
function declaredChecksum(ctx: Ctx, chunked: boolean, uploadAlgorithm: ChecksumAlgorithm | undefined): Expectations['checksum'] {
  const found: { algorithm: ChecksumAlgorithm; value: string | undefined }[] = [];
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = header(ctx, `x-amz-checksum-${algorithm}`);
    if (value !== undefined) {
      if (!validDigest(value, DIGEST_BYTES[algorithm])) throw new S3Error('InvalidRequest', `Value for x-amz-checksum-${algorithm} header is invalid.`);
      found.push({ algorithm, value });
    }
  }
  const trailer = header(ctx, 'x-amz-trailer')?.trim().toLowerCase();
  if (trailer !== undefined) {
    const algorithm = trailer.replace(/^x-amz-checksum-/, '');
    if (!chunked) throw new S3Error('InvalidRequest', 'x-amz-trailer requires an aws-chunked body (x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER)');
    if (!trailer.startsWith('x-amz-checksum-') || !isChecksumAlgorithm(algorithm)) throw new S3Error('InvalidRequest', `The value specified in the x-amz-trailer header is not supported: ${trailer}`);
    found.push({ algorithm, value: undefined });
  }
  if (found.length > 1) throw new S3Error('InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  const declared = found[0];
  // Only the header counts: the presigner also hoists this one into the query, where S3 ignores it.
  const sdkAlgorithm = header(ctx, 'x-amz-sdk-checksum-algorithm')?.toLowerCase();
  if (sdkAlgorithm !== undefined) {
    if (!declared) throw new S3Error('InvalidRequest', 'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.');
    if (declared.algorithm !== sdkAlgorithm) throw new S3Error('InvalidRequest', 'Value for x-amz-sdk-checksum-algorithm header is invalid.');
  }
  if (declared && uploadAlgorithm && declared.algorithm !== uploadAlgorithm) {
    throw new S3Error('InvalidRequest', `Checksum Type mismatch occurred, expected checksum Type: ${uploadAlgorithm}, actual checksum Type: ${declared.algorithm}`);
  }
  return declared;
}

/** Works out, before reading a byte, what the body must look like; refuses early what can be refused early. */
function expectations(ctx: Ctx, maxSize: number, options: ReceiveOptions): Expectations {
  const payloadHash = ctx.auth?.payloadHash;
  const chunked = payloadHash === STREAMING_UNSIGNED_TRAILER;
  const lengthHeader = header(ctx, chunked ? 'x-amz-decoded-content-length' : 'content-length');
  if (lengthHeader === undefined) {
    if (chunked || header(ctx, 'transfer-encoding') !== undefined) throw new S3Error('MissingContentLength');
  } else if (!/^\d{1,15}$/.test(lengthHeader)) {
    throw new S3Error('InvalidArgument', `Invalid ${chunked ? 'x-amz-decoded-content-length' : 'Content-Length'}`);
  }
  const length = lengthHeader === undefined ? 0 : Number(lengthHeader);
  if (length > maxSize) throw new S3Error('EntityTooLarge', undefined, { ProposedSize: length, MaxSizeAllowed: maxSize });

  const md5Header = header(ctx, 'content-md5');
  if (md5Header !== undefined && !validDigest(md5Header, 16)) throw new S3Error('InvalidDigest');

  const checksum = options.checksumHeadersDescribeObject ? undefined : declaredChecksum(ctx, chunked, options.uploadAlgorithm);
  return {
    length: lengthHeader === undefined ? undefined : length,
    chunked,
    sha256: payloadHash && /^[0-9a-f]{64}$/.test(payloadHash) ? payloadHash : undefined,
    md5: md5Header === undefined ? undefined : Buffer.from(md5Header, 'base64'),
    checksum,
    computed: checksum ? undefined : (options.uploadAlgorithm ?? options.defaultAlgorithm),
  };
}

/** Counts and digests a body on its way through; EntityTooLarge past `maxSize`. */
export class Digests extends Transform {
  size = 0;
  readonly md5 = createHash('md5');
  readonly sha256: Hash | undefined;
  private readonly checksum: Hasher | undefined;

  constructor(
    private readonly maxSize: number,
    wantSha256 = false,
    private readonly algorithm?: ChecksumAlgorithm,
  ) {
    super();
    this.sha256 = wantSha256 ? createHash('sha256') : undefined;
    this.checksum = algorithm ? createChecksum(algorithm) : undefined;
  }

  /** The body's checksum as S3 keeps it (base64 of the digest), if made with an algorithm. Once, at the end: it finishes the hash. */
  objectChecksum(): ObjectChecksum | undefined {
    return this.algorithm && this.checksum ? { algorithm: this.algorithm, value: this.checksum.digest().toString('base64') } : undefined;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxSize) {
      callback(new S3Error('EntityTooLarge', undefined, { MaxSizeAllowed: this.maxSize }));
      return;
    }
    this.md5.update(chunk);
    this.sha256?.update(chunk);
    this.checksum?.update(chunk);
    callback(null, chunk);
  }
}

async function receive(ctx: Ctx, expected: Expectations, sink: Writable, maxSize: number): Promise<BodyInfo> {
  startBody(ctx);
  const digests = new Digests(maxSize, expected.sha256 !== undefined, expected.checksum?.algorithm ?? expected.computed);
  const decoder = expected.chunked ? new AwsChunkedDecoder() : undefined;
  try {
    if (decoder) await pipeline(ctx.req, decoder, digests, sink);
    else await pipeline(ctx.req, digests, sink);
  } catch (error) {
    if (error instanceof S3Error) throw error;
    // The client went away (or sent a broken body): nothing of it may become visible.
    if (!ctx.req.complete) throw new S3Error('IncompleteBody');
    throw error;
  }
  if (expected.length !== undefined && digests.size !== expected.length) {
    throw new S3Error('IncompleteBody', undefined, { ExpectedLength: expected.length, ReceivedLength: digests.size });
  }
  if (expected.sha256 !== undefined) {
    const computed = digests.sha256!.digest('hex');
    if (computed !== expected.sha256) {
      throw new S3Error('XAmzContentSHA256Mismatch', undefined, { ClientComputedContentSHA256: expected.sha256, S3ComputedContentSHA256: computed });
    }
  }
  const md5 = digests.md5.digest();
  if (expected.md5 && !expected.md5.equals(md5)) throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.');
  // The declared algorithm's checksum, else the one S3 computes anyway, else none (Digests was made with that algorithm).
  const checksum = digests.objectChecksum();
  if (expected.checksum) {
    const { algorithm } = expected.checksum;
    const value = expected.checksum.value ?? decoder?.trailers.get(`x-amz-checksum-${algorithm}`);
    if (value === undefined) throw new S3Error('InvalidRequest', `The x-amz-checksum-${algorithm} trailer named in x-amz-trailer was not sent.`);
    if (value !== checksum?.value) throw new S3Error('BadDigest', `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`);
  }
  return { size: digests.size, md5, checksum };
}

/** Bodies up to this size are collected (one or two socket reads) and written with a single writeFile. */
const SMALL_BODY = 64 * 1024;

function collector(): { sink: Writable; chunks: Buffer[] } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { sink, chunks };
}

/**
 * Streams the body to `path` (a new file); on any failure the partial file is removed before the error propagates.
 * Tiny bodies skip the stream-to-file machinery, whose per-request overhead dwarfs their size.
 */
export async function receiveToFile(ctx: Ctx, path: string, maxSize: number, options: ReceiveOptions = {}): Promise<BodyInfo> {
  const expected = expectations(ctx, maxSize, options);
  try {
    if (!expected.chunked && expected.length !== undefined && expected.length <= SMALL_BODY) {
      const { sink, chunks } = collector();
      const info = await receive(ctx, expected, sink, maxSize);
      await writeFile(path, Buffer.concat(chunks), { flag: 'wx' });
      return info;
    }
    // Opened before streaming so a failure can never race the file's creation and leave it behind.
    const sink = (await open(path, 'wx')).createWriteStream({ highWaterMark: 1 << 20 });
    return await receive(ctx, expected, sink, maxSize);
  } catch (error) {
    await removeQuietly(path);
    throw error;
  }
}

/** S3 requires an integrity check on some XML bodies (DeleteObjects, PutObjectTagging): Content-MD5 or a checksum. */
export function requireBodyDigest(ctx: Ctx): void {
  const hasDigest = header(ctx, 'content-md5') !== undefined || Object.keys(ctx.req.headers).some((h) => h.startsWith('x-amz-checksum-') || h === 'x-amz-trailer');
  if (!hasDigest) throw new S3Error('InvalidRequest', 'Missing required header for this request: Content-MD5 or x-amz-checksum-*');
}

/** For small XML documents (CompleteMultipartUpload, DeleteObjects, PutObjectTagging). */
export async function receiveToBuffer(ctx: Ctx, maxSize: number, options: ReceiveOptions = {}): Promise<{ body: Buffer; info: BodyInfo }> {
  const { sink, chunks } = collector();
  const info = await receive(ctx, expectations(ctx, maxSize, options), sink, maxSize);
  return { body: Buffer.concat(chunks), info };
}
