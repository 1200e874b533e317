// The Companion S3 protocol as @uppy/aws-s3 option functions, over our fetch wrapper so refusals keep
// their API code and a readable message (Uppy's own client drops nested errors). Paths and shapes are
// the uploads API's (contract/api/uploads.ts).
import type { AwsS3Part, UploadResultWithSignal } from '@uppy/aws-s3';
import { routePath } from '../../../contract/api/route.js';
import {
  UPLOADS_ROUTES,
  type CompleteMultipartRequest,
  type CompleteMultipartResponse,
  type CreateMultipartRequest,
  type CreateMultipartResponse,
  type ListPartsResponse,
  type SignPartsResponse,
  type SmallUploadParameters,
  type UploadMetadata,
} from '../../../contract/api/uploads.js';
import { api, isApiError, withQuery } from './api-client.js';
import type { BatchRequest, PartUrlBatcher } from './part-url-batcher.js';

/** What the protocol reads of an Uppy file (an UppyFile is one). */
export interface ProtocolFile {
  name?: string;
  type?: string;
  size: number | null;
  meta: Record<string, unknown>;
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

export interface S3ProtocolOptions {
  batcher: PartUrlBatcher;
  /** Parts in a file's multipart upload (same plan as getChunkSize). */
  totalParts: (fileSize: number) => number;
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

export function createS3Protocol({ batcher, totalParts, completeRetryDelays = COMPLETE_RETRY_DELAYS }: S3ProtocolOptions) {
  const fileName = (file: ProtocolFile) => String(file.meta.name ?? file.name ?? '');
  const fileType = (file: ProtocolFile) => String(file.meta.type ?? file.type ?? '') || 'application/octet-stream';
  return {
    // The first batch of part URLs comes with the answer. Only {key, uploadId} goes back to Uppy,
    // which keeps it in the file's state (and Golden Retriever in localStorage).
    createMultipartUpload: async (file: ProtocolFile): Promise<{ key: string; uploadId: string }> => {
      const body: CreateMultipartRequest = { filename: fileName(file), type: fileType(file), metadata: sentMetadata(file.meta, file.size) };
      const create = (partNumbers?: number[]) =>
        api.post<CreateMultipartResponse>(UPLOADS_ROUTES.createMultipart.path, partNumbers ? { ...body, partNumbers } : body);
      const { key, uploadId } = typeof file.size === 'number' ? await batcher.createWithFirstBatch(totalParts(file.size), create) : await create();
      return { key, uploadId };
    },

    listParts: (_file: ProtocolFile, { key, uploadId, signal }: UploadResultWithSignal) =>
      api.get<ListPartsResponse>(routePath(UPLOADS_ROUTES.listParts, { uploadId: uploadId ?? '' }), { query: { key }, signal }),

    signPart: async (
      file: ProtocolFile,
      { uploadId, key, partNumber, signal }: { uploadId: string; key: string; partNumber: number; signal?: AbortSignal },
    ): Promise<{ method: 'PUT'; url: string }> => {
      const url = await batcher.getUrl({ uploadId, key, partNumber, totalParts: totalParts(file.size ?? 0), signal });
      // No `expires`: Uppy would turn it into an XHR timeout and kill slow but healthy large parts.
      // S3 only checks the expiry when a part starts.
      return { method: 'PUT', url };
    },

    completeMultipartUpload: async (
      _file: ProtocolFile,
      { key, uploadId, parts, signal }: { key: string; uploadId: string; parts: AwsS3Part[]; signal?: AbortSignal },
    ): Promise<{ key: string; location?: string }> => {
      const body: CompleteMultipartRequest = { parts: completedParts(parts) };
      const send = () => api.post<CompleteMultipartResponse>(withQuery(routePath(UPLOADS_ROUTES.completeMultipart, { uploadId }), { key }), body, { signal });
      const result = await retrying(send, completeRetryDelays, isRetryableCompleteFailure, signal);
      batcher.forget(uploadId);
      // Uppy reports `location` as the file's URL: absent, not null, when the API has none.
      return result.location === null ? { key: result.key } : { key: result.key, location: result.location };
    },

    /** Sends S3's AbortMultipartUpload: see multipart-keeper.ts for when it may be called. */
    abortMultipartUpload: async (_file: unknown, { key, uploadId, signal }: UploadResultWithSignal): Promise<void> => {
      // Without an upload id nothing was created on S3.
      if (!uploadId) return;
      batcher.forget(uploadId);
      await api.delete(withQuery(routePath(UPLOADS_ROUTES.abortMultipart, { uploadId }), { key }), undefined, { signal });
    },

    getUploadParameters: (file: ProtocolFile, options?: { signal?: AbortSignal }) => {
      const query: Record<string, string> = { filename: fileName(file), type: fileType(file) };
      for (const [name, value] of Object.entries(sentMetadata(file.meta, file.size))) query[`metadata[${name}]`] = value;
      return api.get<SmallUploadParameters>(UPLOADS_ROUTES.smallUpload.path, { query, signal: options?.signal });
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
  return ({ uploadId, key, partNumbers }: BatchRequest) =>
    api
      .get<SignPartsResponse>(routePath(UPLOADS_ROUTES.signParts, { uploadId }), { query: { key, partNumbers: partNumbers.join(',') } })
      .then((body) => body.presignedUrls ?? {});
}
