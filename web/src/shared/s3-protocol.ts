// The Companion S3 protocol (issue 3) as @uppy/aws-s3 option functions, over our fetch wrapper so
// refusals keep their API code and a readable message (Uppy's own client drops nested errors).
import type { AwsS3Part, AwsS3UploadParameters } from '@uppy/aws-s3';
import { api, withQuery } from './api-client.js';
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
}

const enc = encodeURIComponent;

export function createS3Protocol({ base, batcher, totalParts }: S3ProtocolOptions) {
  const fileName = (file: ProtocolFile) => String(file.meta.name ?? file.name ?? '');
  const fileType = (file: ProtocolFile) => String(file.meta.type ?? file.type ?? '') || 'application/octet-stream';
  return {
    createMultipartUpload: (file: ProtocolFile) =>
      api.post<{ key: string; uploadId: string }>(`${base}/s3/multipart`, {
        filename: fileName(file),
        type: fileType(file),
        metadata: sentMetadata(file.meta, file.size),
      }),

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
      const result = await api.post<{ location?: string; key: string }>(
        withQuery(`${base}/s3/multipart/${enc(uploadId)}/complete`, { key }),
        { parts: parts.map(({ PartNumber, ETag }) => ({ PartNumber, ETag })) },
        { signal },
      );
      batcher.forget(uploadId);
      return result;
    },

    abortMultipartUpload: async (_file: ProtocolFile, { key, uploadId, signal }: { key: string; uploadId?: string; signal?: AbortSignal }) => {
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

/** The `batch` call, for PartUrlBatcher: signs up to 100 part URLs in one round trip. */
export function createBatchFetcher(base: string) {
  return ({ uploadId, key, partNumbers }: { uploadId: string; key: string; partNumbers: number[] }) =>
    api
      .get<{ presignedUrls: Record<string, string> }>(`${base}/s3/multipart/${enc(uploadId)}/batch`, {
        query: { key, partNumbers: partNumbers.join(',') },
      })
      .then((body) => body.presignedUrls ?? {});
}
