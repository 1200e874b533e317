// Order statistics for benchmark samples.

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

/**
 * The median of `numerators[i] / denominators[i]`, pairs measured in the same round: a machine that
 * slows down for a while slows both sides of each ratio alike, where a ratio of medians would compare
 * one side's good minute with the other's bad one. Null when the lists do not pair up.
 */
export function medianOfRatios(numerators: readonly number[], denominators: readonly number[]): number | null {
  if (numerators.length === 0 || numerators.length !== denominators.length) return null;
  return median(numerators.map((n, i) => n / denominators[i]!));
}
