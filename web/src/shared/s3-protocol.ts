// The Companion S3 protocol (issue 3) as @uppy/aws-s3 option functions, over our fetch wrapper so
// refusals keep their API code and a readable message (Uppy's own client drops nested errors).
import type { AwsS3Part, AwsS3UploadParameters } from '@uppy/aws-s3';
import { api, isApiError, withQuery } from './api-client.js';
import type { PartUrlBatcher } from './part-url-batcher.js';

export interface ProtocolFile {
  name?: string;
  type?: string;
  size: number | null;
  meta: Record<string, unknown>;
}

/** Metadata the API reads: the folder-drop path, and the target endpoint of an admin upload. */
export const SENT_META_FIELDS = ['relativePath', 'endpoint'] as const;

/**
 * What goes to the API as `metadata`: those fields, plus `size`, which the API needs to check the
 * endpoint's limit at create and the assembled size at completion (Uppy does not send it).
 */
export function sentMetadata(meta: Record<string, unknown>, size: number | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of SENT_META_FIELDS) {
    const value = meta[field];
    if (typeof value === 'string' && value !== '') out[field] = value;
  }
  if (typeof size === 'number' && Number.isSafeInteger(size) && size >= 0) out.size = String(size);
  return out;
}

export interface S3ProtocolOptions {
  /** '/api' */
  base: string;
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

const enc = encodeURIComponent;

export function createS3Protocol({ base, batcher, totalParts, completeRetryDelays = COMPLETE_RETRY_DELAYS }: S3ProtocolOptions) {
  const fileName = (file: ProtocolFile) => String(file.meta.name ?? file.name ?? '');
  const fileType = (file: ProtocolFile) => String(file.meta.type ?? file.type ?? '') || 'application/octet-stream';
  return {
    // The first batch of part URLs comes with the answer. Only {key, uploadId} goes back to Uppy,
    // which keeps it in the file's state (and Golden Retriever in localStorage).
    createMultipartUpload: async (file: ProtocolFile): Promise<{ key: string; uploadId: string }> => {
      const body = { filename: fileName(file), type: fileType(file), metadata: sentMetadata(file.meta, file.size) };
      const create = (partNumbers?: number[]) =>
        api.post<{ key: string; uploadId: string; presignedUrls?: Record<string, string> }>(`${base}/s3/multipart`, partNumbers ? { ...body, partNumbers } : body);
      const { key, uploadId } = typeof file.size === 'number' ? await batcher.createWithFirstBatch(totalParts(file.size), create) : await create();
      return { key, uploadId };
    },

    listParts: (_file: ProtocolFile, { key, uploadId, signal }: { key: string; uploadId?: string; signal?: AbortSignal }) =>
      api.get<AwsS3Part[]>(`${base}/s3/multipart/${enc(uploadId ?? '')}`, { query: { key }, signal }),

    signPart: async (
      file: ProtocolFile,
      { uploadId, key, partNumber, signal }: { uploadId: string; key: string; partNumber: number; signal?: AbortSignal },
    ): Promise<AwsS3UploadParameters> => {
      const url = await batcher.getUrl({ uploadId, key, partNumber, totalParts: totalParts(file.size ?? 0), signal });
      // No `expires`: Uppy would turn it into an XHR timeout and kill slow but healthy large parts.
      // S3 only checks the expiry when a part starts.
      return { method: 'PUT', url };
    },

    completeMultipartUpload: async (
      _file: ProtocolFile,
      { key, uploadId, parts, signal }: { key: string; uploadId: string; parts: AwsS3Part[]; signal?: AbortSignal },
    ) => {
      const send = () =>
        api.post<{ location?: string; key: string }>(
          withQuery(`${base}/s3/multipart/${enc(uploadId)}/complete`, { key }),
          { parts: parts.map(({ PartNumber, ETag }) => ({ PartNumber, ETag })) },
          { signal },
        );
      const result = await retrying(send, completeRetryDelays, isRetryableCompleteFailure, signal);
      batcher.forget(uploadId);
      return result;
    },

    /** Sends S3's AbortMultipartUpload: see multipart-keeper.ts for when it may be called. */
    abortMultipartUpload: async (_file: unknown, { key, uploadId, signal }: { key: string; uploadId?: string; signal?: AbortSignal }) => {
      if (uploadId) batcher.forget(uploadId);
      await api.delete(withQuery(`${base}/s3/multipart/${enc(uploadId ?? '')}`, { key }), undefined, { signal });
    },

    getUploadParameters: (file: ProtocolFile, options?: { signal?: AbortSignal }) => {
      const query: Record<string, string> = { filename: fileName(file), type: fileType(file) };
      for (const [name, value] of Object.entries(sentMetadata(file.meta, file.size))) query[`metadata[${name}]`] = value;
      return api.get<AwsS3UploadParameters>(`${base}/s3/params`, { query, signal: options?.signal });
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

/** The `batch` call, for PartUrlBatcher: signs up to 100 part URLs in one round trip. */
export function createBatchFetcher(base: string) {
  return ({ uploadId, key, partNumbers }: { uploadId: string; key: string; partNumbers: number[] }) =>
    api
      .get<{ presignedUrls: Record<string, string> }>(`${base}/s3/multipart/${enc(uploadId)}/batch`, {
        query: { key, partNumbers: partNumbers.join(',') },
      })
      .then((body) => body.presignedUrls ?? {});
}
