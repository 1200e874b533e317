import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../contract/api/admin.js';
import { auditDateRange, auditEventsToCsv, auditEventsToJson, collectAuditEvents, csvCell, exportFileName } from '../../../web/src/admin/audit-export.js';

const event = (id: string, over: Partial<AuditEvent> = {}): AuditEvent => ({
  id,
  at: '2026-12-04T10:00:00.000Z',
  action: 'file.deleted',
  actor: { subject: 'sub-1', email: 'admin@example.com' },
  endpoint: 'acme',
  target: 'uploads/acme/report.pdf',
  details: { size: 3 },
  sourceIp: '203.0.113.9',
  requestId: 'req-1',
  ...over,
});

describe('audit export', () => {
  it('follows every page of the range, and says when the bound cut it short', async () => {
    const pages: Record<string, { events: AuditEvent[]; nextToken: string | null }> = {
      start: { events: [event('a'), event('b')], nextToken: 't1' },
      t1: { events: [], nextToken: 't2' },
      t2: { events: [event('c')], nextToken: null },
    };
    const asked: (string | null)[] = [];
    const all = await collectAuditEvents(async (token) => (asked.push(token), pages[token ?? 'start']!));
    expect(all).toEqual({ events: [event('a'), event('b'), event('c')], truncated: false });
    expect(asked).toEqual([null, 't1', 't2']);
    const cut = await collectAuditEvents(async (token) => pages[token ?? 'start']!, 2);
    expect(cut).toEqual({ events: [event('a'), event('b')], truncated: true });
  });

  it('writes RFC 4180 CSV with a header, quoting commas, quotes and line breaks', () => {
    const csv = auditEventsToCsv([event('a', { target: 'uploads/acme/a, "b"\nc.pdf', endpoint: null })]);
    const [header, row] = csv.split('\r\n');
    expect(header).toBe('id,at,action,actor_email,actor_subject,endpoint,target,details,source_ip,request_id');
    expect(csv).toContain('"uploads/acme/a, ""b""\nc.pdf"');
    expect(row!.startsWith('a,2026-12-04T10:00:00.000Z,file.deleted,admin@example.com,sub-1,,')).toBe(true);
    expect(csv).toContain('"{""size"":3}"');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('defuses cells a spreadsheet would run as formulas (customers name the files)', () => {
    for (const evil of ['=HYPERLINK("http://evil.example")', '+1+1', '-2+3', '@SUM(A1)', '\tx']) expect(csvCell(evil).replace(/^"|"$/g, '').startsWith(`'`), evil).toBe(true);
    expect(csvCell('report.pdf')).toBe('report.pdf');
  });

  it('writes JSON that reads back as the events, and names the file after the filter', () => {
    expect(JSON.parse(auditEventsToJson([event('a')]))).toEqual([event('a')]);
    expect(exportFileName('csv', { endpoint: 'acme', from: '2026-12-01', to: '2026-12-04' })).toBe('audit-acme-from-2026-12-01-to-2026-12-04.csv');
    expect(exportFileName('json', {})).toBe('audit.json');
  });
});

describe('audit export date range (the admin\'s time zone: Europe/Berlin here)', () => {
  // Node reads TZ again whenever it is set, so the local-time Date calls below run in Berlin time.
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.TZ;
    process.env.TZ = 'Europe/Berlin';
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('runs from local midnight of the first day to the last millisecond of the last', () => {
    expect(auditDateRange({ from: '2026-12-01', to: '2026-12-04' })).toEqual({ from: '2026-11-30T23:00:00.000Z', to: '2026-12-04T22:59:59.999Z' });
    expect(auditDateRange({ from: '', to: '' })).toEqual({ from: undefined, to: undefined });
    expect(auditDateRange({ from: '2026-12-31', to: '2026-12-31' })).toEqual({ from: '2026-12-30T23:00:00.000Z', to: '2026-12-31T22:59:59.999Z' });
  });

  it('spans a 23-hour day (clocks forward) and a 25-hour day (clocks back) exactly', () => {
    // 29 March 2026: 02:00 CET becomes 03:00 CEST. Midnight is still CET (UTC+1), the day ends in CEST (UTC+2).
    const spring = auditDateRange({ from: '2026-03-29', to: '2026-03-29' });
    expect(spring).toEqual({ from: '2026-03-28T23:00:00.000Z', to: '2026-03-29T21:59:59.999Z' });
    expect(Date.parse(spring.to!) + 1 - Date.parse(spring.from!)).toBe(23 * 3_600_000);
    // 25 October 2026: 03:00 CEST becomes 02:00 CET.
    const autumn = auditDateRange({ from: '2026-10-25', to: '2026-10-25' });
    expect(autumn).toEqual({ from: '2026-10-24T22:00:00.000Z', to: '2026-10-25T22:59:59.999Z' });
    expect(Date.parse(autumn.to!) + 1 - Date.parse(autumn.from!)).toBe(25 * 3_600_000);
    // A range across the change keeps its ends in the offsets of their own days.
    expect(auditDateRange({ from: '2026-03-28', to: '2026-03-30' })).toEqual({ from: '2026-03-27T23:00:00.000Z', to: '2026-03-30T21:59:59.999Z' });
  });

  it('includes an event at 23:59:59.5 local on the last day, and none of the next day', () => {
    const { to } = auditDateRange({ from: '2026-12-04', to: '2026-12-04' });
    expect(Date.parse('2026-12-04T22:59:59.500Z')).toBeLessThanOrEqual(Date.parse(to!));
    expect(Date.parse('2026-12-04T23:00:00.000Z')).toBeGreaterThan(Date.parse(to!));
  });
});
