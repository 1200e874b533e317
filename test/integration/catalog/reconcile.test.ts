// Reconcile against a real S3 server and dynalite: a bucket whose files predate the catalog is indexed
// in full; deleted, damaged and stale entries, wrong counters and left-over change ids are repaired;
// and a run cut into many short calls ends where one long call does.
import { PutObjectTaggingCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCAN_STATUS_TAG, SCAN_VERDICT_DEADLINE_MS, type ScanResultStatus } from '../../../contract/malware-scan.js';
import { CATALOG_ATTRIBUTES as A } from '../../../contract/catalog-table.js';
import { entryItem, fileKey, folderItem, readEntry, usageKey } from '../../../lambdas/shared/catalog/catalog-items.js';
import { catalogPath } from '../../../lambdas/shared/catalog/catalog-path.js';
import { listSubfolders, readEndpointUsage } from '../../../lambdas/shared/catalog/catalog-reads.js';
import { reconcileEndpoint, startProgress, type ReconcileDeps, type ReconcileProgress } from '../../../lambdas/shared/catalog/reconcile.js';
import { recoverScanFromTags } from '../../../lambdas/shared/catalog/scan-tags.js';
import { scanResultEvent } from '../../../local/scanner/scan-result-event.js';
import { BUCKET, startCatalogWorld, type CatalogWorld } from './fixture.js';

let w: CatalogWorld;
beforeAll(async () => {
  w = await startCatalogWorld();
});
afterAll(async () => w?.close());

/** A whole run over `endpoint`, call after call (each with `budgetMs`), as the admin action resumes it; `now`: the run's clock. */
const reconcile = async (
  endpoint: string,
  { budgetMs = 60_000, now, ...options }: { budgetMs?: number; now?: Date } & Pick<ReconcileDeps, 'chunkKeys' | 'scanMode'> = {},
): Promise<{ progress: ReconcileProgress; calls: number }> => {
  let progress = startProgress(endpoint);
  for (let calls = 1; calls < 1000; calls++) {
    const step = await reconcileEndpoint({ db: w.db, s3: w.s3, bucket: BUCKET, now: () => now ?? new Date(), ...options }, progress, budgetMs);
    progress = step.progress;
    if (step.done) return { progress, calls };
  }
  throw new Error('reconcile did not end');
};

/** A run as a later one sees the same objects: its clock at `now`, unscanned files blocked (scanMode block). */
const reconcileAt = async (endpoint: string, now: Date): Promise<ReconcileProgress> => (await reconcile(endpoint, { now, scanMode: 'block' })).progress;

/** The key of `seed`'s file number `i`: a third each in docs/, docs/2026/ and the endpoint's root. */
const seededKey = (endpoint: string, i: number): string => `uploads/${endpoint}/${i % 3 === 0 ? 'docs/' : i % 3 === 1 ? 'docs/2026/' : ''}file-${String(i).padStart(3, '0')}.txt`;

/** Objects written straight to the bucket: their events are never handled (a deployment from before the catalog). */
async function seed(endpoint: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await w.upload(seededKey(endpoint, i), 'x'.repeat(i + 1), { originalName: `File ${i}.txt`, uploadedBy: `user${i}@acme.example` });
  }
}

describe('reconcile', () => {
  it('indexes every file of a folder that predates the catalog, with its metadata, folders and counters', async () => {
    await seed('legacy', 30);
    expect(await w.listed('legacy')).toEqual([]);
    const { progress } = await reconcile('legacy');
    expect(progress).toMatchObject({ checked: 30, added: 30, repaired: 0, removed: 0, fileCount: 30, totalBytes: (30 * 31) / 2 });
    const files = await w.listed('legacy');
    expect(files).toHaveLength(30);
    expect(files.find((f) => f.path === 'docs/file-000.txt')).toMatchObject({ name: 'File 0.txt', uploadedBy: 'user0@acme.example', size: 1, checksum: { algorithm: 'CRC64NVME' } });
    expect(await readEndpointUsage(w.db, 'legacy')).toMatchObject({ fileCount: 30, totalBytes: 465, reconciledAt: expect.any(String) });
    expect(await listSubfolders(w.db, 'legacy', '')).toEqual({ folders: ['docs/'], truncated: false });
    expect(await listSubfolders(w.db, 'legacy', 'docs/')).toEqual({ folders: ['docs/2026/'], truncated: false });
    // A second run finds nothing to do.
    expect((await reconcile('legacy')).progress).toMatchObject({ added: 0, repaired: 0, removed: 0, fileCount: 30 });
  });

  it('repairs deleted and damaged entries, removes stale ones, and recomputes the counters', async () => {
    await seed('damaged', 12);
    await reconcile('damaged');
    const at = (name: string) => catalogPath(`uploads/damaged/${name}`)!;
    // Deleted outright.
    await w.db.delete(fileKey(at('file-002.txt')));
    await w.db.delete(fileKey(at('docs/file-003.txt')));
    // Damaged: a wrong size, a missing sort key, a missing kind.
    await w.db.update(fileKey(at('file-005.txt')), { expression: 'SET #size = :size', names: { '#size': A.size }, values: { ':size': { N: '999' } } });
    await w.db.update(fileKey(at('docs/2026/file-004.txt')), { expression: 'REMOVE #byName', names: { '#byName': A.byName } });
    await w.db.update(fileKey(at('docs/2026/file-007.txt')), { expression: 'REMOVE #kind', names: { '#kind': A.kind } });
    // Stale: an entry (and its folder) for a file the bucket never had, counted too.
    const ghost = catalogPath('uploads/damaged/ghosts/ghost.bin')!;
    await w.db.put(entryItem(ghost, { kind: 'file', sequencer: null, counted: 1000, pending: null }, { name: 'ghost.bin', size: 1000, uploadedAt: new Date().toISOString(), uploadedBy: null, contentType: null, etag: 'x', checksum: null }, new Date()));
    await w.db.put(folderItem('damaged', 'ghosts/', new Date()));
    await w.db.put(folderItem('damaged', 'empty/', new Date()));
    // Wrong counters, and a change id left behind by a crash.
    await w.db.update(usageKey('damaged'), { expression: 'SET #files = :n, #bytes = :n ADD #applied :ids', names: { '#files': A.fileCount, '#bytes': A.totalBytes, '#applied': A.applied }, values: { ':n': { N: '7' }, ':ids': { SS: ['left-behind'] } } });
    expect((await w.listed('damaged')).length).toBeLessThan(12);

    const { progress } = await reconcile('damaged');

    expect(progress).toMatchObject({ checked: 12, added: 3, repaired: 2, fileCount: 12, totalBytes: 78 });
    expect(progress.removed).toBeGreaterThanOrEqual(3); // the ghost file, its folder, the empty folder
    const files = await w.listed('damaged');
    expect(files.map((f) => f.path).sort()).toEqual([...Array(12).keys()].map((i) => `${i % 3 === 0 ? 'docs/' : i % 3 === 1 ? 'docs/2026/' : ''}file-${String(i).padStart(3, '0')}.txt`).sort());
    expect(files.find((f) => f.path === 'file-005.txt')!.size).toBe(6);
    expect(readEntry((await w.db.get(fileKey(ghost)))!)).toMatchObject({ kind: 'deleted', counted: null });
    expect(await listSubfolders(w.db, 'damaged', '')).toEqual({ folders: ['docs/'], truncated: false });
    const usageItem = await w.db.get(usageKey('damaged'));
    expect(usageItem).toMatchObject({ [A.fileCount]: { N: '12' }, [A.totalBytes]: { N: '78' } });
    expect(usageItem![A.applied]).toBeUndefined();
  });

  it('ends a run cut into many short calls where one call ends (the admin action resumes from its token)', async () => {
    await seed('chunked', 9);
    // Two keys per chunk and no time budget: one chunk per call.
    const { progress, calls } = await reconcile('chunked', { budgetMs: 0, chunkKeys: 2 });
    expect(calls).toBe(5);
    expect(progress).toMatchObject({ checked: 9, added: 9, fileCount: 9, totalBytes: 45 });
    expect(await w.listed('chunked')).toHaveLength(9);
  });

  it('indexes an object the bucket policy refuses to read (unscanned or infected under block) from its listing alone', async () => {
    await seed('gated', 2);
    // As the bucket policy answers the admin role's HeadObject of an unscanned object: 403, no body.
    const refused = Object.assign(new Error('Forbidden'), { name: 'Forbidden', $metadata: { httpStatusCode: 403 } });
    const gated = w.s3Server.client({ requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
    gated.middlewareStack.add(
      (next, context) => async (args) => {
        const key = (args.input as { Key?: string }).Key ?? '';
        if (context.commandName === 'HeadObjectCommand' && key.endsWith('file-001.txt')) throw refused;
        return next(args);
      },
      { step: 'initialize', name: 'bucketPolicyRefusesUnscanned' },
    );
    const step = await reconcileEndpoint({ db: w.db, s3: gated, bucket: BUCKET, now: () => new Date() }, startProgress('gated'), 60_000);
    expect(step).toMatchObject({ done: true, progress: { added: 2, fileCount: 2, totalBytes: 3 } });
    const files = await w.listed('gated');
    gated.destroy();
    expect(files.map((f) => [f.name, f.size, f.uploadedBy])).toEqual([
      ['File 0.txt', 1, 'user0@acme.example'],
      ['file-001.txt', 2, null],
    ]);
  });

  it('takes the verdict GuardDuty left in an object tag for a file whose scan is pending (the event was lost, or came before the catalog)', async () => {
    await seed('scanned', 3);
    const tag = (i: number, status: ScanResultStatus) =>
      w.s3.send(new PutObjectTaggingCommand({ Bucket: BUCKET, Key: seededKey('scanned', i), Tagging: { TagSet: [{ Key: SCAN_STATUS_TAG, Value: status }] } }));
    await tag(0, 'NO_THREATS_FOUND');
    await tag(1, 'THREATS_FOUND');
    const states = async () => Object.fromEntries((await w.listed('scanned')).map((f) => [f.name, f.scan.state]));
    // Added from the listing: each takes its tag's verdict; the untagged one waits for its scan.
    expect((await reconcile('scanned')).progress).toMatchObject({ added: 3, repaired: 0 });
    expect(await states()).toEqual({ 'File 0.txt': 'clean', 'File 1.txt': 'infected', 'File 2.txt': 'pending' });
    // Scanned later, its result event lost: the next run finds the tag and repairs the entry.
    await tag(2, 'NO_THREATS_FOUND');
    expect((await reconcile('scanned')).progress).toMatchObject({ added: 0, repaired: 1 });
    expect(await states()).toMatchObject({ 'File 2.txt': 'clean' });
    expect((await reconcile('scanned')).progress).toMatchObject({ added: 0, repaired: 0, removed: 0 });
  });

  it('marks a file without a scan tag a day after it was stored not_scanned (it predates scanning), keeps a younger one pending, and a later scan result still wins', async () => {
    await seed('upgraded', 3);
    await w.s3.send(new PutObjectTaggingCommand({ Bucket: BUCKET, Key: seededKey('upgraded', 0), Tagging: { TagSet: [{ Key: SCAN_STATUS_TAG, Value: 'NO_THREATS_FOUND' }] } }));
    const states = async () => Object.fromEntries((await w.listed('upgraded')).map((f) => [f.name, f.scan.state]));

    // Just stored: GuardDuty may still scan them.
    expect(await reconcileAt('upgraded', new Date())).toMatchObject({ added: 3, repaired: 0 });
    expect(await states()).toEqual({ 'File 0.txt': 'clean', 'File 1.txt': 'pending', 'File 2.txt': 'pending' });

    // A later run: its clock a day and a minute past their LastModified.
    const later = new Date(Date.now() + SCAN_VERDICT_DEADLINE_MS + 60_000);
    expect(await reconcileAt('upgraded', later)).toMatchObject({ added: 0, repaired: 2, removed: 0 });
    expect(await states()).toEqual({ 'File 0.txt': 'clean', 'File 1.txt': 'not_scanned', 'File 2.txt': 'not_scanned' });
    // Idempotent: the next run changes nothing.
    expect(await reconcileAt('upgraded', later)).toMatchObject({ added: 0, repaired: 0, removed: 0 });

    // GuardDuty scans it after all (a plan's later scan, or one an admin started): its result replaces not_scanned.
    const file1 = (await w.listed('upgraded')).find((f) => f.name === 'File 1.txt')!;
    const result = await w.handle(scanResultEvent({ bucket: BUCKET, key: file1.key, etag: file1.etag!, status: 'THREATS_FOUND', threats: ['EICAR-Test-File (not a virus)'] }));
    expect(result).toEqual({ status: 'handled', results: [{ key: file1.key, outcome: 'applied' }] });
    expect(await states()).toMatchObject({ 'File 1.txt': 'infected' });
  });

  it('counts the day from when the catalog recorded the file when that is later than LastModified (a multipart object\'s can be its upload\'s start)', async () => {
    await seed('slow', 1);
    // Recorded 23 hours after the object's LastModified (as an upload that took that long to finish).
    await reconcileAt('slow', new Date(Date.now() + 23 * 3_600_000));
    expect((await w.listed('slow'))[0]!.scan.state).toBe('pending');
    // A day after LastModified but not after the record: still pending.
    await reconcileAt('slow', new Date(Date.now() + SCAN_VERDICT_DEADLINE_MS + 60_000));
    expect((await w.listed('slow'))[0]!.scan.state).toBe('pending');
    // A day after the record: it never will be scanned.
    await reconcileAt('slow', new Date(Date.now() + 23 * 3_600_000 + SCAN_VERDICT_DEADLINE_MS + 60_000));
    expect((await w.listed('slow'))[0]!.scan.state).toBe('not_scanned');
  });

  it('never writes not_scanned over a verdict recorded since the entry was read as pending (the write is conditional)', async () => {
    await seed('raced', 1);
    await reconcile('raced');
    const [file] = await w.listed('raced');
    expect(file!.scan.state).toBe('pending');
    // The scan-result event lands between reconcile's read and its write; the object's tag is not visible to reconcile yet.
    await w.handle(scanResultEvent({ bucket: BUCKET, key: file!.key, etag: file!.etag!, status: 'NO_THREATS_FOUND' }));
    const later = new Date(Date.now() + SCAN_VERDICT_DEADLINE_MS + 60_000);
    const changed = await recoverScanFromTags(w.db, w.s3, BUCKET, catalogPath(file!.key)!, { etag: file!.etag!, size: file!.size, storedAt: new Date(file!.uploadedAt) }, later);
    expect(changed).toBe(false);
    expect((await w.listed('raced'))[0]!.scan.state).toBe('clean');
  });
});
