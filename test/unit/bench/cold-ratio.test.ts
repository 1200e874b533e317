// The cold-start ratio pairs each handler's run with the reference's run of the same round.
import { describe, expect, it } from 'vitest';
import type { ColdRun } from '../../../bench/cold/cold-start.js';
import { pairedRatio } from '../../../bench/figures.js';

const run = (totalMs: number): ColdRun => ({ importMs: totalMs * 0.6, firstAnswerMs: totalMs * 0.4, sinceProcessStartMs: totalMs + 50, wallMs: totalMs + 60, status: 200 });

describe('pairedRatio', () => {
  it('is the median of per-round ratios, so a slow stretch of the machine hits both sides', () => {
    // Rounds 3-5 ran on a machine twice as slow; each handler run is 1.05x its round's reference.
    const reference = [100, 100, 200, 200, 200].map(run);
    const handler = [105, 105, 210, 210, 210].map(run);
    expect(pairedRatio(handler, reference)).toBe(1.05);
  });

  it('differs from a ratio of medians when the slow stretch falls unevenly', () => {
    const reference = [100, 100, 100, 200, 200].map(run);
    const handler = [110, 110, 220, 220, 220].map(run);
    // The medians give 220 / 100 = 2.2, though four rounds of five saw 1.1.
    expect(pairedRatio(handler, reference)).toBe(1.1);
  });

  it('refuses runs that do not pair up', () => {
    expect(pairedRatio([run(100)], [run(100), run(100)])).toBeNull();
    expect(pairedRatio([], [])).toBeNull();
  });
});
