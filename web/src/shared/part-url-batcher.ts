// Signs multipart part URLs in batches ahead of need, so most parts start without an API round trip.
// Wired into @uppy/aws-s3's `signPart`: Uppy asks for one part at a time; we sign that part and the
// next ones in a single `batch` call and hand each URL out once.
//
// A part's URL binds its size and checksum, so only hashed parts can be signed. The hasher runs ahead
// of the upload, and a batch takes every part hashed by then; while the hasher is behind (the first
// seconds of an upload, or a busy machine), a batch waits a little (at most `maxHashWaitMs`) until it
// can cover twice as many parts as all batches before it, so the parts signed triple with each call
// instead of growing by what the hasher finished in between: 1 GiB in 16 MiB parts takes the create
// call (6 parts) and at most three batches (18, 54, 64) unless the hasher falls far behind, and
// usually two.
import type { PartToSign } from '../../../contract/api/uploads.js';
import { MAX_BATCH_PARTS } from '../../../contract/limits.js';
import { abortReason } from './abort-reason.js';

export interface BatchRequest {
  uploadId: string;
  key: string;
  parts: PartToSign[];
}

/** Returns `{"<partNumber>": url}` for the requested parts (the API's `presignedUrls`). */
export type FetchBatch = (request: BatchRequest) => Promise<Record<string, string>>;

/** A file's part checksums as the batcher reads them (hashing/file-hasher.ts's FileHasher is one). */
export interface HashedParts {
  readonly totalParts: number;
  /** Parts 1..n are hashed. */
  readonly hashedThrough: number;
  hashed(partNumber: number): PartToSign | undefined;
  part(partNumber: number, signal?: AbortSignal): Promise<PartToSign>;
  whenHashedThrough(partNumber: number): Promise<void>;
}

export interface PartUrlBatcherOptions {
  fetchBatch: FetchBatch;
  /** Parts per batch call. @default 12; the API accepts at most MAX_BATCH_PARTS. */
  batchSize?: number;
  /** How long a URL stays valid after it was requested (the API's presign expiry). */
  lifetimeMs: number;
  /**
   * A cached URL is not handed out once less than this is left: a part must *start* before its URL
   * expires, and the signing credentials may die a little earlier than `expiresIn` says.
   * @default a quarter of the lifetime, at most 5 minutes
   */
  safetyMarginMs?: number;
  /** The smallest span the first batch (the create's) waits for: the parts sent in parallel. @default 6 */
  firstBatchParts?: number;
  /**
   * How long a batch may wait for the hasher to reach its span; then it signs what is hashed. While
   * the hasher is the bottleneck a wait costs little: the parts it holds back could not all have been
   * sent sooner. @default 1000
   */
  maxHashWaitMs?: number;
  now?: () => number;
}

export interface PartUrlRequest {
  uploadId: string;
  key: string;
  partNumber: number;
  /** The file's checksums: what a batch may sign, and where it ends. */
  parts: HashedParts;
  signal?: AbortSignal;
}

interface UploadCache {
  key: string;
  /** Signed but not yet handed out: part -> URL and when it stops being usable. */
  ready: Map<number, { url: string; usableUntil: number }>;
  /** Parts whose URL went out; not signed ahead again (a retry asks explicitly). */
  handedOut: Set<number>;
  /** Parts signed so far, each time counted: the next batch waits for twice this span. */
  signed: number;
  /** The batch in flight: one at a time per upload, everyone else waits for it and then looks again. */
  batch?: Promise<void>;
}

export class PartUrlBatcher {
  readonly #fetchBatch: FetchBatch;
  readonly #batchSize: number;
  readonly #lifetimeMs: number;
  readonly #marginMs: number;
  readonly #firstBatchParts: number;
  readonly #maxHashWaitMs: number;
  readonly #now: () => number;
  readonly #uploads = new Map<string, UploadCache>();
  /** Batch calls made (the create's first batch not counted), for tests and the debug log. */
  batchCalls = 0;

  constructor(options: PartUrlBatcherOptions) {
    this.#fetchBatch = options.fetchBatch;
    this.#batchSize = Math.min(MAX_BATCH_PARTS, Math.max(1, Math.floor(options.batchSize ?? 12)));
    this.#lifetimeMs = options.lifetimeMs;
    this.#marginMs = options.safetyMarginMs ?? Math.min(5 * 60_000, options.lifetimeMs / 4);
    this.#firstBatchParts = Math.max(1, Math.floor(options.firstBatchParts ?? 6));
    this.#maxHashWaitMs = options.maxHashWaitMs ?? 1000;
    this.#now = options.now ?? Date.now;
  }

  /** The URL for one part: from the cache when a fresh one is there, else from a new batch call. */
  async getUrl(request: PartUrlRequest): Promise<string> {
    const upload = this.#upload(request.uploadId, request.key);
    for (let ownBatches = 0; ; ) {
      throwIfAborted(request.signal);
      const cached = this.#take(upload, request.partNumber);
      if (cached) return cached;
      if (!upload.batch) {
        if (ownBatches++ === 1) throw new Error(`The API did not sign part ${request.partNumber}`);
        this.#startBatch(request.uploadId, upload, request.partNumber, request.parts);
      }
      await abortable(upload.batch!, request.signal);
    }
  }

  /**
   * Creates an upload with its first batch signed in the same call (the create body's `parts`), so the
   * first parts start without a batch round trip. `create` gets the parts to sign; the URLs it returns
   * are cached as if a batch call made at the same moment had fetched them.
   */
  async createWithFirstBatch<T extends { uploadId: string; key: string; presignedUrls?: Record<string, string> }>(
    parts: HashedParts,
    create: (toSign: PartToSign[]) => Promise<T>,
  ): Promise<T> {
    const toSign = await this.#partsToSign(parts, 1, undefined);
    const requestedAt = this.#now();
    const created = await create(toSign);
    const upload = this.#upload(created.uploadId, created.key);
    upload.signed += toSign.length;
    if (created.presignedUrls) this.#store(upload, toSign, created.presignedUrls, requestedAt);
    return created;
  }

  /**
   * Drops cached URLs (of one upload, or all): call it when S3 says a URL expired or its token died,
   * because the other URLs from the same batch share that fate.
   */
  invalidate(uploadId?: string): void {
    const targets = uploadId === undefined ? [...this.#uploads.values()] : [this.#uploads.get(uploadId)].filter((u) => u !== undefined);
    for (const upload of targets) upload.ready.clear();
  }

  /** Forgets an upload entirely (completed or aborted). */
  forget(uploadId: string): void {
    this.#uploads.delete(uploadId);
  }

  /** Cached, unexpired URLs of an upload (for tests and diagnostics). */
  cachedParts(uploadId: string): number[] {
    const upload = this.#uploads.get(uploadId);
    if (!upload) return [];
    const now = this.#now();
    return [...upload.ready].filter(([, entry]) => entry.usableUntil > now).map(([part]) => part).sort((a, b) => a - b);
  }

  #upload(uploadId: string, key: string): UploadCache {
    let upload = this.#uploads.get(uploadId);
    if (!upload || upload.key !== key) {
      upload = { key, ready: new Map(), handedOut: new Set(), signed: 0 };
      this.#uploads.set(uploadId, upload);
    }
    return upload;
  }

  /** Hands a URL out once: a retry of the same part never gets a URL that may just have failed. */
  #take(upload: UploadCache, partNumber: number): string | undefined {
    const entry = upload.ready.get(partNumber);
    if (!entry) return undefined;
    upload.ready.delete(partNumber);
    if (entry.usableUntil <= this.#now()) return undefined;
    upload.handedOut.add(partNumber);
    return entry.url;
  }

  /** Only the asked-for parts are kept; a part the answer lacks is signed again when needed. */
  #store(upload: UploadCache, parts: readonly PartToSign[], urls: Record<string, string>, requestedAt: number): void {
    // Counted from when we asked, not when the answer came: errs on the safe side.
    const usableUntil = requestedAt + this.#lifetimeMs - this.#marginMs;
    for (const { partNumber } of parts) {
      const url = urls[String(partNumber)];
      if (typeof url === 'string' && url) upload.ready.set(partNumber, { url, usableUntil });
    }
  }

  #startBatch(uploadId: string, upload: UploadCache, partNumber: number, parts: HashedParts): void {
    const batch = (async () => {
      const toSign = await this.#partsToSign(parts, partNumber, upload);
      const requestedAt = this.#now();
      this.batchCalls++;
      const urls = await this.#fetchBatch({ uploadId, key: upload.key, parts: toSign });
      upload.signed += toSign.length;
      this.#store(upload, toSign, urls, requestedAt);
    })();
    const settled = batch.finally(() => {
      if (upload.batch === settled) upload.batch = undefined;
    });
    // A failed batch rejects every waiter; nobody may be listening to `settled` itself.
    settled.catch(() => {});
    upload.batch = settled;
  }

  /**
   * Part `from` and the hashed parts after it that are neither fresh in the cache nor sent already, up to
   * a batch. Waits for `from` to be hashed, then (at most maxHashWaitMs) for the batch's span: twice as
   * many parts as were signed before, at least the first batch's.
   */
  async #partsToSign(parts: HashedParts, from: number, upload: UploadCache | undefined): Promise<PartToSign[]> {
    const first = await parts.part(from);
    const span = Math.min(this.#batchSize, Math.max(this.#firstBatchParts, 2 * (upload?.signed ?? 0)));
    const through = Math.min(parts.totalParts, from - 1 + span);
    if (parts.hashedThrough < through) await waitAtMost(parts.whenHashedThrough(through), this.#maxHashWaitMs);
    const now = this.#now();
    const toSign = [first];
    for (let n = from + 1; n <= parts.totalParts && toSign.length < this.#batchSize; n++) {
      const part = parts.hashed(n);
      if (!part) break; // parts are hashed in order: none after this one either
      const ready = upload?.ready.get(n);
      if ((ready && ready.usableUntil > now) || upload?.handedOut.has(n)) continue;
      toSign.push(part);
    }
    return toSign;
  }
}

/** Waits for `promise` (its failure included) or `ms`, whichever comes first. */
function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const elapsed = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([promise.then(() => undefined, () => undefined), elapsed]).finally(() => clearTimeout(timer));
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}

/** Waits for a shared promise, but lets this caller give up without cancelling it for the others. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
