// Listing pages are cut to fit the ALB's 1 MB Lambda response cap, measured as the body is embedded
// in the Lambda result (JSON inside JSON), by listing the same page again with a smaller MaxKeys.
import { describe, expect, it } from 'vitest';
import { json, toAlbResult } from '../../../lambdas/shared/http.js';
import { ALB_MAX_BODY_BYTES } from '../../../contract/limits.js';
import { embeddedJsonBytes, listWithinBudget, MAX_JSON_RESPONSE_BYTES, takeWithinBudget } from '../../../lambdas/shared/response-budget.js';

describe('embeddedJsonBytes', () => {
  it('counts the body as the Lambda result carries it: quotes and backslashes escaped twice, UTF-8 bytes', () => {
    const value = { name: 'a"b\\c', text: 'é' };
    expect(embeddedJsonBytes(value)).toBe(Buffer.byteLength(JSON.stringify(JSON.stringify(value))));
    const result = JSON.stringify(toAlbResult(json(200, value), true));
    // Everything else in the result is framing and headers.
    expect(Buffer.byteLength(result) - embeddedJsonBytes(value)).toBeLessThan(400);
    expect(MAX_JSON_RESPONSE_BYTES).toBeLessThan(ALB_MAX_BODY_BYTES);
  });

  it('equals the length of the twice-serialised body for names that need escaping at either level', () => {
    const names = ['plain.pdf', 'quote"and\\slash', 'tab\tnew\nline\u0000nul', 'lone \ud800 surrogate', 'line\u2028separator', 'emoji 😀 and ü', '\\"\\\\"', ''];
    for (const name of names) {
      const value = { files: [{ name, key: `uploads/acme/${name}`, size: 1 }], nextToken: null };
      expect(embeddedJsonBytes(value), JSON.stringify(name)).toBe(Buffer.byteLength(JSON.stringify(JSON.stringify(value)), 'utf8'));
    }
    expect(embeddedJsonBytes(null)).toBe(Buffer.byteLength(JSON.stringify(JSON.stringify(null)), 'utf8'));
  });
});

describe('listWithinBudget', () => {
  /** A listing of `total` entries of `entryBytes` each, recording every MaxKeys asked. */
  function lister(total: number, entryBytes: number) {
    const asked: number[] = [];
    const list = async (maxKeys: number) => {
      asked.push(maxKeys);
      const items = Array.from({ length: Math.min(total, maxKeys) }, () => 'x'.repeat(entryBytes));
      return { page: { items }, listed: items.length };
    };
    return { asked, list };
  }

  it('lists once when the page fits', async () => {
    const { asked, list } = lister(1000, 100);
    const page = await listWithinBudget(1000, list);
    expect(page.items).toHaveLength(1000);
    expect(asked).toEqual([1000]);
  });

  it('lists the page again, shorter, until it fits the budget', async () => {
    const { asked, list } = lister(1000, 4000);
    const page = await listWithinBudget(1000, list);
    expect(embeddedJsonBytes(page)).toBeLessThanOrEqual(MAX_JSON_RESPONSE_BYTES);
    expect(asked[0]).toBe(1000);
    expect(asked.length).toBeGreaterThan(1);
    expect(page.items.length).toBe(asked[asked.length - 1]);
    // Not needlessly short: within the 10% headroom of what fits.
    expect(page.items.length).toBeGreaterThan((MAX_JSON_RESPONSE_BYTES / 4003) * 0.8);
  });

  it('shrinks strictly each round, down to a single entry at worst', async () => {
    // Each round asks for fewer entries than the last, so the loop ends.
    const asked: number[] = [];
    const page = await listWithinBudget(10, async (maxKeys) => {
      asked.push(maxKeys);
      return { page: 'x'.repeat(maxKeys * 100), listed: maxKeys };
    }, 950);
    expect(asked.every((n, i) => i === 0 || n < asked[i - 1]!)).toBe(true);
    expect(embeddedJsonBytes(page)).toBeLessThanOrEqual(950);
  });

  it('gives up shrinking at one entry', async () => {
    const { asked, list } = lister(5, 100);
    const page = await listWithinBudget(5, list, 50);
    expect(page.items).toHaveLength(1);
    expect(asked).toEqual([5, 1]);
  });
});

describe('takeWithinBudget', () => {
  const names = ['a', 'quote"d', 'é', 'back\\slash', 'z'.repeat(100), 'last'];
  /** What the first `count` names add to a body that holds them as a JSON array, embedded. */
  const arrayBytes = (count: number) => embeddedJsonBytes(names.slice(0, count)) - embeddedJsonBytes([]);

  it('takes the longest start of the list that fits the budget, and says when it left some out', () => {
    for (let budget = 0; budget <= arrayBytes(names.length) + 2; budget++) {
      const { taken, cut } = takeWithinBudget(names, budget);
      expect(taken).toEqual(names.slice(0, taken.length));
      expect(cut).toBe(taken.length < names.length);
      expect(arrayBytes(taken.length)).toBeLessThanOrEqual(budget);
      if (cut) expect(arrayBytes(taken.length + 1)).toBeGreaterThanOrEqual(budget);
    }
  });

  it('takes everything when it fits, nothing when nothing does', () => {
    expect(takeWithinBudget(names, MAX_JSON_RESPONSE_BYTES)).toEqual({ taken: names, cut: false });
    expect(takeWithinBudget(names, 0)).toEqual({ taken: [], cut: true });
    expect(takeWithinBudget([], 0)).toEqual({ taken: [], cut: false });
  });
});
