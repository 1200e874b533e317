// The parts' progress reaches Uppy together, a few times a second, and a whole part at once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPartProgressGate } from '../../../web/src/shared/part-progress.js';

type Seen = [part: string, loaded: number, at: number][];

describe('createPartProgressGate', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const tracking = (seen: Seen, gate: ReturnType<typeof createPartProgressGate>, part: string, bytes: number) =>
    gate.track((e: { loaded: number }) => seen.push([part, e.loaded, Date.now()]), bytes);

  it("passes each part's latest event, all parts in the same tick, once per interval", () => {
    vi.setSystemTime(0);
    const seen: Seen = [];
    const gate = createPartProgressGate(250);
    const a = tracking(seen, gate, 'a', 1000);
    const b = tracking(seen, gate, 'b', 1000);
    a.onProgress({ loaded: 10 });
    vi.advanceTimersByTime(50);
    b.onProgress({ loaded: 5 });
    a.onProgress({ loaded: 20 });
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(seen).toEqual([['a', 20, 250], ['b', 5, 250]]);
    b.onProgress({ loaded: 40 });
    vi.advanceTimersByTime(249);
    expect(seen).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(seen.slice(2)).toEqual([['b', 40, 500]]);
    // Nothing waiting: no further calls.
    vi.advanceTimersByTime(1000);
    expect(seen).toHaveLength(3);
  });

  it('passes a whole part at once and drops what it had waiting', () => {
    vi.setSystemTime(0);
    const seen: Seen = [];
    const gate = createPartProgressGate(250);
    const a = tracking(seen, gate, 'a', 1000);
    a.onProgress({ loaded: 900 });
    a.onProgress({ loaded: 1000 });
    expect(seen).toEqual([['a', 1000, 0]]);
    vi.advanceTimersByTime(250);
    expect(seen).toEqual([['a', 1000, 0]]);
  });

  it('drops the waiting event of a part that settled, and everything after stop()', () => {
    const seen: Seen = [];
    const gate = createPartProgressGate(250);
    const failed = tracking(seen, gate, 'failed', 1000);
    const other = tracking(seen, gate, 'other', 1000);
    failed.onProgress({ loaded: 300 });
    other.onProgress({ loaded: 100 });
    failed.settle();
    vi.advanceTimersByTime(250);
    expect(seen.map(([part, loaded]) => [part, loaded])).toEqual([['other', 100]]);
    other.onProgress({ loaded: 200 });
    gate.stop();
    vi.advanceTimersByTime(1000);
    expect(seen).toHaveLength(1);
  });
});
