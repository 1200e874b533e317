// The Companion S3 protocol as @uppy/aws-s3 option functions, over our fetch wrapper so refusals keep
// their API code and a readable message (Uppy's own client drops nested errors). Paths and shapes are
// the uploads API's (contract/api/uploads.ts). Every file is checksummed: each part URL is signed with
// its part's CRC64NVME, completion sends the whole file's, and a small file's PUT carries its own.
import type { AwsS3Part, UploadResultWithSignal } from '@uppy/aws-s3';
import { routePath } from '../../../contract/api/route.js';
import {
  UPLOADS_ROUTES,
  type CompleteMultipartRequest,
  type CompleteMultipartResponse,
  type CreateMultipartRequest,
  type CreateMultipartResponse,
  type ListPartsResponse,
  type SignPartsRequest,
  type SignPartsResponse,
  type SmallUploadParameters,
  type UploadMetadata,
} from '../../../contract/api/uploads.js';
import { CHECKSUM_ALGORITHM, CHECKSUM_HEADER, SDK_CHECKSUM_ALGORITHM_HEADER, type FileChecksum } from '../../../contract/checksums.js';
import { api, isApiError, withQuery } from './api-client.js';
import type { BatchRequest, HashedParts, PartUrlBatcher } from './part-url-batcher.js';
import { assertSameFile } from './stored-part-check.js';

/** What the protocol reads of an Uppy file (an UppyFile is one). */
export interface ProtocolFile {
  id: string;
  name?: string;
  type?: string;
  size: number | null;
  meta: Record<string, unknown>;
  /** The file's bytes (a Blob for a local file; none for a ghost Golden Retriever could not restore). */
  data?: unknown;
}

/** Metadata the API reads: the folder-drop path, and the target endpoint of an admin upload. */
export const SENT_META_FIELDS = ['relativePath', 'endpoint'] as const satisfies readonly (keyof UploadMetadata)[];

/**
 * What goes to the API as `metadata`: those fields, plus `size`, which the API needs to check the
 * endpoint's limit at create and the assembled size at completion (Uppy does not send it).
 */
export function sentMetadata(meta: Record<string, unknown>, size: number | null): UploadMetadata {
  const out: UploadMetadata = {};
  for (const field of SENT_META_FIELDS) {
    const value = meta[field];
    if (typeof value === 'string' && value !== '') out[field] = value;
  }
  if (typeof size === 'number' && Number.isSafeInteger(size) && size >= 0) out.size = String(size);
  return out;
}

/** A file's checksums as the protocol uses them (hashing/file-hasher.ts's FileHasher is one). */
export interface FileChecksums extends HashedParts {
  /** The whole file's base64 CRC64NVME, once every part was hashed. */
  whole(signal?: AbortSignal): Promise<string>;
}

export interface S3ProtocolOptions {
  batcher: PartUrlBatcher;
  /** The file's checksums: hashed in parts exactly as Uppy cuts the file (same plan as getChunkSize). */
  checksumsOf: (file: ProtocolFile) => FileChecksums;
  /** @default COMPLETE_RETRY_DELAYS */
  completeRetryDelays?: readonly number[];
}

/**
 * Waits before sending `complete` again. Uppy never retries it, and one 502 from the ALB would fail
 * a file whose bytes are all on S3. The waits hold one of Uppy's request slots: kept short.
 */
export const COMPLETE_RETRY_DELAYS = [1_000, 3_000, 10_000];

/**
 * No answer, the ALB or Lambda failing, or the API saying "try again shortly". A completion that
 * the checks refused (409) stays refused until parts change: the file fails and a retry resumes.
 */
export function isRetryableCompleteFailure(error: unknown): boolean {
  if (!isApiError(error)) return false;
  return error.status === 0 || error.status === 429 || error.status >= 500 || error.code === 'complete_in_progress';
}

/** The parts as the completion call takes them. Uppy fills both fields of every part it uploaded. */
export function completedParts(parts: readonly AwsS3Part[]): CompleteMultipartRequest['parts'] {
  return parts.map(({ PartNumber, ETag }) => {
    if (PartNumber === undefined || ETag === undefined) throw new Error(`Part ${PartNumber ?? '?'} has no number or ETag to complete with`);
    return { PartNumber, ETag };
  });
}

/**
 * The checksum headers a part PUT sends: exactly those the URL's signature covers (X-Amz-SignedHeaders),
 * with the part's values; a URL that signed none still gets the checksum header, which S3 checks too.
 */
export function partChecksumHeaders(url: string, checksum: string): Record<string, string> {
  const query = new URL(url).searchParams;
  const signed = (query.get('X-Amz-SignedHeaders') ?? '').toLowerCase().split(';');
  const headers: Record<string, string> = {};
  if (signed.includes(CHECKSUM_HEADER) || !query.has(CHECKSUM_HEADER)) headers[CHECKSUM_HEADER] = checksum;
  if (signed.includes(SDK_CHECKSUM_ALGORITHM_HEADER)) headers[SDK_CHECKSUM_ALGORITHM_HEADER] = CHECKSUM_ALGORITHM;
  return headers;
}

/** Headers a page may not set itself (the browser sends Content-Length and Host from the request). */
const BROWSER_SET_HEADERS = new Set(['content-length', 'host']);

/** The small-file answer's headers as an XHR can send them. */
export const sendableHeaders = (headers: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !BROWSER_SET_HEADERS.has(name.toLowerCase())));

/** What the protocol answers once a file is stored: Uppy hands it to `upload-success` as the body. */
export interface StoredFile {
  key: string;
  location?: string;
  /** The checksum S3 keeps for the file, as it answered (null when it named none). */
  checksum: FileChecksum | null;
}

export function createS3Protocol({ batcher, checksumsOf, completeRetryDelays = COMPLETE_RETRY_DELAYS }: S3ProtocolOptions) {
  const fileName = (file: ProtocolFile) => String((file.meta.name as string | undefined) ?? file.name ?? '');
  const fileType = (file: ProtocolFile) => String((file.meta.type as string | undefined) ?? file.type ?? '') || 'application/octet-stream';
  /** The key each small file's URL was signed for (a PUT's answer does not name it). */
  const smallFileKeys = new Map<string, string>();
  return {
    // The first batch of part URLs comes with the answer. Only {key, uploadId} goes back to Uppy,
    // which keeps it in the file's state (and Golden Retriever in localStorage).
    createMultipartUpload: async (file: ProtocolFile): Promise<{ key: string; uploadId: string }> => {
      const body: CreateMultipartRequest = { filename: fileName(file), type: fileType(file), metadata: sentMetadata(file.meta, file.size), checksumAlgorithm: CHECKSUM_ALGORITHM };
      const { key, uploadId } = await batcher.createWithFirstBatch(checksumsOf(file), (parts) =>
        api.post<CreateMultipartResponse>(UPLOADS_ROUTES.createMultipart.path, { ...body, parts } satisfies CreateMultipartRequest),
      );
      return { key, uploadId };
    },

    /** What S3 holds, once every stored part was found to be the same part of this file (stored-part-check.ts). */
    listParts: async (file: ProtocolFile, { key, uploadId, signal }: UploadResultWithSignal): Promise<ListPartsResponse> => {
      const stored = await api.get<ListPartsResponse>(routePath(UPLOADS_ROUTES.listParts, { uploadId: uploadId ?? '' }), { query: { key }, signal });
      await assertSameFile(fileName(file), stored, checksumsOf(file), signal);
      return stored;
    },

    signPart: async (
      file: ProtocolFile,
      { uploadId, key, partNumber, body, signal }: { uploadId: string; key: string; partNumber: number; body?: Blob; signal?: AbortSignal },
    ): Promise<{ method: 'PUT'; url: string; headers: Record<string, string> }> => {
      const checksums = checksumsOf(file);
      const url = await batcher.getUrl({ uploadId, key, partNumber, parts: checksums, signal });
      const part = checksums.hashed(partNumber)!; // signed, so hashed
      // The bytes Uppy sends must be the bytes that were hashed: same plan, same boundaries.
      if (body && body.size !== part.size) throw new Error(`Part ${partNumber} holds ${body.size} bytes, but ${part.size} were checksummed`);
      // No `expires`: Uppy would turn it into an XHR timeout and kill slow but healthy large parts.
      // S3 only checks the expiry when a part starts.
      return { method: 'PUT', url, headers: partChecksumHeaders(url, part.checksum) };
    },

    completeMultipartUpload: async (
      file: ProtocolFile,
      { key, uploadId, parts, signal }: { key: string; uploadId: string; parts: AwsS3Part[]; signal?: AbortSignal },
    ): Promise<StoredFile> => {
      // S3 checks the assembled file against the checksum of the file on this disk.
      const body: CompleteMultipartRequest = { parts: completedParts(parts), checksum: await checksumsOf(file).whole(signal) };
      const send = () => api.post<CompleteMultipartResponse>(withQuery(routePath(UPLOADS_ROUTES.completeMultipart, { uploadId }), { key }), body, { signal });
      const result = await retrying(send, completeRetryDelays, isRetryableCompleteFailure, signal);
      batcher.forget(uploadId);
      // Uppy reports `location` as the file's URL: absent, not null, when the API has none.
      return { key: result.key, ...(result.location === null ? {} : { location: result.location }), checksum: result.checksum ?? null };
    },

    /** Sends S3's AbortMultipartUpload: see multipart-keeper.ts for when it may be called. */
    abortMultipartUpload: async (_file: unknown, { key, uploadId, signal }: UploadResultWithSignal): Promise<void> => {
      // Without an upload id nothing was created on S3.
      if (!uploadId) return;
      batcher.forget(uploadId);
      await api.delete(withQuery(routePath(UPLOADS_ROUTES.abortMultipart, { uploadId }), { key }), undefined, { signal });
    },

    /** A presigned PUT that binds the file's length, type, metadata and checksum (hashed first). */
    getUploadParameters: async (file: ProtocolFile, options?: { signal?: AbortSignal }): Promise<{ method: 'PUT'; url: string; headers: Record<string, string> }> => {
      const query: Record<string, string> = { filename: fileName(file), type: fileType(file), checksum: await checksumsOf(file).whole(options?.signal) };
      for (const [name, value] of Object.entries(sentMetadata(file.meta, file.size) as Record<string, string>)) query[`metadata[${name}]`] = value;
      const params = await api.get<SmallUploadParameters>(UPLOADS_ROUTES.smallUpload.path, { query, signal: options?.signal });
      if (params.key) smallFileKeys.set(file.id, params.key);
      return { method: 'PUT', url: params.url, headers: sendableHeaders(params.headers) };
    },

    /** The key a small file's URL was signed for (taken once: the file is stored). */
    takeSmallFileKey(fileId: string): string | undefined {
      const key = smallFileKeys.get(fileId);
      smallFileKeys.delete(fileId);
      return key;
    },
  };
}

async function retrying<T>(call: () => Promise<T>, delays: readonly number[], retryable: (error: unknown) => boolean, signal?: AbortSignal): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= delays.length || !retryable(error)) throw error;
      await sleep(delays[attempt]!, signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DOMException('Aborted', 'AbortError'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The `batch` call, for PartUrlBatcher: signs up to MAX_BATCH_PARTS part URLs in one round trip. */
export function createBatchFetcher() {
  return ({ uploadId, key, parts }: BatchRequest) =>
    api
      .post<SignPartsResponse>(withQuery(routePath(UPLOADS_ROUTES.signParts, { uploadId }), { key }), { parts } satisfies SignPartsRequest)
      .then((body) => body.presignedUrls ?? {});
}
