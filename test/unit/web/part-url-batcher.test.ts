import { describe, expect, it, vi } from 'vitest';
import type { PartToSign } from '../../../contract/api/uploads.js';
import { MAX_BATCH_PARTS } from '../../../contract/limits.js';
import { PartUrlBatcher, type BatchRequest, type HashedParts } from '../../../web/src/shared/part-url-batcher.js';

/** A file's checksums as a hasher would have them: `hashedThrough` parts ready, more on `hashTo`. */
class FakeParts implements HashedParts {
  #through: number;
  readonly #waiters: { n: number; resolve: () => void }[] = [];
  constructor(
    readonly totalParts: number,
    hashedThrough = totalParts,
  ) {
    this.#through = hashedThrough;
  }
  get hashedThrough() {
    return this.#through;
  }
  hashed(n: number): PartToSign | undefined {
    return n >= 1 && n <= this.#through ? { partNumber: n, size: 16, checksum: `crc-${n}` } : undefined;
  }
  async part(n: number) {
    await this.whenHashedThrough(n);
    return this.hashed(n)!;
  }
  whenHashedThrough(n: number) {
    return this.#through >= n ? Promise.resolve() : new Promise<void>((resolve) => this.#waiters.push({ n, resolve }));
  }
  hashTo(n: number) {
    this.#through = Math.max(this.#through, Math.min(n, this.totalParts));
    for (const waiter of this.#waiters.splice(0)) {
      if (waiter.n <= this.#through) waiter.resolve();
      else this.#waiters.push(waiter);
    }
  }
}

const numbers = (request: BatchRequest) => request.parts.map((p) => p.partNumber);

function setup(options: { batchSize?: number; lifetimeMs?: number; safetyMarginMs?: number; firstBatchParts?: number; maxHashWaitMs?: number; fail?: (call: number) => boolean } = {}) {
  let now = 1_000_000;
  const calls: BatchRequest[] = [];
  const fetchBatch = vi.fn(async (request: BatchRequest) => {
    calls.push(request);
    if (options.fail?.(calls.length)) throw new Error('batch failed');
    return Object.fromEntries(request.parts.map(({ partNumber: n }) => [String(n), `https://s3.test/${request.key}?partNumber=${n}&call=${calls.length}`]));
  });
  const batcher = new PartUrlBatcher({
    fetchBatch,
    batchSize: options.batchSize ?? 4,
    lifetimeMs: options.lifetimeMs ?? 1_800_000,
    safetyMarginMs: options.safetyMarginMs,
    firstBatchParts: options.firstBatchParts ?? 1,
    maxHashWaitMs: options.maxHashWaitMs,
    now: () => now,
  });
  const get = (partNumber: number, parts: HashedParts = new FakeParts(100), extra: { signal?: AbortSignal; uploadId?: string } = {}) =>
    batcher.getUrl({ uploadId: extra.uploadId ?? 'up-1', key: 'uploads/acme/big.bin', partNumber, parts, signal: extra.signal });
  return { batcher, calls, fetchBatch, get, advance: (ms: number) => (now += ms) };
}

describe('PartUrlBatcher', () => {
  it('signs the requested part and the next ones with their sizes and checksums in one call, then serves them from the cache', async () => {
    const { calls, get } = setup({ batchSize: 4 });
    expect(await get(1)).toContain('partNumber=1&call=1');
    expect(calls).toEqual([
      { uploadId: 'up-1', key: 'uploads/acme/big.bin', parts: [1, 2, 3, 4].map((n) => ({ partNumber: n, size: 16, checksum: `crc-${n}` })) },
    ]);
    for (const n of [2, 3, 4]) expect(await get(n)).toContain(`partNumber=${n}&call=1`);
    expect(calls).toHaveLength(1);
    await get(5);
    expect(numbers(calls[1]!)).toEqual([5, 6, 7, 8]);
  });

  it('signs only hashed parts: a batch never waits for the whole span longer than maxHashWaitMs', async () => {
    const { calls, get } = setup({ batchSize: 10, firstBatchParts: 6, maxHashWaitMs: 20 });
    const parts = new FakeParts(64, 2);
    await get(1, parts);
    expect(numbers(calls[0]!)).toEqual([1, 2]);
  });

  it('waits for part asked for to be hashed, then for the span while the hasher gets there in time', async () => {
    const { calls, get } = setup({ batchSize: 100, firstBatchParts: 6, maxHashWaitMs: 60_000 });
    const parts = new FakeParts(64, 0);
    const url = get(1, parts);
    parts.hashTo(3);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(calls).toHaveLength(0); // part 1 is hashed, but the span of 6 is not
    parts.hashTo(9);
    expect(await url).toContain('partNumber=1&call=1');
    expect(numbers(calls[0]!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]); // all that was hashed by then
  });

  it('lets each batch cover twice as many parts as were signed before it: 64 parts take the create and three batches however slow the hasher', async () => {
    const { batcher, calls, get } = setup({ batchSize: 100, firstBatchParts: 6, maxHashWaitMs: 60_000 });
    const parts = new FakeParts(64, 0);
    // The hasher slower than the upload's needs: one part a millisecond, every part asked for at once.
    const hasher = setInterval(() => parts.hashTo(parts.hashedThrough + 1), 1);
    try {
      await batcher.createWithFirstBatch(parts, async (toSign) => ({
        key: 'uploads/acme/big.bin',
        uploadId: 'up-1',
        presignedUrls: Object.fromEntries(toSign.map((p) => [String(p.partNumber), `created-${p.partNumber}`])),
      }));
      for (let n = 1; n <= 64; n++) await get(n, parts);
    } finally {
      clearInterval(hasher);
    }
    expect(calls.map((c) => [c.parts[0]!.partNumber, c.parts.at(-1)!.partNumber])).toEqual([[7, 18], [19, 54], [55, 64]]);
  });

  it('caches the URLs a create call signed along, from the moment it was asked, and fetches what it lacks', async () => {
    const { batcher, calls, get, advance } = setup({ batchSize: 4, lifetimeMs: 60_000, safetyMarginMs: 10_000 });
    const asked: PartToSign[][] = [];
    const parts = new FakeParts(10);
    const created = await batcher.createWithFirstBatch(parts, async (toSign) => {
      asked.push(toSign);
      advance(20_000); // a slow create: the URLs' lifetime started when it was asked
      return { key: 'uploads/acme/big.bin', uploadId: 'up-1', presignedUrls: { '1': 'https://s3.test/created/1', '2': 'https://s3.test/created/2', '4': 'https://s3.test/created/4', '9': 'https://s3.test/unasked/9' } };
    });
    expect(created.uploadId).toBe('up-1');
    expect(asked.map((p) => p.map((x) => x.partNumber))).toEqual([[1, 2, 3, 4]]);
    expect(batcher.cachedParts('up-1')).toEqual([1, 2, 4]); // only what was asked for
    expect(await get(1, parts)).toBe('https://s3.test/created/1');
    expect(calls).toHaveLength(0);
    expect(await get(3, parts)).toContain('partNumber=3&call=1'); // missing from the answer: a batch call
    advance(30_001); // 50 s after the ask: past lifetime minus margin
    expect(await get(2, parts)).toContain('partNumber=2&call=2');
  });

  it('asks a create for at most one batch and at least one part, and falls back to batch calls when the API signs nothing', async () => {
    const { batcher, calls, get } = setup({ batchSize: 4 });
    const asked: number[][] = [];
    const create = async (toSign: PartToSign[]) => (asked.push(toSign.map((p) => p.partNumber)), { key: 'uploads/acme/big.bin', uploadId: 'up-1' });
    await batcher.createWithFirstBatch(new FakeParts(2), create);
    await batcher.createWithFirstBatch(new FakeParts(1), create);
    expect(asked).toEqual([[1, 2], [1]]);
    expect(await get(1, new FakeParts(2))).toContain('call=1');
    expect(calls).toHaveLength(1);
  });

  it('never signs past the last part', async () => {
    const { calls, get } = setup({ batchSize: 10 });
    await get(1, new FakeParts(3));
    expect(numbers(calls[0]!)).toEqual([1, 2, 3]);
  });

  it('shares one in-flight batch between parallel requests for parts it covers', async () => {
    const { calls, get } = setup({ batchSize: 6 });
    const urls = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => get(n)));
    expect(calls).toHaveLength(1);
    expect(urls.map((u) => new URL(u).searchParams.get('partNumber'))).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('makes 10,000 parts cost about 10,000 / batch size calls', async () => {
    const { calls, get } = setup({ batchSize: 100 });
    const parts = new FakeParts(10_000);
    for (let n = 1; n <= 10_000; n++) await get(n, parts);
    expect(calls).toHaveLength(100);
    expect(Math.max(...calls.map((c) => c.parts.length))).toBe(100);
  });

  it('caps the batch at the API limit of 100', async () => {
    const { calls, get } = setup({ batchSize: 500 });
    await get(1, new FakeParts(10_000));
    expect(calls[0]!.parts).toHaveLength(MAX_BATCH_PARTS);
  });

  it('hands each URL out once: a retry of the same part gets a freshly signed URL', async () => {
    const { calls, get } = setup({ batchSize: 4 });
    const first = await get(2);
    const retry = await get(2);
    expect(retry).not.toBe(first);
    expect(calls).toHaveLength(2);
    // The first batch was 2-5; the retry's batch skips the parts still cached (3, 4, 5).
    expect(numbers(calls[1]!)).toEqual([2, 6, 7, 8]);
  });

  it('does not sign ahead parts whose URLs already went out', async () => {
    const { calls, get } = setup({ batchSize: 4 });
    for (const n of [1, 2, 3, 4]) await get(n);
    await get(1); // part 1 failed and is retried
    expect(numbers(calls[1]!)).toEqual([1, 5, 6, 7]);
  });

  it('does not serve URLs close to expiry and signs them again', async () => {
    const { calls, get, advance } = setup({ batchSize: 4, lifetimeMs: 1_800_000, safetyMarginMs: 300_000 });
    await get(1);
    advance(1_400_000); // 400 s of validity left: still more than the 300 s margin
    expect(await get(2)).toContain('call=1');
    advance(200_000); // 200 s left: too close
    expect(await get(3)).toContain('call=2');
    expect(calls[1]!.parts[0]!.partNumber).toBe(3);
  });

  it('defaults the safety margin to a quarter of the lifetime, at most 5 minutes', async () => {
    const short = setup({ batchSize: 2, lifetimeMs: 60_000 });
    await short.get(1);
    short.advance(46_000); // margin 15 s: 14 s left is too little
    expect(await short.get(2)).toContain('call=2');
    expect(short.batcher.cachedParts('up-1')).toEqual([3]);
  });

  it('drops cached URLs on invalidate (an expired signature or token from S3)', async () => {
    const { batcher, calls, get } = setup({ batchSize: 4 });
    await get(1);
    expect(batcher.cachedParts('up-1')).toEqual([2, 3, 4]);
    batcher.invalidate();
    expect(batcher.cachedParts('up-1')).toEqual([]);
    expect(await get(2)).toContain('call=2');
    expect(calls).toHaveLength(2);
  });

  it('invalidates one upload without touching another', async () => {
    const { batcher, get } = setup({ batchSize: 3 });
    await get(1, new FakeParts(10), { uploadId: 'a' });
    await get(1, new FakeParts(10), { uploadId: 'b' });
    batcher.invalidate('a');
    expect(batcher.cachedParts('a')).toEqual([]);
    expect(batcher.cachedParts('b')).toEqual([2, 3]);
    batcher.forget('b');
    expect(batcher.cachedParts('b')).toEqual([]);
  });

  it('rejects every waiter when a batch fails, and the next request tries again', async () => {
    const { calls, get } = setup({ batchSize: 3, fail: (n) => n === 1 });
    const results = await Promise.allSettled([get(1), get(2), get(3)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await get(2)).toContain('call=2');
    expect(calls).toHaveLength(2);
  });

  it('lets one caller abort without cancelling the shared batch for the others', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batcher = new PartUrlBatcher({
      lifetimeMs: 1_800_000,
      batchSize: 2,
      firstBatchParts: 1,
      fetchBatch: async ({ parts }) => {
        await gate;
        return Object.fromEntries(parts.map(({ partNumber: n }) => [String(n), `url-${n}`]));
      },
    });
    const controller = new AbortController();
    const parts = new FakeParts(2);
    const first = batcher.getUrl({ uploadId: 'u', key: 'k', partNumber: 1, parts });
    const second = batcher.getUrl({ uploadId: 'u', key: 'k', partNumber: 2, parts, signal: controller.signal });
    controller.abort(new Error('paused'));
    release();
    await expect(second).rejects.toThrow('paused');
    await expect(first).resolves.toBe('url-1');
  });

  it('fails clearly when the API leaves the part out of its answer', async () => {
    const batcher = new PartUrlBatcher({ lifetimeMs: 1_800_000, fetchBatch: async () => ({}) });
    await expect(batcher.getUrl({ uploadId: 'u', key: 'k', partNumber: 7, parts: new FakeParts(9) })).rejects.toThrow('did not sign part 7');
  });

  it('starts over when the same upload id comes back with another key', async () => {
    const { batcher, calls } = setup({ batchSize: 3 });
    await batcher.getUrl({ uploadId: 'u', key: 'k1', partNumber: 1, parts: new FakeParts(3) });
    await batcher.getUrl({ uploadId: 'u', key: 'k2', partNumber: 2, parts: new FakeParts(3) });
    expect(calls.map((c) => c.key)).toEqual(['k1', 'k2']);
  });
});

describe('batch size at default settings', () => {
  it('signs a whole 1 GiB file (64 parts of 16 MiB) in one call once it is hashed, within the API limit', async () => {
    const { batchSizeFor } = await import('../../../web/src/shared/uploader.js');
    expect(batchSizeFor()).toBe(100);
    expect(batchSizeFor(40)).toBe(40);
    const { calls, get } = setup({ batchSize: batchSizeFor() });
    const parts = new FakeParts(64);
    for (let part = 1; part <= 64; part++) await get(part, parts);
    expect(calls).toHaveLength(1);
  });
});

describe('signing requests per GiB with the shipped settings (1 s hash wait, 6 parts at once, batches of 100)', () => {
  /**
   * 1 GiB in 16 MiB parts, hashed one part every `hashMs` (fake time), uploaded by 6 workers that each
   * ask for the next part's URL and send it in `sendMs`, as @uppy/aws-s3 does. Answers the signing
   * requests made: the create's and the batches.
   */
  async function signingRequests(hashMs: number, sendMs: number): Promise<{ requests: number; finishedAt: number }> {
    vi.useFakeTimers();
    const { batchSizeFor, DEFAULT_UPLOAD_SETTINGS } = await import('../../../web/src/shared/uploader.js');
    const { batcher, calls, get } = setup({ batchSize: batchSizeFor(), firstBatchParts: DEFAULT_UPLOAD_SETTINGS.concurrency });
    const parts = new FakeParts(64, 0);
    const hasher = setInterval(() => parts.hashTo(parts.hashedThrough + 1), hashMs);
    const started = Date.now();
    try {
      let creates = 0;
      let next = 1;
      const run = (async () => {
        await batcher.createWithFirstBatch(parts, async (toSign) => {
          creates++;
          return { key: 'uploads/acme/big.bin', uploadId: 'up-1', presignedUrls: Object.fromEntries(toSign.map((p) => [String(p.partNumber), `created-${p.partNumber}`])) };
        });
        const worker = async () => {
          for (let n = next++; n <= 64; n = next++) {
            await get(n, parts);
            await new Promise((resolve) => setTimeout(resolve, sendMs));
          }
        };
        await Promise.all(Array.from({ length: DEFAULT_UPLOAD_SETTINGS.concurrency }, worker));
      })();
      let done = false;
      void run.finally(() => (done = true)).catch(() => {});
      for (let step = 0; !done && step < 100_000; step++) await vi.advanceTimersByTimeAsync(10);
      await run;
      return { requests: creates + calls.length, finishedAt: Date.now() - started };
    } finally {
      clearInterval(hasher);
      vi.useRealTimers();
    }
  }

  // The upload here sends 6 parts a second (a part every 167 ms); the hasher takes `hashMs` a part.
  it.each([20, 60, 100, 130, 150, 170])('stays within 6 while the hasher keeps pace with the upload (%i ms a part)', async (hashMs) => {
    expect((await signingRequests(hashMs, 1_000)).requests).toBeLessThanOrEqual(6);
  });

  // Waiting for a batch's whole span would save calls here, but hold back parts already hashed until
  // the hasher reached the span's end: 15-27% slower uploads at 130-200 ms a part, and the last parts
  // sent seconds after hashing ended. A batch call a second costs the server far less than that.
  it.each([250, 400])('puts the upload first when the hasher is slower than it (%i ms a part): more calls, each hashed part sent within a second', async (hashMs) => {
    const { requests, finishedAt } = await signingRequests(hashMs, 1_000);
    expect(finishedAt - 64 * hashMs).toBeLessThanOrEqual(1_500);
    expect(requests).toBeLessThanOrEqual(64 / 2);
  });

  it('takes the create and one batch when the hasher is well ahead', async () => {
    expect((await signingRequests(5, 1_000)).requests).toBeLessThanOrEqual(2);
  });
});
