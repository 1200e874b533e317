import { describe, expect, it } from 'vitest';
import { auditSinglePutUpload, isSinglePutUpload, singlePutAuditEvent } from '../../../lambdas/events/single-put-audit.js';
import type { FileFacts } from '../../../lambdas/shared/catalog/catalog-items.js';
import { catalogPath } from '../../../lambdas/shared/catalog/catalog-path.js';

const path = catalogPath('uploads/acme/q3/report.pdf')!;
const facts = (over: Partial<FileFacts> = {}): FileFacts => ({
  name: 'Report Q3.pdf',
  size: 9,
  uploadedAt: '2026-12-05T10:00:01.000Z',
  uploadedBy: 'jane@acme.example',
  contentType: 'application/pdf',
  etag: 'b1946ac92492d2347c6235b4d2611184',
  checksum: { algorithm: 'CRC64NVME', type: 'FULL_OBJECT', base64: 'rosUhgp5mIg=' },
  ...over,
});
const origin = { sourceIp: '203.0.113.7', requestId: 'N4N7GDK58NMKJ12R', etag: 'b1946ac92492d2347c6235b4d2611184' };

describe("a single-PUT file's upload.completed", () => {
  it('is recorded for an object the portal stored with one PUT: no multipart ETag, the portal\'s metadata', () => {
    expect(isSinglePutUpload(facts())).toBe(true);
    expect(isSinglePutUpload(facts({ etag: '3858f62230ac3c915f300c664312c11f-2' }))).toBe(false); // multipart: the uploads Lambda audits it
    expect(isSinglePutUpload(facts({ uploadedBy: null }))).toBe(false); // not written through the portal
    expect(isSinglePutUpload(facts({ etag: null }))).toBe(false);
  });

  it('has the multipart completion\'s shape: key, endpoint, size, the checksum S3 keeps (base64 and hex), the sender and the request', () => {
    expect(singlePutAuditEvent(path, facts(), origin)).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{16}$/),
      at: '2026-12-05T10:00:01.000Z',
      action: 'upload.completed',
      actor: { subject: '', email: 'jane@acme.example' },
      endpoint: 'acme',
      target: 'uploads/acme/q3/report.pdf',
      details: { size: 9, checksum: { algorithm: 'CRC64NVME', type: 'FULL_OBJECT', base64: 'rosUhgp5mIg=', hex: 'ae8b14860a799888' }, etag: 'b1946ac92492d2347c6235b4d2611184', upload: 'single PUT' },
      sourceIp: '203.0.113.7',
      requestId: 'N4N7GDK58NMKJ12R',
    });
    // A login without an e-mail is named by its subject; a checksum the receipt format cannot state is none.
    expect(singlePutAuditEvent(path, facts({ uploadedBy: 'a1b2c3d4-subject' }), origin).actor).toEqual({ subject: 'a1b2c3d4-subject', email: '' });
    expect(singlePutAuditEvent(path, facts({ checksum: { algorithm: 'CRC32', type: 'FULL_OBJECT', base64: 'R/nORQ==' } }), origin).details.checksum).toBeNull();
    expect(singlePutAuditEvent(path, facts({ checksum: null }), origin).details.checksum).toBeNull();
  });

  it('has one id per object version, whoever delivers its event and whatever that delivery says of the request', () => {
    const id = singlePutAuditEvent(path, facts(), origin).id;
    expect(singlePutAuditEvent(path, facts(), { sourceIp: '', requestId: '', etag: '' }).id).toBe(id);
    expect(singlePutAuditEvent(path, facts({ etag: 'ffff6ac92492d2347c6235b4d2611184' }), origin).id).not.toBe(id);
    // The same bytes stored again after a delete: another version, another event.
    expect(singlePutAuditEvent(path, facts({ uploadedAt: '2026-12-05T11:00:00.000Z' }), origin).id).not.toBe(id);
    expect(singlePutAuditEvent(catalogPath('uploads/acme/other.pdf')!, facts(), origin).id).not.toBe(id);
  });

  it('is written with recordOnce, and only for a single-PUT file', async () => {
    const written: string[] = [];
    const audit = { recordOnce: async (event: { action: string; target: string }) => void written.push(`${event.action} ${event.target}`) };
    expect(await auditSinglePutUpload(audit, path, facts(), origin)).toBe(true);
    expect(await auditSinglePutUpload(audit, path, facts({ etag: '3858f62230ac3c915f300c664312c11f-2' }), origin)).toBe(false);
    expect(written).toEqual(['upload.completed uploads/acme/q3/report.pdf']);
  });

  it("names the request only when the event is about the version it records (a late event of an earlier version names none)", async () => {
    const events: { sourceIp: string; requestId: string }[] = [];
    const audit = { recordOnce: async (event: { sourceIp: string; requestId: string }) => void events.push({ sourceIp: event.sourceIp, requestId: event.requestId }) };
    await auditSinglePutUpload(audit, path, facts(), origin);
    await auditSinglePutUpload(audit, path, facts(), { ...origin, etag: '"b1946ac92492d2347c6235b4d2611184"' });
    await auditSinglePutUpload(audit, path, facts(), { ...origin, etag: '0123456789abcdef0123456789abcdef' });
    await auditSinglePutUpload(audit, path, facts(), { ...origin, etag: '' });
    const named = { sourceIp: '203.0.113.7', requestId: 'N4N7GDK58NMKJ12R' };
    const unnamed = { sourceIp: '', requestId: '' };
    expect(events).toEqual([named, named, unnamed, unnamed]);
  });
});
