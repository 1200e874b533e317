// A local data folder from before the catalog: its bucket holds files, its catalog table is new. The
// portal fills the table at start-up with the same reconcile as `npm run reconcile`, and the files
// get the state the portal's scan mode gives new files: with malwareScan off, not scanned and
// downloadable (never `pending`, which no scanner would ever end). Its own file: the handlers read
// process.env once, so this portal may only be restarted on the same ports and data folder.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FileEntry, FileListing } from '../../../contract/api/admin.js';
import { portsOf, startTestPortal, type TestPortal } from '../../support/local-portal.js';
import { bucketClient, signedInAdmin } from '../../support/portal-api.js';

let dataDir: string;
let portal: TestPortal | undefined;
let startupLog: string[];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'catalog-before-'));
  // The files arrive while the portal runs (so its bucket has them), then the catalog's folder goes.
  const before = await startTestPortal({ dataDir, malwareScan: 'off' });
  const ports = portsOf(before);
  const bucket = bucketClient(before);
  try {
    await bucket.send(new PutObjectCommand({ Bucket: before.bucket, Key: 'uploads/legacy/report.pdf', Body: 'report' }));
    await bucket.send(new PutObjectCommand({ Bucket: before.bucket, Key: 'uploads/legacy/2025/notes.txt', Body: 'notes!' }));
    await before.events.idle();
  } finally {
    bucket.destroy();
    await before.stop();
  }
  await rm(join(dataDir, 'catalog'), { recursive: true, force: true });

  // The start-up reconcile reports on the console what it did.
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    portal = await startTestPortal({ dataDir, malwareScan: 'off', ...ports });
    startupLog = log.mock.calls.map((args) => String(args[0]));
  } finally {
    log.mockRestore();
  }
});

afterAll(async () => {
  await portal?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('start-up on a data folder from before the catalog, malwareScan off', () => {
  it('reconciles the new table from the bucket', () => {
    expect(startupLog).toContain('[catalog] legacy: 2 files, 2 added');
  });

  it('lists the files as not scanned and downloadable, and downloads them', async () => {
    const admin = await signedInAdmin(portal!);
    const listing = await admin.call<FileListing>('GET', '/admin/api/files?endpoint=legacy&scope=endpoint&sort=name');
    expect(listing.status).toBe(200);
    expect(listing.body.files.map((f: FileEntry) => ({ key: f.key, size: f.size, state: f.scan.state, downloadable: f.downloadable }))).toEqual([
      { key: 'uploads/legacy/2025/notes.txt', size: 6, state: 'not_scanned', downloadable: true },
      { key: 'uploads/legacy/report.pdf', size: 6, state: 'not_scanned', downloadable: true },
    ]);
    const download = await admin.call('GET', `/admin/api/files/download?key=${encodeURIComponent('uploads/legacy/report.pdf')}`);
    expect(download.status).toBe(302);
    expect(await (await fetch(download.headers.get('location')!)).text()).toBe('report');
  });
});
