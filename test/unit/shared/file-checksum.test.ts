// A stored file's checksum as the portal shows it: S3's base64 CRC64NVME with its hex form, or nothing
// when S3 reported none (or something else).
import { describe, expect, it } from 'vitest';
import { toFileChecksum } from '../../../lambdas/shared/file-checksum.js';

describe('toFileChecksum', () => {
  it('derives the hex form of the 8 bytes', () => {
    expect(toFileChecksum('rosUhgp5mIg=', 'FULL_OBJECT')).toEqual({ algorithm: 'CRC64NVME', type: 'FULL_OBJECT', base64: 'rosUhgp5mIg=', hex: 'ae8b14860a799888' });
    expect(toFileChecksum('AAAAAAAAAAA=')?.hex).toBe('0000000000000000');
  });

  it.each<[string | undefined, string | undefined]>([
    [undefined, 'FULL_OBJECT'],
    ['', undefined],
    ['y/Q5Jg==', 'FULL_OBJECT'], // a CRC32
    ['rosUhgp5mIg=-3', 'COMPOSITE'],
    ['rosUhgp5mIg=', 'COMPOSITE'],
  ])('is null for %j of type %j', (base64, type) => {
    expect(toFileChecksum(base64, type)).toBeNull();
  });
});
