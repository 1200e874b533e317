// formatCount against the text it replaces (toLocaleString('en-US'), the oracle here) at every digit count and sign.
import { describe, expect, it } from 'vitest';
import { formatByteCount, formatCount } from '../../../contract/number-format.js';

describe('formatCount', () => {
  it("groups whole numbers as toLocaleString('en-US') does", () => {
    const values = [0, 1, 12, 999, 1000, 1024, 65_536, 999_999, 1_000_000, 5 * 1024 ** 3, 5 * 1024 ** 4, Number.MAX_SAFE_INTEGER];
    for (const n of [...values, ...values.filter((v) => v !== 0).map((v) => -v)]) expect(formatCount(n), String(n)).toBe(n.toLocaleString('en-US'));
  });

  it('leaves what is not a whole number as String() writes it', () => {
    expect([1.5, NaN, Infinity, 2 ** 60].map(formatCount)).toEqual(['1.5', 'NaN', 'Infinity', String(2 ** 60)]);
    expect(formatByteCount(8 * 1024 * 1024)).toBe('8,388,608 bytes');
  });
});
