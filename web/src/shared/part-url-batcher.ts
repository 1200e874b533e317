// Signs multipart part URLs in batches ahead of need, so most parts start without an API round trip.
// Wired into @uppy/aws-s3's `signPart`: Uppy asks for one part at a time; we fetch that part and the
// next ones in a single `batch` call and hand each URL out once.
import { MAX_BATCH_PARTS } from '../../../contract/limits.js';

export interface BatchRequest {
  uploadId: string;
  key: string;
  partNumbers: number[];
}

/** Returns `{"<partNumber>": url}` for the requested parts (the API's `presignedUrls`). */
export type FetchBatch = (request: BatchRequest) => Promise<Record<string, string>>;

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
  now?: () => number;
}

export interface PartUrlRequest {
  uploadId: string;
  key: string;
  partNumber: number;
  /** Parts in the whole upload, so batches never sign past the end. */
  totalParts: number;
  signal?: AbortSignal;
}

interface UploadCache {
  key: string;
  /** Signed but not yet handed out: part -> URL and when it stops being usable. */
  ready: Map<number, { url: string; usableUntil: number }>;
  /** Batches in flight, by part number. */
  pending: Map<number, Promise<void>>;
  /** Parts whose URL went out; not prefetched again (a retry asks explicitly). */
  handedOut: Set<number>;
}

export class PartUrlBatcher {
  readonly #fetchBatch: FetchBatch;
  readonly #batchSize: number;
  readonly #lifetimeMs: number;
  readonly #marginMs: number;
  readonly #now: () => number;
  readonly #uploads = new Map<string, UploadCache>();
  /** Batch calls made, for tests and the debug log. */
  batchCalls = 0;

  constructor(options: PartUrlBatcherOptions) {
    this.#fetchBatch = options.fetchBatch;
    this.#batchSize = Math.min(MAX_BATCH_PARTS, Math.max(1, Math.floor(options.batchSize ?? 12)));
    this.#lifetimeMs = options.lifetimeMs;
    this.#marginMs = options.safetyMarginMs ?? Math.min(5 * 60_000, options.lifetimeMs / 4);
    this.#now = options.now ?? Date.now;
  }

  /** The URL for one part: from the cache when a fresh one is there, else from a new batch call. */
  async getUrl(request: PartUrlRequest): Promise<string> {
    const upload = this.#upload(request.uploadId, request.key);
    // At most two waits: for a batch already covering this part, then for one of our own.
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(request.signal);
      const cached = this.#take(upload, request.partNumber);
      if (cached) return cached;
      if (attempt === 2) throw new Error(`The API did not sign part ${request.partNumber}`);
      const pending = upload.pending.get(request.partNumber);
      const batch = pending ?? this.#startBatch(request.uploadId, upload, request.partNumber, request.totalParts);
      await abortable(batch, request.signal);
    }
  }

  /**
   * Creates an upload with its first batch signed in the same call (the create body's `partNumbers`),
   * so the first parts start without a batch round trip. `create` gets the part numbers to ask for;
   * the URLs it returns are cached as if a batch call made at the same moment had fetched them.
   */
  async createWithFirstBatch<T extends { uploadId: string; key: string; presignedUrls?: Record<string, string> }>(
    totalParts: number,
    create: (partNumbers: number[]) => Promise<T>,
  ): Promise<T> {
    const partNumbers = Array.from({ length: Math.max(1, Math.min(this.#batchSize, totalParts)) }, (_, i) => i + 1);
    const requestedAt = this.#now();
    const created = await create(partNumbers);
    if (created.presignedUrls) this.#store(this.#upload(created.uploadId, created.key), partNumbers, created.presignedUrls, requestedAt);
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
      upload = { key, ready: new Map(), pending: new Map(), handedOut: new Set() };
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

  /** Only the asked-for parts are kept; a part the answer lacks is fetched again when needed. */
  #store(upload: UploadCache, partNumbers: readonly number[], urls: Record<string, string>, requestedAt: number): void {
    // Counted from when we asked, not when the answer came: errs on the safe side.
    const usableUntil = requestedAt + this.#lifetimeMs - this.#marginMs;
    for (const n of partNumbers) {
      const url = urls[String(n)];
      if (typeof url === 'string' && url) upload.ready.set(n, { url, usableUntil });
    }
  }

  #startBatch(uploadId: string, upload: UploadCache, partNumber: number, totalParts: number): Promise<void> {
    const now = this.#now();
    const partNumbers = [partNumber];
    // Ahead of need: the next parts that are neither fresh in the cache, nor being fetched, nor sent.
    for (let n = partNumber + 1; n <= totalParts && partNumbers.length < this.#batchSize; n++) {
      const ready = upload.ready.get(n);
      if ((ready && ready.usableUntil > now) || upload.pending.has(n) || upload.handedOut.has(n)) continue;
      partNumbers.push(n);
    }
    const requestedAt = now;
    this.batchCalls++;
    const batch = this.#fetchBatch({ uploadId, key: upload.key, partNumbers }).then((urls) => this.#store(upload, partNumbers, urls, requestedAt));
    const settled = batch.finally(() => {
      for (const n of partNumbers) if (upload.pending.get(n) === settled) upload.pending.delete(n);
    });
    for (const n of partNumbers) upload.pending.set(n, settled);
    // A failed batch rejects every waiter; nobody may be listening to `settled` itself.
    settled.catch(() => {});
    return settled;
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
}

/** Waits for a shared promise, but lets this caller give up without cancelling it for the others. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new DOMException('Aborted', 'AbortError'));
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
