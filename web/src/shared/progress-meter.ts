// Total progress across all files, with a smoothed speed and time left, for the line under the
// Dashboard (Uppy shows per-file progress; people sending 200 files want the whole picture too).

export interface FileProgressLike {
  bytesUploaded: number;
  bytesTotal: number | null;
  complete: boolean;
  paused: boolean;
  failed: boolean;
}

export interface ProgressSummary {
  bytesUploaded: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
  active: number;
}

export function summarizeProgress(files: readonly FileProgressLike[]): ProgressSummary {
  const summary: ProgressSummary = { bytesUploaded: 0, bytesTotal: 0, filesDone: 0, filesTotal: files.length, active: 0 };
  for (const file of files) {
    const total = file.bytesTotal ?? 0;
    summary.bytesTotal += total;
    summary.bytesUploaded += file.complete ? total : Math.min(file.bytesUploaded, total);
    if (file.complete) summary.filesDone++;
    else if (!file.paused && !file.failed && file.bytesUploaded > 0) summary.active++;
  }
  return summary;
}

/**
 * Speed as an exponential moving average of byte-count samples, so a burst of finished parts does
 * not swing the estimate. A drop in the count (a part restarted) resets the baseline, not the speed.
 */
export class ThroughputMeter {
  #lastAt: number | null = null;
  #lastBytes = 0;
  #speed = 0;
  constructor(private readonly halfLifeMs = 5_000) {}

  sample(now: number, bytes: number): number {
    if (this.#lastAt === null || bytes < this.#lastBytes) {
      this.#lastAt = now;
      this.#lastBytes = bytes;
      return this.#speed;
    }
    const elapsed = now - this.#lastAt;
    if (elapsed < 250) return this.#speed;
    const instant = ((bytes - this.#lastBytes) * 1000) / elapsed;
    const weight = 1 - 0.5 ** (elapsed / this.halfLifeMs);
    this.#speed = this.#speed === 0 ? instant : this.#speed + (instant - this.#speed) * weight;
    this.#lastAt = now;
    this.#lastBytes = bytes;
    return this.#speed;
  }

  reset(): void {
    this.#lastAt = null;
    this.#lastBytes = 0;
    this.#speed = 0;
  }

  get speed(): number {
    return this.#speed;
  }
}

/** Seconds left at the current speed, or null when it cannot be estimated yet. */
export function secondsLeft(summary: ProgressSummary, bytesPerSecond: number): number | null {
  const remaining = summary.bytesTotal - summary.bytesUploaded;
  if (remaining <= 0) return 0;
  if (!(bytesPerSecond > 0)) return null;
  return remaining / bytesPerSecond;
}
