import { describe, expect, it } from 'vitest';
import { MiB, S3_MAX_OBJECT_BYTES, S3_MAX_PART_BYTES, S3_MAX_PARTS } from '../../../contract/limits.js';
import { partCount, PartPlanError, planPartSize } from '../../../contract/part-plan.js';

const GiB = 1024 ** 3;
const TiB = 1024 ** 4;

describe('planPartSize', () => {
  it.each([
    ['100 MiB (the multipart threshold)', 100 * MiB, 16 * MiB, 7],
    ['1 GiB', GiB, 16 * MiB, 64],
    ['50 GiB', 50 * GiB, 16 * MiB, 3200],
    ['156.25 GiB: exactly 10,000 parts of 16 MiB', 10_000 * 16 * MiB, 16 * MiB, 10_000],
    ['one byte more needs bigger parts', 10_000 * 16 * MiB + 1, 17 * MiB, 9412],
    ['1 TiB', TiB, 105 * MiB, 9987],
    ['5 TiB (the old S3 maximum)', 5 * TiB, 525 * MiB, 9987],
    ['48.8 TiB (S3 maximum object)', S3_MAX_OBJECT_BYTES, 5 * GiB, 10_000],
  ])('%s', (_label, size, expectedPart, expectedParts) => {
    const part = planPartSize(size, { minPartSize: 16 * MiB, maxParts: 10_000 });
    expect(part).toBe(expectedPart);
    expect(partCount(size, part)).toBe(expectedParts);
    expect(partCount(size, part)).toBeLessThanOrEqual(S3_MAX_PARTS);
    expect(part).toBeLessThanOrEqual(S3_MAX_PART_BYTES);
  });

  it('always yields whole MiB parts within S3 limits for sizes across the range', () => {
    for (let size = 1; size < S3_MAX_OBJECT_BYTES; size = Math.ceil(size * 1.37) + 12345) {
      const part = planPartSize(size);
      expect(part % MiB).toBe(0);
      expect(part).toBeGreaterThanOrEqual(16 * MiB);
      expect(Math.ceil(size / part)).toBeLessThanOrEqual(10_000);
    }
  });

  it('defaults to 16 MiB parts and 10,000 parts', () => {
    expect(planPartSize(200 * MiB)).toBe(16 * MiB);
  });

  it('never goes below S3\'s 5 MiB minimum nor above 10,000 parts, whatever it is told', () => {
    expect(planPartSize(100 * MiB, { minPartSize: 1 })).toBe(5 * MiB);
    expect(partCount(TiB, planPartSize(TiB, { maxParts: 50_000 }))).toBeLessThanOrEqual(10_000);
  });

  it('honours a smaller part budget', () => {
    expect(planPartSize(10 * GiB, { minPartSize: 16 * MiB, maxParts: 100 })).toBe(103 * MiB);
  });

  it('refuses files larger than S3 can hold and invalid sizes', () => {
    expect(() => planPartSize(S3_MAX_OBJECT_BYTES + 1)).toThrow(PartPlanError);
    expect(() => planPartSize(-1)).toThrow(PartPlanError);
    expect(() => planPartSize(Number.NaN)).toThrow(PartPlanError);
  });
});

describe('partCount', () => {
  it('counts a short last part and treats an empty file as one part', () => {
    expect(partCount(33 * MiB, 16 * MiB)).toBe(3);
    expect(partCount(32 * MiB, 16 * MiB)).toBe(2);
    expect(partCount(0, 16 * MiB)).toBe(1);
  });
});
