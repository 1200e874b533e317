// A file whose create is refused with 429 `too_many_open_uploads` (the login has as many open
// multipart uploads as the deployment allows) has not failed: it can start as soon as another upload
// of the login ends. @uppy/aws-s3 5.1.0 never retries a create, so the page does, without anyone
// touching it.
//
// The file is paused rather than kept waiting inside the create call: that call holds one of the
// plugin's request-queue slots while it runs, and with as many waiting files as slots the uploads that
// could free a place would get none. Pausing aborts the create, which frees its slot at once, and the
// plugin takes the refusal for the pause it caused (a pause's abort error is never reported). The file
// is resumed (a new create) when an upload of this page succeeds or a file is removed, and otherwise
// after a growing delay, for a place freed elsewhere (another tab, an upload that ended by itself).
// After `maxWaitMs` in all the refusal is reported like any failure.
import type { Body, Meta, Uppy } from '@uppy/core';
import { isApiError } from './api-client.js';
import { listen } from './uppy-listeners.js';

/** What the page shows next to a file that waits. */
export const WAITING_FOR_SLOT = 'waiting for another upload to finish';

/** Waits before each retry for a place freed elsewhere; the last repeats. */
export const SLOT_RETRY_DELAYS_MS = [2_000, 5_000, 10_000, 30_000, 60_000] as const;

/** How long a file may wait in all: a working day and a night, as long as another file may take to send. */
export const MAX_SLOT_WAIT_MS = 24 * 3_600_000;

export const isOpenUploadsRefusal = (error: unknown): boolean => isApiError(error) && error.code === 'too_many_open_uploads';

export interface UploadSlotOptions {
  delaysMs?: readonly number[];
  maxWaitMs?: number;
  now?: () => number;
}

export interface UploadSlots {
  /**
   * Call with a create's failure, before rethrowing it. For a `too_many_open_uploads` refusal within
   * the bound it pauses the file (aborting the create that failed).
   */
  waitIfRefused(fileId: string, error: unknown): void;
  /** Call when a create succeeded: the file no longer waits, and a later refusal starts a new wait. */
  started(fileId: string): void;
  /** The files that wait, in the order they were refused. */
  waiting(): { id: string; name: string }[];
  stop(): void;
}

export function waitForUploadSlots<M extends Meta, B extends Body>(uppy: Uppy<M, B>, options: UploadSlotOptions = {}): UploadSlots {
  const delays = options.delaysMs ?? SLOT_RETRY_DELAYS_MS;
  const maxWaitMs = options.maxWaitMs ?? MAX_SLOT_WAIT_MS;
  const now = options.now ?? Date.now;
  /** When each file was first refused, and how often, until it starts or goes. */
  const refusals = new Map<string, { since: number; count: number }>();
  /** The files this module paused and will resume, with their timers. */
  const paused = new Map<string, ReturnType<typeof setTimeout>>();
  /** Set while this module toggles a pause: the person's own pauses and resumes take a file out of its hands. */
  let toggling = false;

  const toggle = (fileId: string): boolean | undefined => {
    toggling = true;
    try {
      return uppy.pauseResume(fileId);
    } finally {
      toggling = false;
    }
  };
  const release = (fileId: string) => {
    clearTimeout(paused.get(fileId));
    paused.delete(fileId);
  };
  const resume = (fileId: string) => {
    if (!paused.has(fileId)) return;
    release(fileId);
    if (uppy.getFile(fileId)?.isPaused) toggle(fileId);
  };
  /** A place may have come free: the file that has waited longest tries first. */
  const resumeLongestWaiting = () => {
    const first = paused.keys().next();
    if (!first.done) resume(first.value);
  };
  const forget = (fileId: string) => {
    release(fileId);
    refusals.delete(fileId);
  };

  const unsubscribe = listen(uppy, {
    'upload-success': (file) => {
      if (file) forget(file.id);
      resumeLongestWaiting();
    },
    'file-removed': (file) => {
      if (file) forget(file.id);
      resumeLongestWaiting();
    },
    'upload-pause': (file) => {
      if (file && !toggling) release(file.id);
    },
    'pause-all': () => [...paused.keys()].forEach(release),
    'cancel-all': () => [...refusals.keys()].forEach(forget),
  });

  return {
    waitIfRefused(fileId, error) {
      if (!isOpenUploadsRefusal(error) || !uppy.getFile(fileId) || uppy.getFile(fileId).isPaused) return;
      const refusal = refusals.get(fileId) ?? { since: now(), count: 0 };
      if (now() - refusal.since >= maxWaitMs) {
        forget(fileId);
        return;
      }
      refusal.count++;
      refusals.set(fileId, refusal);
      if (toggle(fileId) !== true) return;
      release(fileId);
      paused.set(fileId, setTimeout(() => resume(fileId), delays[Math.min(refusal.count, delays.length) - 1]));
    },
    started: forget,
    waiting: () => [...paused.keys()].map((id) => ({ id, name: uppy.getFile(id)?.name ?? 'file' })),
    stop() {
      [...paused.keys()].forEach(release);
      unsubscribe();
    },
  };
}
