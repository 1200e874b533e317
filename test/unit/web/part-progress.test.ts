// A part's progress reaches Uppy a few times a second, and always when the part is whole.
import { describe, expect, it } from 'vitest';
import { throttlePartProgress } from '../../../web/src/shared/part-progress.js';

describe('throttlePartProgress', () => {
  it('passes the first event, then at most one per interval, and always the whole part', () => {
    let clock = 0;
    const seen: number[] = [];
    const onProgress = throttlePartProgress((e: { loaded: number }) => seen.push(e.loaded), 1000, 250, () => clock);
    for (const [at, loaded] of [[0, 10], [50, 20], [240, 30], [250, 40], [260, 50], [400, 60], [510, 70], [520, 1000], [530, 1000]] as const) {
      clock = at;
      onProgress({ loaded });
    }
    expect(seen).toEqual([10, 40, 70, 1000, 1000]);
  });

  it('lets every event through with no interval', () => {
    const seen: number[] = [];
    const onProgress = throttlePartProgress((e: { loaded: number }) => seen.push(e.loaded), 100, 0, () => 5);
    [1, 2, 3].forEach((loaded) => onProgress({ loaded }));
    expect(seen).toEqual([1, 2, 3]);
  });
});
