// GuardDuty's scan results through the events Lambda against a real S3 server and dynalite: each
// result lands on the file version it names (ETag), once, in any order; an infected file is audited
// durably (file.infected) and handed to the onInfected hook.
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../contract/api/admin.js';
import { AUDIT_ALL_PREFIX } from '../../../contract/audit-keys.js';
import { GUARDDUTY_MAX_OBJECT_BYTES } from '../../../contract/malware-scan.js';
import { createEventsApp } from '../../../lambdas/events/app.js';
import { fileKey, readEntry, type CatalogFile } from '../../../lambdas/shared/catalog/catalog-items.js';
import { catalogPath } from '../../../lambdas/shared/catalog/catalog-path.js';
import { listCatalogFiles } from '../../../lambdas/shared/catalog/file-listing.js';
import { scanResultEvent } from '../../../local/scanner/scan-result-event.js';
import { storedAuditEvents } from '../../support/audit.js';
import { BUCKET, startCatalogWorld, type CatalogWorld } from './fixture.js';

let w: CatalogWorld;
beforeAll(async () => {
  w = await startCatalogWorld();
});
afterAll(async () => w?.close());

const scanOf = async (key: string) => {
  const item = await w.db.get(fileKey(catalogPath(key)!));
  return item ? readEntry(item)?.file?.scan : undefined;
};

async function uploaded(key: string, body = 'hello') {
  const event = await w.upload(key, body);
  await w.handle(event);
  return event.detail.object.etag!;
}

/** The file.infected events of `key` in the timeline of every event. */
async function infectedAudits(key: string): Promise<AuditEvent[]> {
  const stored = await storedAuditEvents(w.s3, BUCKET, AUDIT_ALL_PREFIX);
  return stored.map(({ event }) => event).filter((event) => event.action === 'file.infected' && event.target === key);
}

describe('scan results', () => {
  it('a new file is pending, then clean once GuardDuty finds nothing', async () => {
    const key = 'uploads/scan-clean/a.txt';
    const etag = await uploaded(key);
    expect(await scanOf(key)).toMatchObject({ state: 'pending', scannedAt: null });
    const result = await w.handle(scanResultEvent({ bucket: BUCKET, key, etag, status: 'NO_THREATS_FOUND' }));
    expect(result).toEqual({ status: 'handled', results: [{ key, outcome: 'applied' }] });
    expect(await scanOf(key)).toMatchObject({ state: 'clean', threats: [], scannedAt: expect.any(String) });
  });

  it('maps every GuardDuty status to its state', async () => {
    const cases = [
      ['UNSUPPORTED', 'unsupported'],
      ['FAILED', 'failed'],
      ['ACCESS_DENIED', 'failed'],
    ] as const;
    for (const [status, state] of cases) {
      const key = `uploads/scan-states/${status}.txt`;
      const etag = await uploaded(key);
      await w.handle(scanResultEvent({ bucket: BUCKET, key, etag, status }));
      expect(await scanOf(key)).toMatchObject({ state });
    }
  });

  it('an infected file is recorded with its threats, audited once as file.infected however often the result comes, and handed to onInfected', async () => {
    const key = 'uploads/scan-infected/eicar.com';
    const etag = await uploaded(key, 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*');
    const told: CatalogFile[] = [];
    const logger = new Logger({ serviceName: 'events-test', logLevel: 'SILENT' });
    const withHook = createEventsApp({ s3: w.s3, db: w.db, bucket: BUCKET, now: () => new Date(), logger, onInfected: async (file) => void told.push(file) });
    const event = scanResultEvent({ bucket: BUCKET, key, etag, status: 'THREATS_FOUND', threats: ['EICAR-Test-File (not a virus)'] });
    expect(await withHook(event)).toMatchObject({ results: [{ outcome: 'applied' }] });
    expect(told.map((f) => [f.key, f.scan.state, f.scan.threats])).toEqual([[key, 'infected', ['EICAR-Test-File (not a virus)']]]);
    expect(await infectedAudits(key)).toEqual([]); // the injected hook replaces the default

    // The default hook: a durable audit event, written once although the result arrives twice.
    expect(await w.handle(event)).toMatchObject({ results: [{ outcome: 'duplicate' }] });
    expect(await w.handle({ ...event, id: 'another-delivery' })).toMatchObject({ results: [{ outcome: 'duplicate' }] });
    const audits = await infectedAudits(key);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ action: 'file.infected', endpoint: 'scan-infected', target: key, details: { threats: ['EICAR-Test-File (not a virus)'], etag } });
    expect(await scanOf(key)).toMatchObject({ state: 'infected', threats: ['EICAR-Test-File (not a virus)'] });
  });

  it('with notifications on, the default hook audits an infected file and queues its alert at once, one id per version', async () => {
    const key = 'uploads/scan-alert/eicar.com';
    const etag = await uploaded(key, 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*');
    const sent: { queueUrl: string; message: unknown; delaySeconds: number | undefined }[] = [];
    const queue = { send: async (queueUrl: string, message: unknown, delaySeconds?: number) => void sent.push({ queueUrl, message, delaySeconds }), retryLater: async () => {} };
    const logger = new Logger({ serviceName: 'events-test', logLevel: 'SILENT' });
    const app = createEventsApp({ s3: w.s3, db: w.db, bucket: BUCKET, now: () => new Date(), logger, digest: { queue, queueUrl: 'http://queue.test/digests', quietSeconds: 300 } });
    const event = scanResultEvent({ bucket: BUCKET, key, etag, status: 'THREATS_FOUND', threats: ['EICAR-Test-File (not a virus)'] });
    await app(event);
    await app({ ...event, id: 'redelivered' });
    expect(await infectedAudits(key)).toHaveLength(1);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({
      queueUrl: 'http://queue.test/digests',
      delaySeconds: 0,
      message: { kind: 'infected', file: { endpoint: 'scan-alert', key, name: 'eicar.com', threats: ['EICAR-Test-File (not a virus)'] } },
    });
    expect((sent[1]!.message as { id: string }).id).toBe((sent[0]!.message as { id: string }).id);
  });

  it('a result for an older version of the key is stale and leaves the new version pending', async () => {
    const key = 'uploads/scan-versions/a.txt';
    const oldEtag = await uploaded(key, 'first');
    await w.remove(key).then((e) => w.handle(e));
    await uploaded(key, 'second version');
    const result = await w.handle(scanResultEvent({ bucket: BUCKET, key, etag: oldEtag, status: 'NO_THREATS_FOUND' }));
    expect(result).toEqual({ status: 'handled', results: [{ key, outcome: 'stale' }] });
    expect(await scanOf(key)).toMatchObject({ state: 'pending' });
  });

  it('a result that overtakes its Object Created event fails (to be delivered again), then applies', async () => {
    const key = 'uploads/scan-early/a.txt';
    const created = await w.upload(key, 'early');
    const scan = scanResultEvent({ bucket: BUCKET, key, etag: created.detail.object.etag!, status: 'NO_THREATS_FOUND' });
    await expect(w.handle(scan)).rejects.toThrow(/does not describe the scanned version/);
    await w.handle(created);
    expect(await w.handle(scan)).toMatchObject({ results: [{ outcome: 'applied' }] });
    expect(await scanOf(key)).toMatchObject({ state: 'clean' });
  });

  it('a later Object Created of the same version (a redelivery) keeps the scan', async () => {
    const key = 'uploads/scan-keep/a.txt';
    const created = await w.upload(key, 'keep');
    await w.handle(created);
    await w.handle(scanResultEvent({ bucket: BUCKET, key, etag: created.detail.object.etag!, status: 'NO_THREATS_FOUND' }));
    expect(await w.handle(created)).toMatchObject({ results: [{ outcome: 'duplicate' }] });
    expect(await scanOf(key)).toMatchObject({ state: 'clean' });
  });

  it('drops results from another bucket, with no ETag or with an unknown status', async () => {
    const base = { key: 'uploads/scan-drop/a.txt', etag: 'b1946ac92492d2347c6235b4d2611184' };
    expect(await w.handle(scanResultEvent({ ...base, bucket: 'other', status: 'NO_THREATS_FOUND' }))).toEqual({ status: 'dropped', reason: 'another bucket' });
    expect(await w.handle(scanResultEvent({ ...base, etag: '', bucket: BUCKET, status: 'NO_THREATS_FOUND' }))).toMatchObject({ status: 'dropped', reason: 'no valid ETag' });
    const odd = scanResultEvent({ ...base, bucket: BUCKET, status: 'NO_THREATS_FOUND' });
    (odd.detail.scanResultDetails as { scanResultStatus: string }).scanResultStatus = 'MAYBE';
    expect(await w.handle(odd)).toMatchObject({ status: 'dropped', reason: 'unknown scan result status' });
  });

  it('the admin browser filters by scan state', async () => {
    const clean = 'uploads/scan-filter/clean.txt';
    const pending = 'uploads/scan-filter/pending.txt';
    const etag = await uploaded(clean, 'c');
    await uploaded(pending, 'p');
    await w.handle(scanResultEvent({ bucket: BUCKET, key: clean, etag, status: 'NO_THREATS_FOUND' }));
    const list = async (scanStates: ('pending' | 'clean')[]) =>
      (
        await listCatalogFiles(
          w.db,
          { scope: 'endpoint', endpoint: 'scan-filter', folder: '', sort: 'name', order: 'asc', namePrefix: null, contains: null, from: null, to: null, scanStates },
          { pageSize: 100, token: null, toEntry: (f) => f.key },
        )
      ).entries;
    expect(await list(['pending'])).toEqual([pending]);
    expect(await list(['clean'])).toEqual([clean]);
    expect(await list(['clean', 'pending'])).toEqual([clean, pending]);
  });
});

describe('the state a new file starts in', () => {
  it('is not_scanned with scanning off and too_large over GuardDuty\'s limit', async () => {
    const { initialScanState } = await import('../../../contract/malware-scan.js');
    expect(initialScanState('off', 10)).toBe('not_scanned');
    expect(initialScanState('block', GUARDDUTY_MAX_OBJECT_BYTES + 1)).toBe('too_large');
    expect(initialScanState('tag', GUARDDUTY_MAX_OBJECT_BYTES)).toBe('pending');
  });
});
