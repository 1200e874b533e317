// Which parts an upload may have signed (part-bounds.ts): pure rules, table-tested.
import { describe, expect, it } from 'vitest';
import { MiB, S3_MAX_OBJECT_BYTES, S3_MAX_PART_BYTES, S3_MAX_PARTS } from '../../../contract/limits.js';
import { planPartSize } from '../../../contract/part-plan.js';
import { assertPartWithin, partBoundFor } from '../../../lambdas/uploads/part-bounds.js';

const GiB = 1024 * MiB;
const MIN_PART = 16 * MiB; // the deployment's part size floor (the page's)

describe('partBoundFor with the part size kept at create (the plan the page cuts by)', () => {
  it.each<[string, number, number]>([
    // declared size, parts
    ['1 byte', 1, 1],
    ['16 MiB', 16 * MiB, 1],
    ['16 MiB + 1', 16 * MiB + 1, 2],
    ['1 GiB', GiB, 64],
    ['200 GiB (parts grow past 16 MiB to fit 10,000)', 200 * GiB, 9_753],
  ])('%s: each part has one length, and all of them add up to exactly the declared size', (_label, size, parts) => {
    const partSize = planPartSize(size, { minPartSize: MIN_PART });
    const bound = partBoundFor(size, size, partSize, MIN_PART);
    expect(bound.maxParts).toBe(parts);
    let total = 0;
    for (let p = 1; p <= bound.maxParts; p++) {
      expect(bound.plainLength(p)).toBe(bound.maxBytes(p));
      total += bound.maxBytes(p);
    }
    expect(total).toBe(size);
  });

  it('refuses the part after the last, and a part longer than its planned length, whatever the page asks', () => {
    const size = 40 * MiB; // 16 + 16 + 8
    const bound = partBoundFor(size, size, planPartSize(size, { minPartSize: MIN_PART }), MIN_PART);
    expect(() => assertPartWithin(bound, 4)).toThrow(expect.objectContaining({ code: 'part_beyond_size' }));
    expect(() => assertPartWithin(bound, 3, 8 * MiB + 1)).toThrow(expect.objectContaining({ code: 'part_beyond_size' }));
    expect(() => assertPartWithin(bound, 3, 8 * MiB)).not.toThrow();
    expect(() => assertPartWithin(bound, 2, 16 * MiB)).not.toThrow();
  });
});

describe('partBoundFor of a reservation from before the plan was kept', () => {
  it.each<[string, number, number, number]>([
    // declared size, most parts (5 MiB each but the last), biggest first part, part 2 at most
    ['1 byte', 1, 1, 0],
    ['5 MiB', 5 * MiB, 1, 0],
    ['12 MiB', 12 * MiB, 3, 7 * MiB],
    ['64 MiB', 64 * MiB, 13, 16 * MiB],
  ])('%s: a valid upload has at most the parts and bytes a 5 MiB floor allows, and no part over the deployment part size', (_label, size, maxParts, part2) => {
    const bound = partBoundFor(size, size, null, MIN_PART);
    expect(bound.maxParts).toBe(maxParts);
    expect(bound.maxBytes(1)).toBe(Math.min(size, MIN_PART));
    if (maxParts > 1) expect(bound.maxBytes(2)).toBe(part2);
    // Everything the URLs may store adds up to little more than the declared size.
    let total = 0;
    for (let p = 1; p <= bound.maxParts; p++) total += bound.maxBytes(p);
    expect(total).toBeLessThanOrEqual(size + size * 2 + MIN_PART);
  });

  it('binds a plain URL to the declared length when the file is one part, and leaves longer files unbound', () => {
    expect(partBoundFor(1, 1, null, MIN_PART).plainLength(1)).toBe(1);
    expect(partBoundFor(5 * MiB, 5 * MiB, null, MIN_PART).plainLength(1)).toBe(5 * MiB);
    expect(partBoundFor(12 * MiB, 12 * MiB, null, MIN_PART).plainLength(1)).toBeNull();
  });

  it.each<[string, number | null, number]>([
    ['no bound (a reservation from before every upload got one): S3\'s largest object', null, S3_MAX_PARTS],
    ['S3\'s largest object', S3_MAX_OBJECT_BYTES, S3_MAX_PARTS],
    ['1 byte left', 1, 1],
    ['10 GiB', 10 * GiB, 2],
    ['12.5 GiB', 12.5 * GiB, 2],
    ['100 TiB', 100 * 1024 * GiB, S3_MAX_PARTS],
  ])('a stock client without a declared size (%s): floor(bound / 5 GiB) parts of up to 5 GiB, at least one', (_label, bound, parts) => {
    const b = partBoundFor(null, bound, null, MIN_PART);
    expect(b.maxParts).toBe(parts);
    expect(b.maxBytes(1)).toBe(S3_MAX_PART_BYTES);
    expect(b.plainLength(1)).toBeNull();
  });
});

describe('assertPartWithin', () => {
  const bound = partBoundFor(12 * MiB, 12 * MiB, null, MIN_PART);
  it('refuses a part number or size beyond the bound with 400 part_beyond_size', () => {
    expect(() => assertPartWithin(bound, 4)).toThrow(expect.objectContaining({ code: 'part_beyond_size', status: 400 }));
    expect(() => assertPartWithin(bound, 2, 7 * MiB + 1)).toThrow(expect.objectContaining({ code: 'part_beyond_size' }));
    expect(() => assertPartWithin(bound, 3, 2 * MiB)).not.toThrow();
    expect(() => assertPartWithin(bound, 1)).not.toThrow();
  });
});
