import { describe, expect, it } from 'vitest';
import { secondsLeft, summarizeProgress, ThroughputMeter } from '../../../web/src/shared/progress-meter.js';

const MB = 1024 ** 2;

describe('summarizeProgress', () => {
  it('adds up bytes and counts files across states', () => {
    const summary = summarizeProgress([
      { bytesUploaded: 100 * MB, bytesTotal: 100 * MB, complete: true, paused: false, failed: false },
      { bytesUploaded: 50 * MB, bytesTotal: 200 * MB, complete: false, paused: false, failed: false },
      { bytesUploaded: 10 * MB, bytesTotal: 100 * MB, complete: false, paused: true, failed: false },
      { bytesUploaded: 0, bytesTotal: null, complete: false, paused: false, failed: true },
    ]);
    expect(summary).toEqual({ bytesUploaded: 160 * MB, bytesTotal: 400 * MB, filesDone: 1, filesTotal: 4, active: 1 });
  });

  it('never counts more than a file\'s size (progress events can overshoot)', () => {
    expect(summarizeProgress([{ bytesUploaded: 12, bytesTotal: 10, complete: false, paused: false, failed: false }]).bytesUploaded).toBe(10);
  });
});

describe('ThroughputMeter', () => {
  it('measures a steady rate and smooths a burst', () => {
    const meter = new ThroughputMeter(5_000);
    meter.sample(0, 0);
    for (let t = 1; t <= 10; t++) meter.sample(t * 1000, t * 10 * MB);
    expect(meter.speed).toBeCloseTo(10 * MB, -3);
    meter.sample(11_000, 110 * MB + 100 * MB); // a burst of finished parts
    expect(meter.speed).toBeGreaterThan(10 * MB);
    expect(meter.speed).toBeLessThan(40 * MB);
  });

  it('ignores samples closer than 250 ms and restarts its baseline when bytes go backwards', () => {
    const meter = new ThroughputMeter();
    meter.sample(0, 0);
    meter.sample(1000, 10 * MB);
    expect(meter.sample(1100, 50 * MB)).toBeCloseTo(10 * MB, -3);
    const before = meter.speed;
    expect(meter.sample(2000, 1 * MB)).toBe(before); // a part restarted
    meter.reset();
    expect(meter.speed).toBe(0);
  });
});

describe('secondsLeft', () => {
  const summary = { bytesUploaded: 40 * MB, bytesTotal: 100 * MB, filesDone: 0, filesTotal: 1, active: 1 };
  it('divides what is left by the speed', () => expect(secondsLeft(summary, 2 * MB)).toBe(30));
  it('is unknown without a speed and zero when done', () => {
    expect(secondsLeft(summary, 0)).toBeNull();
    expect(secondsLeft({ ...summary, bytesUploaded: 100 * MB }, 0)).toBe(0);
  });
});
