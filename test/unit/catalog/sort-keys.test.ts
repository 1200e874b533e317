import { describe, expect, it } from 'vitest';
import { compareSequencers } from '../../../contract/s3-events.js';
import { nameSortKey, sequencerOrder, sizeSortKey, timeSortKey, truncateUtf8 } from '../../../lambdas/shared/catalog/sort-keys.js';

/** DynamoDB compares strings by their UTF-8 bytes. */
const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('listing sort keys', () => {
  it('order names case-insensitively, a name before its own extensions, ties by segment', () => {
    const names = [nameSortKey('b.pdf', 'b.pdf'), nameSortKey('A b.pdf', 'A b.pdf'), nameSortKey('a', 'a'), nameSortKey('report.pdf', 'report (2).pdf'), nameSortKey('report.pdf', 'report.pdf')];
    expect([...names].sort(utf8Order).map((k) => k.split('\u0001')[1])).toEqual(['a', 'A b.pdf', 'b.pdf', 'report (2).pdf', 'report.pdf']);
  });

  it('order sizes numerically up to the largest object S3 holds', () => {
    const sizes = [10, 9, 5 * 2 ** 40 * 10, 0, 1_000_000];
    expect(sizes.map((n) => sizeSortKey(n, 'x')).sort(utf8Order).map((k) => Number(k.split('\u0001')[0]))).toEqual([...sizes].sort((a, b) => a - b));
  });

  it('order times as time', () => {
    const times = ['2026-11-02T00:00:00.000Z', '2025-12-31T23:59:59.999Z', '2026-11-01T10:00:00.000Z'];
    expect(times.map((t) => timeSortKey(t, 's')).sort(utf8Order).map((k) => k.slice(0, 24))).toEqual([...times].sort());
  });

  it('stay within a GSI sort key (1,024 bytes) for the longest names and segments', () => {
    const key = nameSortKey('\u{1F600}'.repeat(300), 'x'.repeat(255));
    expect(Buffer.byteLength(key, 'utf8')).toBeLessThanOrEqual(1024);
    expect(truncateUtf8('\u{1F600}\u{1F600}', 5)).toBe('\u{1F600}');
  });
});

describe('sequencerOrder', () => {
  it("orders sequencers as S3 says: right-pad with zeros, compare as hex, either case", () => {
    const pairs: [string, string][] = [
      ['617f08299329d189', '617F0837B476E463'],
      ['0055AED6DCD90281E5', '0055AED6DCD90281E'],
      ['00A', '009FF'],
      ['ABC', 'abc'],
    ];
    for (const [a, b] of pairs) {
      const ours = Math.sign(sequencerOrder(a)! < sequencerOrder(b)! ? -1 : sequencerOrder(a)! > sequencerOrder(b)! ? 1 : 0);
      expect(ours, `${a} vs ${b}`).toBe(Math.sign(compareSequencers(a, b)));
    }
  });

  it('refuses anything that is not a sequencer', () => {
    for (const bad of [undefined, '', 'xyz', '12 34', 'a'.repeat(65), 42]) expect(sequencerOrder(bad)).toBeNull();
  });
});
