import { describe, expect, it } from 'vitest';
import { compareSequencers } from '../../../contract/s3-events.js';

// S3's rule for sequencers of events on one key: right-pad the shorter with zeros, then compare as hex.
describe('compareSequencers', () => {
  it.each([
    ['617f08299329d189', '617f0837b476e463', -1],
    ['617f0837b476e463', '617f08299329d189', 1],
    ['617f08299329d189', '617f08299329d189', 0],
    // Case does not matter: the docs show both "0055AED6DCD90281E5" and "617f08299329d189".
    ['0055AED6DCD90281E5', '0055aed6dcd90281e5', 0],
    ['00AB', '00ab', 0],
    ['00aB', '00Ac', -1],
    // Right-padded, not left-padded: "2" means "20", which is greater than "1F" ...
    ['2', '1F', 1],
    // ... and a longer sequencer with the same prefix plus zeros is the same point in time.
    ['617f08', '617f0800', 0],
    ['617f08', '617f0801', -1],
    ['617f0801', '617f08', 1],
    ['', '0', 0],
    ['', '1', -1],
  ] as const)('compareSequencers(%j, %j) = %j', (a, b, expected) => {
    expect(Math.sign(compareSequencers(a, b))).toBe(expected);
  });

  it('sorts a shuffled list into event order', () => {
    const inOrder = ['0055AED6DCD90281E5', '0055aed6dcd90281e6', '0055AED6DCD90281F', '0056', '617f08299329d189'];
    const shuffled = [inOrder[3]!, inOrder[0]!, inOrder[4]!, inOrder[2]!, inOrder[1]!];
    expect([...shuffled].sort(compareSequencers)).toEqual(inOrder);
  });
});
