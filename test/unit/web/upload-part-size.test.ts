// A resumed upload is hashed and cut by the part size it began with, not by the settings /api/me
// answers now: otherwise the original file differs from its own stored parts and is refused.
import { describe, expect, it } from 'vitest';
import { MiB, GiB } from '../../../contract/limits.js';
import { planPartSize } from '../../../contract/part-plan.js';
import { DEFAULT_UPLOAD_SETTINGS } from '../../../web/src/shared/uploader.js';
import { PART_SIZE_META, hashPartSize, partSizeFor } from '../../../web/src/shared/upload-part-size.js';

const began = { ...DEFAULT_UPLOAD_SETTINGS, minPartSizeBytes: 16 * MiB };
const now = { ...DEFAULT_UPLOAD_SETTINGS, minPartSizeBytes: 64 * MiB };
const size = 10 * GiB;

describe('the part size of an upload', () => {
  it('is the one the upload began with after the deployment changed its part size, and the new one for a new upload', () => {
    const beganWith = partSizeFor({ size, meta: {} }, began);
    expect(beganWith).toBe(planPartSize(size, { minPartSize: 16 * MiB }));
    expect(partSizeFor({ size, meta: { [PART_SIZE_META]: beganWith } }, now)).toBe(16 * MiB);
    expect(partSizeFor({ size, meta: {} }, now)).toBe(64 * MiB);
  });

  it('ignores a kept value S3 could not have taken for this file (under 5 MiB, over 5 GiB, too many parts, not a number)', () => {
    for (const kept of [MiB, 6 * GiB, '16777216', 16 * MiB + 0.5, null]) expect(partSizeFor({ size, meta: { [PART_SIZE_META]: kept } }, now)).toBe(64 * MiB);
    // 10,001 parts of 5 MiB would be too many for a file this size.
    expect(partSizeFor({ size: 10_001 * 5 * MiB, meta: { [PART_SIZE_META]: 5 * MiB } }, now)).toBe(hashPartSize(10_001 * 5 * MiB, now));
  });

  it('is the whole file for a file under the multipart threshold, kept value or not', () => {
    expect(partSizeFor({ size: 1000, meta: { [PART_SIZE_META]: 16 * MiB } }, now)).toBe(1000);
  });
});
