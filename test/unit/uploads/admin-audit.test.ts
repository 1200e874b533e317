// What an admin does through /api/* in a customer's folder reaches the durable audit trail: an upload
// it is given (multipart or single PUT) is stored as `upload.started` before the URL is handed out,
// and an abort writes an intent before and a result after. A customer's own starts and aborts are not
// audit events.
import { AbortMultipartUploadCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_ALL_PREFIX } from '../../../contract/audit-keys.js';
import { s3Error } from './fake-bucket.js';
import { createViaApi, useHarness } from './harness.js';

const h = useHarness();

afterEach(() => h.bucket.install(h.s3Mock));

const auditEvents = () =>
  [...h.bucket.objects.entries()].filter(([k]) => k.startsWith(AUDIT_ALL_PREFIX)).map(([, o]) => JSON.parse(o.body) as { id: string; action: string; target: string; endpoint: string; actor: { email: string }; details: Record<string, unknown> });
const eventsFor = (key: string) => auditEvents().filter((e) => e.target === key);
const abort = (key: string, uploadId: string, token: string) => h.call('DELETE', `/api/s3/multipart/${encodeURIComponent(uploadId)}`, { token, query: { key } });
const auditWritesFail = () =>
  h.s3Mock.on(PutObjectCommand).callsFake(async (input: { Key: string; Body: string }) => {
    if (input.Key.startsWith('_portal/audit/')) throw s3Error('ServiceUnavailable', 503);
    h.bucket.putObject(input.Key, String(input.Body));
    return { ETag: '"x"' };
  });

describe("an admin's uploads through /api/*", () => {
  it('stores upload.started for a multipart upload into a customer endpoint, with the upload id and size', async () => {
    const created = await createViaApi(h, 'from-admin.bin', 10, { endpoint: 'globex' }, h.admin());
    expect(created.status).toBe(200);
    expect(eventsFor(created.body.key)).toEqual([
      expect.objectContaining({
        action: 'upload.started',
        endpoint: 'globex',
        actor: expect.objectContaining({ email: 'admin@example.com' }),
        details: { kind: 'multipart', uploadId: created.body.uploadId, declaredSize: 10, principalKind: 'admin' },
      }),
    ]);
  });

  it('stores upload.started for a single-PUT upload', async () => {
    const result = await h.call('GET', '/api/s3/params', { token: h.admin(), query: { filename: 'small.txt', type: 'text/plain', 'metadata[size]': '12', 'metadata[endpoint]': 'globex' } });
    expect(result.status).toBe(200);
    expect(eventsFor(result.body.key)).toEqual([expect.objectContaining({ action: 'upload.started', details: { kind: 'put', declaredSize: 12, principalKind: 'admin' } })]);
  });

  it('hands out no URL when upload.started cannot be stored (500), and leaves no multipart upload open on S3', async () => {
    auditWritesFail();
    const created = await createViaApi(h, 'unaudited.bin', 10, { endpoint: 'globex' }, h.admin());
    expect(created.status).toBe(500);
    expect(created.body).not.toHaveProperty('uploadId');
    expect(h.s3Mock.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1);
    expect([...h.bucket.uploads.values()].filter((u) => u.key.startsWith('uploads/globex/unaudited'))).toEqual([]);
    const small = await h.call('GET', '/api/s3/params', { token: h.admin(), query: { filename: 's.txt', type: 'text/plain', 'metadata[size]': '1', 'metadata[endpoint]': 'globex' } });
    expect(small.status).toBe(500);
    expect(small.body).not.toHaveProperty('url');
  });

  it("writes the intent of an admin's abort before S3 is asked, and the result naming it after", async () => {
    const created = await createViaApi(h, 'to-abort.bin', 10, { endpoint: 'globex' }, h.admin());
    expect((await abort(created.body.key, created.body.uploadId, h.admin())).status).toBe(200);
    const [, intent, result] = eventsFor(created.body.key);
    expect(intent).toMatchObject({ action: 'upload.aborting', details: { uploadId: created.body.uploadId } });
    expect(result).toMatchObject({ action: 'upload.aborted', details: { uploadId: created.body.uploadId, intentId: intent!.id } });
    expect(h.bucket.uploads.has(created.body.uploadId)).toBe(false);
  });

  it('does not abort when the intent cannot be stored', async () => {
    const created = await createViaApi(h, 'kept.bin', 10, { endpoint: 'globex' }, h.admin());
    auditWritesFail();
    expect((await abort(created.body.key, created.body.uploadId, h.admin())).status).toBe(500);
    expect(h.s3Mock.commandCalls(AbortMultipartUploadCommand)).toHaveLength(0);
    expect(h.bucket.uploads.has(created.body.uploadId)).toBe(true);
  });

  it("writes no audit event for a customer's own start or abort", async () => {
    const created = await createViaApi(h, 'mine.bin', 10);
    expect((await abort(created.body.key, created.body.uploadId, h.customer())).status).toBe(200);
    expect(eventsFor(created.body.key)).toEqual([]);
  });
});
