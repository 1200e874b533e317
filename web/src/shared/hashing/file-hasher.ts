// The page's side of the hashing worker: one FileHasher per file (per Blob: a file picked again is a
// new one), which collects the checksums the worker sends as it goes through the file and lets the
// upload wait for exactly what it needs: part n before n's URL is signed, the whole file's checksum
// before completing. Everything stays cached for the page's life, so a retried part, a pause or a
// network loss costs no hashing at all.
import type { PartToSign } from '../../../../contract/api/uploads.js';
import type { FromHashWorker, ToHashWorker } from './messages.js';
import { abortReason } from '../abort-reason.js';

/** How the client talks to the worker (a Worker in the page; the service itself in unit tests). */
export interface HashChannel {
  send(message: ToHashWorker): void;
  /** `receive` gets every answer; `fail` is called when the worker itself is gone (it could not start). */
  listen(receive: (message: FromHashWorker) => void, fail: (error: Error) => void): void;
}

/** A Worker as a HashChannel. */
export function workerChannel(worker: Worker): HashChannel {
  return {
    send: (message) => worker.postMessage(message),
    listen(receive, fail) {
      worker.addEventListener('message', (event: MessageEvent<FromHashWorker>) => receive(event.data));
      worker.addEventListener('error', (event) => fail(new Error(`The checksum worker stopped: ${event.message || 'it could not be loaded'}`)));
    },
  };
}

/** Why a file cannot be checksummed: it could not be read, or this browser refused the hashing code. */
export class HashError extends Error {
  override readonly name = 'HashError';
}

interface Waiter {
  through: number;
  resolve(): void;
  reject(error: unknown): void;
}

export class FileHasher {
  readonly totalParts: number;
  readonly #parts: (PartToSign | undefined)[] = [];
  #through = 0;
  #whole: string | undefined;
  #failure: Error | undefined;
  #released = false;
  readonly #waiters = new Set<Waiter>();

  constructor(
    readonly id: number,
    readonly size: number,
    readonly partSize: number,
    private readonly send: (message: ToHashWorker) => void,
  ) {
    this.totalParts = Math.max(1, Math.ceil(size / partSize));
  }

  /** Parts 1..n are hashed: every part up to this one has its checksum at hand. */
  get hashedThrough(): number {
    return this.#through;
  }

  /** The whole file's base64 CRC64NVME, once every part was hashed. */
  get wholeChecksum(): string | undefined {
    return this.#whole;
  }

  /** A part's number, size and checksum, if it was hashed already. */
  hashed(partNumber: number): PartToSign | undefined {
    return this.#parts[partNumber];
  }

  /** Waits for a part's checksum (the worker hashes this file first while someone waits). */
  async part(partNumber: number, signal?: AbortSignal): Promise<PartToSign> {
    if (!Number.isSafeInteger(partNumber) || partNumber < 1 || partNumber > this.totalParts) throw new RangeError(`This file has no part ${partNumber}`);
    await this.whenHashedThrough(partNumber, signal);
    return this.#parts[partNumber]!;
  }

  /** Waits for the whole file's checksum. */
  async whole(signal?: AbortSignal): Promise<string> {
    await this.whenHashedThrough(this.totalParts, signal);
    return this.#whole!;
  }

  whenHashedThrough(partNumber: number, signal?: AbortSignal): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#through >= Math.min(partNumber, this.totalParts) && (partNumber < this.totalParts || this.#whole !== undefined)) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    this.send({ type: 'need', id: this.id, partNumber: Math.min(partNumber, this.totalParts) });
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.#waiters.delete(waiter);
        reject(abortReason(signal!));
      };
      const waiter: Waiter = {
        through: Math.min(partNumber, this.totalParts),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      this.#waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The file is gone or stored: the worker forgets it. Waiters are told. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.send({ type: 'drop', id: this.id });
    if (!this.#whole && !this.#failure) this.#fail(new HashError('The file was removed before it was checksummed'));
  }

  /** An answer of the worker about this file. */
  receive(message: FromHashWorker): void {
    switch (message.type) {
      case 'part':
        this.#parts[message.partNumber] = { partNumber: message.partNumber, size: message.size, checksum: message.checksum };
        while (this.#parts[this.#through + 1]) this.#through++;
        break;
      case 'done':
        this.#whole = message.checksum;
        break;
      case 'error':
        this.#fail(new HashError(`The file could not be checksummed (it may have been changed, moved or deleted since it was chosen; add it again): ${message.message}`));
        return;
    }
    const complete = this.#whole !== undefined;
    for (const waiter of this.#waiters) {
      if (this.#through >= waiter.through && (waiter.through < this.totalParts || complete)) {
        this.#waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  fail(error: Error): void {
    this.#fail(error);
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const waiter of this.#waiters) waiter.reject(this.#failure);
    this.#waiters.clear();
  }
}

/** One worker per page, started on first use, shared by every file. */
export class HashClient {
  #channel: HashChannel | undefined;
  #nextId = 1;
  readonly #hashers = new Map<number, FileHasher>();

  constructor(private readonly openChannel: () => HashChannel) {}

  /** Starts hashing `blob` in parts of `partSize` bytes (one part when `partSize` >= its size). */
  hash(blob: Blob, partSize: number): FileHasher {
    const channel = this.#open();
    const id = this.#nextId++;
    const hasher = new FileHasher(id, blob.size, partSize, (message) => {
      if (message.type === 'drop') this.#hashers.delete(id);
      channel.send(message);
    });
    this.#hashers.set(id, hasher);
    channel.send({ type: 'add', id, blob, partSize });
    return hasher;
  }

  #open(): HashChannel {
    if (this.#channel) return this.#channel;
    const channel = this.openChannel();
    channel.listen(
      (message) => {
        this.#hashers.get(message.id)?.receive(message);
        if (message.type !== 'part') this.#hashers.delete(message.id);
      },
      (error) => {
        for (const hasher of this.#hashers.values()) hasher.fail(error);
        this.#hashers.clear();
        // The next file tries a new worker.
        this.#channel = undefined;
      },
    );
    this.#channel = channel;
    return channel;
  }
}
