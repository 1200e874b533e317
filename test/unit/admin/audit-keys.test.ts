import { describe, expect, it } from 'vitest';
import { auditKeys, auditKeyTime, auditStreamPrefix, reverseTime, startAfterFor } from '../../../contract/audit-keys.js';

describe('audit keys', () => {
  it('write the timeline key and the endpoint index key, both newest first', () => {
    expect(auditKeys({ id: 'abc', at: '2026-11-25T12:00:00.000Z', endpoint: 'acme' })).toEqual([
      `_portal/audit/all/${reverseTime(Date.parse('2026-11-25T12:00:00.000Z'))}-abc.json`,
      `_portal/audit/endpoint/acme/${reverseTime(Date.parse('2026-11-25T12:00:00.000Z'))}-abc.json`,
    ]);
    expect(auditKeys({ id: 'abc', at: '2026-11-25T12:00:00.000Z', endpoint: null })).toHaveLength(1);
  });

  it('sort newer events first in S3 (byte) order', () => {
    const times = ['2001-09-09T01:46:40.000Z', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.001Z', '2040-06-30T23:59:59.999Z'];
    const keys = times.map((at, i) => auditKeys({ id: `e${i}`, at, endpoint: null })[0]!);
    expect([...keys].sort()).toEqual([...keys].reverse());
  });

  it('give back the event time', () => {
    const [key] = auditKeys({ id: 'x1', at: '2026-11-25T12:34:56.789Z', endpoint: null });
    expect(new Date(auditKeyTime(key!)).toISOString()).toBe('2026-11-25T12:34:56.789Z');
    expect(auditKeyTime('_portal/audit/all/garbage')).toBeNaN();
  });

  it('start a `to`-bounded listing just before events at exactly `to`', () => {
    const to = Date.parse('2026-11-25T12:00:00.000Z');
    const prefix = auditStreamPrefix('acme');
    const [, atTo] = auditKeys({ id: 'a', at: new Date(to).toISOString(), endpoint: 'acme' });
    const [, later] = auditKeys({ id: 'b', at: new Date(to + 1).toISOString(), endpoint: 'acme' });
    const after = startAfterFor(prefix, to);
    expect(atTo! > after).toBe(true); // included
    expect(later! > after).toBe(false); // excluded
  });
});
