import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../contract/api/admin.js';
import { auditEventsToCsv, auditEventsToJson, collectAuditEvents, csvCell, exportFileName } from '../../../web/src/admin/audit-export.js';

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
