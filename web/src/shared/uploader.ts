// The Uppy set-up both pages share: Dashboard (drag & drop of files and folders), @uppy/aws-s3 v5
// over our Companion-protocol client with batched part signing, Golden Retriever for resume, and a
// checksum for every part and every file, computed from the file by the hashing worker.
import Uppy, { type Meta, type UppyEventMap } from '@uppy/core';
import Dashboard, { type DashboardOptions } from '@uppy/dashboard';
import AwsS3, { type AwsBody, type AwsS3Options } from '@uppy/aws-s3';
import GoldenRetriever from '@uppy/golden-retriever';
import '@uppy/core/css/style.min.css';
import '@uppy/dashboard/css/style.min.css';
import type { MeResponse, UploadSettings } from '../../../contract/api/uploads.js';
import { CHECKSUM_ALGORITHM, CHECKSUM_HEADER, type FileChecksum, type FileReceipt } from '../../../contract/checksums.js';
import { isExtensionAllowed } from '../../../contract/extensions.js';
import { MAX_BATCH_PARTS, S3_MAX_PARTS, UPLOAD_DEFAULTS } from '../../../contract/limits.js';
import { planPartSize } from '../../../contract/part-plan.js';
import { isApiError } from './api-client.js';
import { fileChecksumOf } from './checksum-format.js';
import { isExpiredSignature, messageForS3Failure } from './error-messages.js';
import { keepFileHandles } from './file-handles.js';
import { formatBytes, formatExtensions } from './format.js';
import type { FileHasher, HashClient } from './hashing/file-hasher.js';
import { createHashClient } from './hashing/start-hash-worker.js';
import { keepMultipartUploads } from './multipart-keeper.js';
import { createPartProgressGate } from './part-progress.js';
import { PartUrlBatcher } from './part-url-batcher.js';
import { fileReceipt } from './receipt.js';
import { createBatchFetcher, createS3Protocol, type ProtocolFile, type StoredFile } from './s3-protocol.js';
import { isDifferentFileError } from './stored-part-check.js';
import { STARTED_AT_META } from './upload-deadline.js';
import { PART_SIZE_META, partSizeFor } from './upload-part-size.js';
import { waitForUploadSlots } from './upload-slots.js';
import { listen } from './uppy-listeners.js';

/**
 * What a file's upload answers: @uppy/aws-s3 puts the completion's `key`, `location` and `checksum`
 * here (a small file's PUT: S3's response headers).
 */
export type UploadBody = AwsBody & Partial<Pick<StoredFile, 'checksum'>>;
export type PortalUppy = Uppy<Meta, UploadBody>;

/** The uploads Lambda's defaults, for when /api/me is not reachable (admin console). */
export const DEFAULT_UPLOAD_SETTINGS: UploadSettings = {
  ...UPLOAD_DEFAULTS,
  maxParts: S3_MAX_PARTS,
  maxPartsPerBatch: MAX_BATCH_PARTS,
  checksumAlgorithm: CHECKSUM_ALGORITHM,
};

/** The endpoint's limits the page enforces before sending, as /api/me describes them. */
export type UploadLimits = Pick<NonNullable<MeResponse['endpoint']>, 'maxFileSizeBytes' | 'allowedExtensions'>;

const DAY_MS = 86_400_000;

/**
 * How long Golden Retriever keeps what a reload needs to resume: as long as an unfinished upload can
 * still be resumed. The lifecycle rule aborts it `incompleteUploadDays` after it began, at the next
 * midnight UTC, so up to a day later (the server keeps its quota hold as long).
 */
export const restoreLifetimeMs = (settings: Pick<UploadSettings, 'incompleteUploadDays'>): number => (settings.incompleteUploadDays + 1) * DAY_MS;

export interface UploaderOptions {
  /** Also the Golden Retriever store name: one per endpoint, so restores never cross endpoints. */
  id: string;
  target: HTMLElement;
  settings: UploadSettings;
  limits: UploadLimits;
  /** Added to every file's metadata (the admin console sets `endpoint`). */
  meta?: Record<string, string>;
  height?: number;
  /** The endpoint the files go to, as each receipt names it. */
  endpoint: string;
  /** Each stored file's receipt, with the checksum S3 verified and keeps. */
  onFileStored?: (receipt: FileReceipt) => void;
  /** The page's hashing worker (tests and the bench pass their own). @default one per page */
  hashClient?: HashClient;
}

/**
 * Waits between retries of a failed part or signing call. Uppy's default gives up after ~9 s;
 * a flaky hotel network deserves a couple of minutes before a 40 GB upload is marked failed.
 */
export const RETRY_DELAYS = [0, 1_000, 3_000, 5_000, 10_000, 20_000, 30_000, 60_000];

/**
 * Parts signed per batch call: as many as the API allows (MAX_BATCH_PARTS, 1.6 GB at the minimum
 * part size), because every call is an ALB request and a Lambda invocation; a 1 GiB file then costs
 * one signing call instead of six. URLs that near expiry before use are dropped and signed again by
 * the batcher, so a slow link only wastes signatures.
 */
export const batchSizeFor = (maxPerBatch: number = MAX_BATCH_PARTS) => Math.max(1, Math.min(maxPerBatch, MAX_BATCH_PARTS));

let pageHashClient: HashClient | undefined;

export function createUploader(options: UploaderOptions) {
  const { settings, limits } = options;
  const planOptions = { minPartSize: settings.minPartSizeBytes, maxParts: settings.maxParts };
  const batcher = new PartUrlBatcher({
    fetchBatch: createBatchFetcher(),
    batchSize: batchSizeFor(settings.maxPartsPerBatch),
    lifetimeMs: settings.presignExpiresSeconds * 1000,
    // The first parts are sent all at once: the create call signs them together.
    firstBatchParts: settings.concurrency,
  });
  const hashClient = options.hashClient ?? (pageHashClient ??= createHashClient());
  // One hasher per file's bytes: a file picked again (after a reload, or the right one after a
  // refusal) is hashed anew; a retry, a pause or a network loss reuses what was hashed.
  const hashers = new WeakMap<Blob, FileHasher>();
  const checksumsOf = (file: ProtocolFile): FileHasher => {
    const data = file.data;
    if (!(data instanceof Blob)) throw new Error(`${file.name ?? 'This file'} has no data to checksum: choose it again`);
    let hasher = hashers.get(data);
    // A resumed upload's own part size (upload-part-size.ts), so its stored parts compare with the file.
    if (!hasher) hashers.set(data, (hasher = hashClient.hash(data, partSizeFor({ size: data.size, meta: file.meta }, settings))));
    return hasher;
  };
  const protocol = createS3Protocol({ batcher, checksumsOf });

  /** Files refused as a different file on resume: adding the right one replaces their bytes and resumes. */
  const refused = new Set<string>();

  const uppy: PortalUppy = new Uppy<Meta, UploadBody>({
    id: options.id,
    autoProceed: false,
    restrictions: { maxFileSize: limits.maxFileSizeBytes ?? null },
    meta: { ...options.meta },
    // Extensions are checked here, not with `allowedFileTypes`: Uppy compares only the last
    // extension, so `tar.gz` would never match.
    onBeforeFileAdded: (file, files) => {
      const existing = files[file.id];
      if (existing && refused.has(file.id) && file.data instanceof Blob) {
        // Same name, size and date as the refused one: keep its upload (key, upload id, progress), take these bytes.
        return { ...existing, data: file.data, isGhost: false, error: null };
      }
      if (existing) return false; // Uppy's default: no duplicates (ghosts pass)
      if (!isExtensionAllowed(file.name ?? '', limits.allowedExtensions)) {
        uppy.info(`${file.name}: only ${formatExtensions(limits.allowedExtensions)} files are accepted here.`, 'error', 8000);
        return false;
      }
      return true;
    },
  });

  const note = [
    limits.maxFileSizeBytes ? `Up to ${formatBytes(limits.maxFileSizeBytes)} per file` : null,
    limits.allowedExtensions?.length ? `Accepted: ${formatExtensions(limits.allowedExtensions)}` : null,
  ].filter(Boolean).join(' · ');

  const dashboard: DashboardOptions<Meta, UploadBody> = {
    inline: true,
    target: options.target,
    width: '100%',
    height: options.height ?? 420,
    fileManagerSelectionType: 'both',
    proudlyDisplayPoweredByUppy: false,
    // Our total line shows speed and time left across all files; Uppy's own estimate would contradict it.
    hideProgressDetails: true,
    note: note || null,
    showRemoveButtonAfterComplete: false,
    doneButtonHandler: null,
    theme: 'light',
  };
  // Each plugin is named with this Uppy's types: `use` takes its options type from the class it is
  // given, and the bare class would check them against the default file body instead.
  uppy.use(Dashboard<Meta, UploadBody>, dashboard);

  const partProgress = createPartProgressGate();

  // Before AwsS3, so its listeners run ahead of the plugin's (see multipart-keeper.ts).
  const keeper = keepMultipartUploads(uppy, (ids) => protocol.abortMultipartUpload(null, ids));
  // Files beyond the login's open uploads wait, paused, and start by themselves (upload-slots.ts).
  const slots = waitForUploadSlots(uppy);

  const s3: AwsS3Options<Meta, UploadBody> = {
    limit: settings.concurrency,
    retryDelays: RETRY_DELAYS,
    // Multipart from the threshold on, a file of exactly that size included: Uppy's own default uses `>`.
    shouldUseMultipart: (file) => (file.size ?? 0) >= settings.multipartThresholdBytes,
    // Uppy passes the file's bytes: the Uppy file they belong to carries a resumed upload's part size.
    getChunkSize: (data) => {
      const file = uppy.getFiles().find((f) => f.data === data);
      return file ? partSizeFor({ size: data.size, meta: file.meta }, settings) : planPartSize(data.size, planOptions);
    },
    ...protocol,
    createMultipartUpload: async (file) => {
      let ids;
      try {
        ids = await protocol.createMultipartUpload(file);
      } catch (error) {
        // A refusal for too many open uploads pauses the file; the plugin then takes this failure for the pause.
        slots.waitIfRefused(file.id, error);
        throw error;
      }
      slots.started(file.id);
      keeper.remember(file.id, ids);
      // For the deadline the page shows (upload-deadline.ts); Golden Retriever keeps it across reloads.
      uppy.setFileMeta(file.id, { [STARTED_AT_META]: new Date().toISOString() });
      // The part size it was hashed and begun with, for a resume after /api/me's settings changed.
      if (file.size !== null) uppy.setFileMeta(file.id, { [PART_SIZE_META]: partSizeFor({ size: file.size, meta: file.meta }, settings) });
      return ids;
    },
    // Uppy also calls this when a fresh upload fails, which would delete every part already sent.
    abortMultipartUpload: (file, ids) => keeper.abortMultipartUpload(file, ids),
    uploadPartBytes: async (args) => {
      const partBytes = args.size ?? (args.body instanceof Blob ? args.body.size : Infinity);
      const progress = args.onProgress ? partProgress.track(args.onProgress as (event: { loaded: number }) => void, partBytes) : undefined;
      try {
        return await AwsS3.uploadPartBytes({ ...args, ...(progress ? { onProgress: progress.onProgress } : {}) });
      } catch (error) {
        throw explainS3Failure(error, batcher);
      } finally {
        progress?.settle();
      }
    },
  };
  uppy.use(AwsS3<Meta, UploadBody>, s3);

  uppy.use(GoldenRetriever<Meta, UploadBody>, { expires: restoreLifetimeMs(settings) });
  // After Golden Retriever: it restores the files the handles are matched with.
  const handles = keepFileHandles(uppy, options.target, options.id);

  const checksums = hashChecksums(uppy, checksumsOf, hashers);
  const resumes = resumeRefusedFiles(uppy, refused);
  const receipts = reportStoredFiles(uppy, (file, body) => {
    const hasher = file.data instanceof Blob ? hashers.get(file.data) : undefined;
    const checksum = storedChecksum(body, hasher?.wholeChecksum);
    const key = body?.key || protocol.takeSmallFileKey(file.id);
    if (!checksum || !key) return;
    options.onFileStored?.(
      fileReceipt({ displayName: String(file.meta.relativePath || file.meta.name || file.name), key, endpoint: options.endpoint, size: file.size ?? 0, checksum, completedAt: new Date() }),
    );
  });
  const retries = retryAfterNetworkLoss(uppy);
  return {
    uppy,
    batcher,
    handles,
    slots,
    destroy: () => {
      slots.stop();
      retries.stop();
      receipts.stop();
      resumes.stop();
      checksums.stop();
      handles.stop();
      partProgress.stop();
      uppy.destroy();
      // After: destroy cancels all (the widget was closed), and those uploads are aborted as before.
      keeper.stop();
    },
  };
}

/**
 * The checksum a stored file's receipt shows: what S3 answered (the completion's `checksum`, or a small
 * file's `x-amz-checksum-crc64nvme` response header), else the file's own, which S3 checked the
 * upload against.
 */
export function storedChecksum(body: UploadBody | undefined, computed: string | undefined): FileChecksum | null {
  const header = (body as Record<string, unknown> | undefined)?.[CHECKSUM_HEADER];
  return fileChecksumOf(body?.checksum?.base64) ?? fileChecksumOf(typeof header === 'string' ? header : undefined) ?? fileChecksumOf(computed);
}

/** Starts hashing each file as it is added (ahead of the click on Upload), and lets go of it when it goes. */
function hashChecksums(uppy: PortalUppy, checksumsOf: (file: ProtocolFile) => FileHasher, hashers: WeakMap<Blob, FileHasher>) {
  const release = (file: { data?: unknown } | undefined) => {
    if (file?.data instanceof Blob) hashers.get(file.data)?.release();
  };
  const stop = listen(uppy, {
    'file-added': (file) => {
      if (!file.isRemote && file.data instanceof Blob) checksumsOf(file);
    },
    'file-removed': release,
    'upload-success': release,
  });
  return { stop };
}

/**
 * A file refused on resume as a different file (stored-part-check.ts) keeps its upload: the person is
 * told to add the original, and when it comes (same name, size and date, so the same Uppy file) its
 * bytes replace the refused ones and the upload resumes by itself, checked again.
 */
function resumeRefusedFiles(uppy: PortalUppy, refused: Set<string>) {
  const stop = listen(uppy, {
    'upload-error': (file, error) => {
      if (file && isDifferentFileError(error)) refused.add(file.id);
    },
    'file-added': (file) => {
      if (!refused.delete(file.id)) return;
      void uppy.retryUpload(file.id).catch(() => {});
    },
    'file-removed': (file) => file && refused.delete(file.id),
  });
  return { stop };
}

function reportStoredFiles(uppy: PortalUppy, report: (file: Parameters<UppyEventMap<Meta, UploadBody>['upload-success']>[0] & object, body: UploadBody | undefined) => void) {
  const stop = listen(uppy, {
    'upload-success': (file, response) => {
      if (file) report(file, response.body);
    },
  });
  return { stop };
}

/**
 * Drops cached part URLs when S3 says one expired (the rest of its batch shares its signer), and
 * puts a readable message on the error without touching what Uppy's retry logic looks at
 * (`source.status`, and the exact text 'Request has expired'). A part refused with 400 BadDigest (its
 * bytes changed on the way) is retried by Uppy like any 400 (it gives up on 4xx above 400 only), and
 * the retry reads the part from the file again.
 */
function explainS3Failure(error: unknown, batcher: PartUrlBatcher): unknown {
  const source = (error as { source?: { status?: number; responseText?: string } })?.source;
  if (!(error instanceof Error) || !source || typeof source.status !== 'number') return error;
  let body = '';
  try {
    body = source.responseText ?? '';
  } catch {
    // responseText throws for non-text response types
  }
  if (isExpiredSignature(source.status, body)) batcher.invalidate();
  if (error.message !== 'Request has expired') error.message = messageForS3Failure(source.status, body);
  return error;
}

/**
 * "Network down: waits and continues". Uppy pauses its queue while `navigator.onLine` is false; when
 * the network fails while the browser still thinks it is online, retries run out and the file is
 * marked failed. Such files are retried when the browser is back online, or after a pause.
 */
function retryAfterNetworkLoss(uppy: PortalUppy) {
  const waiting = new Map<string, ReturnType<typeof setTimeout>>();
  const attempts = new Map<string, number>();
  const retry = (fileId: string) => {
    clearTimeout(waiting.get(fileId));
    waiting.delete(fileId);
    if (uppy.getFile(fileId)?.error) void uppy.retryUpload(fileId).catch(() => {});
  };
  const unsubscribe = listen(uppy, {
    'upload-error': (file, error) => {
      if (!file || !isNetworkFailure(error)) return;
      const count = (attempts.get(file.id) ?? 0) + 1;
      attempts.set(file.id, count);
      clearTimeout(waiting.get(file.id));
      waiting.set(file.id, setTimeout(() => retry(file.id), Math.min(120_000, 15_000 * count)));
    },
    'back-online': () => [...waiting.keys()].forEach(retry),
    'upload-success': (file) => {
      if (file) attempts.delete(file.id);
    },
  });
  return {
    stop() {
      waiting.forEach((timer) => clearTimeout(timer));
      unsubscribe();
    },
  };
}

function isNetworkFailure(error: unknown): boolean {
  if (isApiError(error)) return error.status === 0 || error.status === 502 || error.status === 503 || error.status === 504;
  const status = (error as { source?: { status?: number } })?.source?.status;
  return status === 0 || (typeof status === 'number' && status >= 500);
}
