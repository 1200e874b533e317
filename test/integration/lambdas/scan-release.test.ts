// Releasing a file that could not be scanned, end to end against the local portal with malware
// scanning `block`: the scanner stand-in answers UNSUPPORTED for a file over its (test-sized) limit,
// and the local S3 server enforces the block policy. Before the release S3 refuses a presigned GET of
// the file and the admin API refuses the download; an admin releases it through the admin API with a
// written reason; the audit trail keeps the reason; then the same presigned GET and the admin API's
// download work. An infected file (EICAR) is never released: 409, and S3 still refuses it.
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../contract/api/admin.js';
import { EICAR_SIGNATURE } from '../../../local/scanner/eicar.js';
import { BrowserClient, signInAdmin, startTestPortal, type TestPortal } from '../../support/local-portal.js';
import { bucketClient, listedFile, presignedGet, CompanionClient, createEndpoint, PortalApi, randomData } from '../../support/portal-api.js';

const ENDPOINT = 'scan-release';
/** The scanner stand-in answers UNSUPPORTED above this size, as GuardDuty does above its 100 GB. */
const SCAN_MAX_BYTES = 1024;
const REASON = 'Encrypted archive from the auditor; its contents were checked by hand with them on the phone';

let portal: TestPortal;
let admin: PortalApi;
let s3: S3Client;
const archive = { data: randomData(4 * SCAN_MAX_BYTES), key: '' };
const infected = { data: Buffer.concat([EICAR_SIGNATURE, Buffer.from('\r\n')]), key: '' };

beforeAll(async () => {
  portal = await startTestPortal({ malwareScan: 'block', scanMaxObjectBytes: SCAN_MAX_BYTES });
  admin = new PortalApi(new BrowserClient(), portal);
  await signInAdmin(admin.client, portal);
  await createEndpoint(admin, { name: ENDPOINT, customerEmail: 'auditor@example.com' });
  const uploader = new CompanionClient(admin);
  archive.key = (await uploader.uploadSmall('archive.zip', archive.data, { endpoint: ENDPOINT })).key;
  infected.key = (await uploader.uploadSmall('eicar-test-file.txt', infected.data, { endpoint: ENDPOINT })).key;
  s3 = bucketClient(portal);
  // The S3 events, the scans (no delay in tests) and their results, all delivered in process.
  await portal.events.idle();
});
afterAll(async () => {
  s3?.destroy();
  await portal?.stop();
});

const scanOf = (key: string) => listedFile(admin, ENDPOINT, key);

const auditOf = async (action: string, key: string): Promise<AuditEvent[]> => {
  const audit = await admin.get<{ events: AuditEvent[] }>('/admin/api/audit', { endpoint: ENDPOINT });
  expect(audit.status, JSON.stringify(audit.body)).toBe(200);
  return audit.body.events.filter((e) => e.action === action && e.target === key);
};

describe('releasing a file that could not be scanned (block)', () => {
  it('starts unsupported and infected, neither downloadable', async () => {
    expect(await scanOf(archive.key)).toMatchObject({ scan: { state: 'unsupported', release: null }, downloadable: false });
    expect(await scanOf(infected.key)).toMatchObject({ scan: { state: 'infected' }, downloadable: false });
  });

  it('before the release: S3 refuses a presigned GET, the admin API the download (409 scan_not_released)', async () => {
    expect((await presignedGet(s3, portal.bucket, archive.key)).status).toBe(403);
    const download = await admin.get('/admin/api/files/download', { key: archive.key });
    expect([download.status, download.body.error.code]).toEqual([409, 'scan_not_released']);
  });

  it('an admin releases it with a written reason: recorded on the file and kept in the audit trail', async () => {
    const released = await admin.call('POST', '/admin/api/files/release', { key: archive.key, reason: REASON });
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(released.body).toMatchObject({ key: archive.key, downloadable: true, scan: { state: 'unsupported', release: { reason: REASON, by: portal.adminCredentials.email } } });
    expect(await scanOf(archive.key)).toMatchObject({ scan: { release: { reason: REASON } }, downloadable: true });
    expect(await auditOf('file.released', archive.key)).toEqual([
      expect.objectContaining({ endpoint: ENDPOINT, details: expect.objectContaining({ reason: REASON, state: 'unsupported', name: 'archive.zip' }) }),
    ]);
  });

  it('after the release: the same presigned GET and the admin API\'s download both return the bytes', async () => {
    const direct = await presignedGet(s3, portal.bucket, archive.key);
    expect(direct.status).toBe(200);
    expect(direct.body.equals(archive.data)).toBe(true);
    const download = await admin.get('/admin/api/files/download', { key: archive.key });
    expect(download.status, JSON.stringify(download.body)).toBe(302);
    const viaPortal = await fetch(download.headers.get('location')!);
    expect(viaPortal.status).toBe(200);
    expect(Buffer.from(await viaPortal.arrayBuffer()).equals(archive.data)).toBe(true);
  });

  it('never releases an infected file: 409 file_infected, nothing audited as released, S3 still refuses it', async () => {
    const refused = await admin.call('POST', '/admin/api/files/release', { key: infected.key, reason: REASON });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'file_infected']);
    expect(await auditOf('file.released', infected.key)).toEqual([]);
    expect(await scanOf(infected.key)).toMatchObject({ scan: { state: 'infected', release: null }, downloadable: false });
    expect((await presignedGet(s3, portal.bucket, infected.key)).status).toBe(403);
  });
});
