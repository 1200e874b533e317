// The audit writer both Lambdas share: the event goes to the structured log, then into both streams of
// the bucket (all events, and the endpoint's), each written once with If-None-Match; a failed write rejects.
import { Logger } from '@aws-lambda-powertools/logger';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it, vi } from 'vitest';
import type { AuditEvent } from '../../../contract/api/admin.js';
import { auditKeys } from '../../../contract/audit-keys.js';
import { AuditWriter, newAuditId } from '../../../lambdas/shared/audit-writer.js';

const event: AuditEvent = {
  id: '0123456789abcdef',
  at: '2026-12-04T12:00:00.000Z',
  action: 'upload.completed',
  actor: { subject: 'sub-1', email: 'jane@acme.example' },
  endpoint: 'acme',
  target: 'uploads/acme/a.bin',
  details: { size: 10, checksum: null, principalKind: 'customer' },
  sourceIp: '203.0.113.9',
  requestId: 'req-1',
};

function setup() {
  const s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
  const mock = mockClient(s3);
  const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
  return { mock, logger, writer: new AuditWriter(s3, 'bucket', logger) };
}

describe('AuditWriter', () => {
  it('logs the event and writes it to both streams with If-None-Match, as JSON', async () => {
    const { mock, logger, writer } = setup();
    const info = vi.spyOn(logger, 'info');
    mock.on(PutObjectCommand).resolves({});
    await writer.record(event);
    expect(info).toHaveBeenCalledWith('audit', { audit: event });
    const puts = mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => p.Key).sort()).toEqual([...auditKeys(event)].sort());
    expect(puts.map((p) => p.Key)).toEqual(expect.arrayContaining([expect.stringMatching(/^_portal\/audit\/all\//), expect.stringMatching(/^_portal\/audit\/endpoint\/acme\//)]));
    for (const put of puts) expect(put).toMatchObject({ Bucket: 'bucket', IfNoneMatch: '*', ContentType: 'application/json', Body: JSON.stringify(event) });
  });

  it('rejects when a write fails (the caller decides what that means)', async () => {
    const { mock, writer } = setup();
    mock.on(PutObjectCommand).rejects(new Error('S3 down'));
    await expect(writer.record(event)).rejects.toThrow('S3 down');
  });

  it('makes 16-hex-digit ids, a fresh one each time', () => {
    const ids = new Set(Array.from({ length: 100 }, newAuditId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/);
  });
});
