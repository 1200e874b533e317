// The hashing worker's work, apart from the worker itself (so unit tests run it in Node): files queue
// up as they are added and are hashed part after part, ahead of need. A part someone waits for (its
// URL must be signed before it can be sent) comes first; otherwise the file being hashed goes on,
// then the next in the order they were added.
import { createCrc64Nvme, type Crc64Hasher } from './crc64nvme.js';
import { FileHashJob } from './hash-job.js';
import type { FromHashWorker, ToHashWorker } from './messages.js';

export interface HashServiceOptions {
  /** @default hash-wasm's CRC64NVME (tests pass one that fails) */
  createHasher?: () => Promise<Crc64Hasher>;
  /** Slice size of each job's reads (tests use small ones). */
  sliceBytes?: number;
}

interface Entry {
  job: FileHashJob;
  /** The highest part someone waits for, and since when (the longest wait is served first). */
  need?: { partNumber: number; since: number };
}

export function createHashService(post: (message: FromHashWorker) => void, options: HashServiceOptions = {}) {
  const entries = new Map<number, Entry>();
  let hasher: Promise<Crc64Hasher> | undefined;
  let running = false;
  let current: number | undefined;
  let needs = 0;

  const waiting = (entry: Entry) => entry.need !== undefined && entry.need.partNumber >= entry.job.nextPart;

  /** Which file's next part to hash: the longest-waiting need, else the current file, else the oldest. */
  const pick = (): number | undefined => {
    let best: [number, Entry] | undefined;
    for (const item of entries) if (waiting(item[1]) && (!best || item[1].need!.since < best[1].need!.since)) best = item;
    if (best) return best[0];
    if (current !== undefined && entries.has(current)) return current;
    return entries.keys().next().value;
  };

  const fail = (id: number, error: unknown) => {
    entries.delete(id);
    post({ type: 'error', id, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  };

  async function run(): Promise<void> {
    if (running) return;
    running = true;
    try {
      let shared: Crc64Hasher;
      try {
        shared = await (hasher ??= (options.createHasher ?? createCrc64Nvme)());
      } catch (error) {
        // Without the hasher no file can be hashed (a CSP without 'wasm-unsafe-eval', say).
        hasher = undefined;
        for (const id of [...entries.keys()]) fail(id, error);
        return;
      }
      for (let id = pick(); id !== undefined; id = pick()) {
        const entry = entries.get(id)!;
        if (current !== id && current !== undefined) entries.get(current)?.job.dropReadAhead();
        current = id;
        try {
          const part = await entry.job.hashNextPart(shared);
          if (entries.get(id) !== entry) continue; // dropped while its part was read
          post({ type: 'part', id, ...part });
          if (entry.job.done) {
            entries.delete(id);
            post({ type: 'done', id, checksum: entry.job.wholeChecksum! });
          }
        } catch (error) {
          if (entries.get(id) === entry) fail(id, error);
        }
      }
    } finally {
      running = false;
    }
  }

  return {
    receive(message: ToHashWorker): void {
      switch (message.type) {
        case 'add':
          try {
            entries.set(message.id, { job: new FileHashJob(message.blob, message.partSize, options.sliceBytes) });
          } catch (error) {
            fail(message.id, error);
            return;
          }
          break;
        case 'need': {
          const entry = entries.get(message.id);
          if (!entry) return;
          if (entry.need && entry.need.partNumber >= message.partNumber) return;
          // A need still waiting keeps its place in line; a new one queues behind the others.
          entry.need = { partNumber: message.partNumber, since: waiting(entry) ? entry.need!.since : needs++ };
          break;
        }
        case 'drop':
          entries.get(message.id)?.job.dropReadAhead();
          entries.delete(message.id);
          return;
      }
      void run();
    },
    /** Files still queued or being hashed (for tests). */
    get pending(): number {
      return entries.size;
    },
  };
}
