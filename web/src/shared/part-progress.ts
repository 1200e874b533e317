// Uppy re-renders the whole Dashboard (a microtask after each state change) and Golden Retriever
// saves its state for every progress event, and a browser fires several a second for each part in
// flight. That is CPU the upload itself needs, on the customer's laptop as on the 2-core bench
// (where it cost the page about a fifth of its throughput).
//
// So the parts' progress goes through one gate per uploader: each part's latest event waits, and
// every PART_PROGRESS_INTERVAL_MS all waiting events are passed on in one task, so Uppy renders once
// for all parts in flight instead of once per part. A whole part passes at once (its completion must
// not wait), and a part that settles drops its waiting event (a late one would undo a retry's reset).

export const PART_PROGRESS_INTERVAL_MS = 250;

export interface PartProgress<E> {
  /** For the part's XHR progress events. */
  onProgress: (event: E) => void;
  /** The part succeeded or failed: its waiting event, if any, is dropped. */
  settle: () => void;
}

export interface PartProgressGate {
  track<E extends { loaded: number }>(onProgress: (event: E) => void, partBytes: number): PartProgress<E>;
  /** Drops every waiting event (the uploader is gone). */
  stop: () => void;
}

export function createPartProgressGate(intervalMs = PART_PROGRESS_INTERVAL_MS): PartProgressGate {
  const waiting = new Map<object, () => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    const passOn = [...waiting.values()];
    waiting.clear();
    for (const pass of passOn) pass();
  };
  return {
    track(onProgress, partBytes) {
      const part = {};
      return {
        onProgress(event) {
          if (event.loaded >= partBytes) {
            waiting.delete(part);
            onProgress(event);
            return;
          }
          waiting.set(part, () => onProgress(event));
          timer ??= setTimeout(flush, intervalMs);
        },
        settle() {
          waiting.delete(part);
        },
      };
    },
    stop() {
      waiting.clear();
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
