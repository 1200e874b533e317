// Uppy re-renders the whole Dashboard (a microtask after each state change) and Golden Retriever
// saves its state for every progress event, and a browser fires one every few dozen KB a part sends:
// with 6 parts of 16 MiB in flight, hundreds a second. That is CPU the upload itself needs, on the
// customer's laptop as on the 2-core bench (where it cost the page about a fifth of its throughput).
// A part's progress is passed on at most every PART_PROGRESS_INTERVAL_MS, and always once it is whole.

export const PART_PROGRESS_INTERVAL_MS = 250;

export function throttlePartProgress<E extends { loaded: number }>(
  onProgress: (event: E) => void,
  partBytes: number,
  intervalMs = PART_PROGRESS_INTERVAL_MS,
  now: () => number = () => performance.now(),
): (event: E) => void {
  let last = -Infinity;
  return (event) => {
    const at = now();
    if (event.loaded < partBytes && at - last < intervalMs) return;
    last = at;
    onProgress(event);
  };
}
