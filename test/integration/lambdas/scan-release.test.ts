// Releasing a file that could not be scanned, end to end against the local portal with malware
// scanning `block`: the scanner stand-in answers UNSUPPORTED for a file over its (test-sized) limit,
// and the local S3 server enforces the block policy. Before the release S3 refuses a presigned GET of
// the file and the admin API refuses the download; an admin releases it through the admin API with a
// written reason; the audit trail keeps the reason; then the same presigned GET and the admin API's
// download work. An infected file (EICAR) is never released: 409, and S3 still refuses it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EICAR_SIGNATURE } from '../../../local/scanner/eicar.js';
import { CompanionClient, presignedGet, randomData } from '../../support/portal-api.js';
import { startScanBlockWorld, type ScanBlockWorld } from './scan-block-fixture.js';

const ENDPOINT = 'scan-release';
/** The scanner stand-in answers UNSUPPORTED above this size, as GuardDuty does above its 100 GB. */
const SCAN_MAX_BYTES = 1024;
const REASON = 'Encrypted archive from the auditor; its contents were checked by hand with them on the phone';

let w: ScanBlockWorld;
const archive = { data: randomData(4 * SCAN_MAX_BYTES), key: '' };
const infected = { data: Buffer.concat([EICAR_SIGNATURE, Buffer.from('\r\n')]), key: '' };

beforeAll(async () => {
  w = await startScanBlockWorld({ name: ENDPOINT, customerEmail: 'auditor@example.com' }, { scanMaxObjectBytes: SCAN_MAX_BYTES });
  const uploader = new CompanionClient(w.admin);
  archive.key = (await uploader.uploadSmall('archive.zip', archive.data, { endpoint: ENDPOINT })).key;
  infected.key = (await uploader.uploadSmall('eicar-test-file.txt', infected.data, { endpoint: ENDPOINT })).key;
  // The S3 events, the scans (no delay in tests) and their results, all delivered in process.
  await w.portal.events.idle();
});
afterAll(() => w?.close());

describe('releasing a file that could not be scanned (block)', () => {
  it('starts unsupported and infected, neither downloadable', async () => {
    expect(await w.fileOf(archive.key)).toMatchObject({ scan: { state: 'unsupported', release: null }, downloadable: false });
    expect(await w.fileOf(infected.key)).toMatchObject({ scan: { state: 'infected' }, downloadable: false });
  });

  it('before the release: S3 refuses a presigned GET, the admin API the download (409 scan_not_released)', async () => {
    await w.expectDownloadsRefused(archive.key);
  });

  it('an admin releases it with a written reason: recorded on the file and kept in the audit trail', async () => {
    const released = await w.release(archive.key, REASON);
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(released.body).toMatchObject({ key: archive.key, downloadable: true, scan: { state: 'unsupported', release: { reason: REASON, by: w.portal.adminCredentials.email } } });
    expect(await w.fileOf(archive.key)).toMatchObject({ scan: { release: { reason: REASON } }, downloadable: true });
    expect(await w.releasedAudits(archive.key)).toEqual([
      expect.objectContaining({ endpoint: ENDPOINT, details: expect.objectContaining({ reason: REASON, state: 'unsupported', name: 'archive.zip' }) }),
    ]);
  });

  it('after the release: the same presigned GET and the admin API\'s download both return the bytes', async () => {
    await w.expectDownloadsReturn(archive.key, archive.data);
  });

  it('never releases an infected file: 409 file_infected, nothing audited as released, S3 still refuses it', async () => {
    const refused = await w.release(infected.key, REASON);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'file_infected']);
    expect(await w.releasedAudits(infected.key)).toEqual([]);
    expect(await w.fileOf(infected.key)).toMatchObject({ scan: { state: 'infected', release: null }, downloadable: false });
    expect((await presignedGet(w.s3, w.portal.bucket, infected.key)).status).toBe(403);
  });
});
