// Quota holds against dynalite (conditional updates, ADD, set size()): uploads racing for the last of
// a quota, the per-login cap on open uploads, repeated steps, landing and the sweep of stale holds.
import * as dynamodb from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_ATTRIBUTES as A } from '../../../contract/catalog-table.js';
import { sdkCatalogDb, type CatalogDb } from '../../../lambdas/shared/catalog/catalog-db.js';
import { fileKey, usageKey } from '../../../lambdas/shared/catalog/catalog-items.js';
import { catalogPath } from '../../../lambdas/shared/catalog/catalog-path.js';
import { QuotaHolds, type Hold } from '../../../lambdas/shared/catalog/quota-holds.js';
import { startCatalogServer, type CatalogServer } from '../../../local/catalog/dynalite-server.js';
import { countAsOnlyFile } from './fixture.js';

let server: CatalogServer;
let db: CatalogDb;
const NOW = new Date('2026-12-04T12:00:00Z');
const LATER = new Date('2026-12-12T12:00:00Z');

beforeAll(async () => {
  server = await startCatalogServer({ dataDir: null, port: 0, table: 'quota-test', region: 'us-east-1' });
  db = sdkCatalogDb(server.table, async () => ({ client: server.client, sdk: dynamodb }));
});
afterAll(async () => server?.close());

const hold = (endpoint: string, id: string, bytes: number, login: string | null = `login-${id}`): Hold => ({ id, endpoint, login, bytes, files: 1 });

describe('QuotaHolds on dynalite', () => {
  it('admits exactly as many of 20 racing uploads as the quota has room for', async () => {
    const holds = new QuotaHolds(db, 20);
    await db.update(usageKey('race'), { expression: 'SET #b = :b, #f = :f', names: { '#b': A.totalBytes, '#f': A.fileCount }, values: { ':b': { N: '700' }, ':f': { N: '7' } } });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => holds.admit(hold('race', `h${i}`, 100, 'same-login'), { quotaBytes: 1000, quotaFiles: null }, LATER, NOW)));
    expect(results.filter((r) => r === 'admitted')).toHaveLength(3);
    expect(results.filter((r) => r === 'quota_exceeded')).toHaveLength(17);
    const use = await holds.use('race');
    expect(use).toEqual({ usedBytes: 700, usedFiles: 7, reservedBytes: 300, reservedFiles: 3 });
    // The refused ones left no hold and no slot behind.
    const open = await db.get({ [A.pk]: { S: '#open#race' }, [A.sk]: { S: 'same-login' } });
    expect(open?.[A.openUploads]?.SS).toHaveLength(3);
  });

  it('bounds files as well as bytes', async () => {
    const holds = new QuotaHolds(db, 20);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => holds.admit(hold('files', `f${i}`, 1), { quotaBytes: null, quotaFiles: 4 }, LATER, NOW)));
    expect(results.filter((r) => r === 'admitted')).toHaveLength(4);
  });

  it('caps open uploads per login, and completing or aborting one frees its slot', async () => {
    const holds = new QuotaHolds(db, 2);
    const limits = { quotaBytes: null, quotaFiles: null };
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((id) => holds.admit(hold('slots', id, 1, 'kelly'), limits, LATER, NOW)));
    expect(results.filter((r) => r === 'admitted')).toHaveLength(2);
    expect(results.filter((r) => r === 'too_many_open_uploads')).toHaveLength(2);
    expect(await holds.admit(hold('slots', 'other-login', 1, 'jane'), limits, LATER, NOW)).toBe('admitted');
    const admitted = ['a', 'b', 'c', 'd'].filter((_, i) => results[i] === 'admitted');
    await holds.land('slots', admitted[0]!, 'uploads/slots/x.bin', LATER);
    expect(await holds.admit(hold('slots', 'e', 1, 'kelly'), limits, LATER, NOW)).toBe('admitted');
    await holds.release('slots', admitted[1]!);
    await holds.release('slots', admitted[1]!); // repeated: changes nothing
    expect(await holds.admit(hold('slots', 'f', 1, 'kelly'), limits, LATER, NOW)).toBe('admitted');
    expect(await holds.admit(hold('slots', 'g', 1, 'kelly'), limits, LATER, NOW)).toBe('too_many_open_uploads');
    // Bytes: three of one byte still held (e, f, the landed a) plus jane's.
    expect((await holds.use('slots')).reservedBytes).toBe(4);
  });

  it('lets go of a slot held for an upload that has ended when the login has none left, and admits in its place', async () => {
    const holds = new QuotaHolds(db, 1);
    const limits = { quotaBytes: 100, quotaFiles: null };
    expect(await holds.admit(hold('ended', 'gone', 10, 'kelly'), limits, LATER, NOW)).toBe('admitted');
    await holds.bind('ended', 'gone', 'uploads/ended/gone.bin', 'upload-gone');
    const asked: string[] = [];
    const endedIf = (answer: boolean) => async (upload: { uploadId: string }) => {
      asked.push(upload.uploadId);
      return answer;
    };
    // Still open on S3: refused, and the refused hold left nothing behind.
    expect(await holds.admit(hold('ended', 'next', 10, 'kelly'), limits, LATER, NOW, endedIf(false))).toBe('too_many_open_uploads');
    expect(await holds.read('ended', 'next')).toBeNull();
    expect(await holds.read('ended', 'gone')).toMatchObject({ state: 'open', uploadId: 'upload-gone' });
    expect(asked).toEqual(['upload-gone']);
    // S3 cannot be asked (a ListParts error): the create fails, and its hold is not left behind either.
    const unreachable = async () => {
      throw new Error('ListParts: service unavailable');
    };
    await expect(holds.admit(hold('ended', 'next', 10, 'kelly'), limits, LATER, NOW, unreachable)).rejects.toThrow('service unavailable');
    expect(await holds.read('ended', 'next')).toBeNull();
    expect(await holds.use('ended')).toMatchObject({ reservedBytes: 10, reservedFiles: 1 });
    // Ended: its hold is released (bytes and slot), and the new upload takes the slot.
    expect(await holds.admit(hold('ended', 'next', 10, 'kelly'), limits, LATER, NOW, endedIf(true))).toBe('admitted');
    expect(asked).toEqual(['upload-gone', 'upload-gone']);
    expect(await holds.read('ended', 'gone')).toBeNull();
    expect(await holds.use('ended')).toMatchObject({ reservedBytes: 10, reservedFiles: 1 });
    expect((await db.get({ [A.pk]: { S: '#open#ended' }, [A.sk]: { S: 'kelly' } }))?.[A.openUploads]?.SS).toEqual(['next']);
  });

  it('releases an abandoned upload once its deadline passes, and a landed file once the catalog counts it', async () => {
    const holds = new QuotaHolds(db, 20);
    const limits = { quotaBytes: 100, quotaFiles: null };
    expect(await holds.admit(hold('stale', 'abandoned', 60), limits, new Date('2026-12-05T00:00:00Z'), NOW)).toBe('admitted');
    expect(await holds.admit(hold('stale', 'next', 60), limits, LATER, NOW)).toBe('quota_exceeded');
    // After the deadline the refusal sweeps the abandoned hold and admits.
    expect(await holds.admit(hold('stale', 'next', 60), limits, LATER, new Date('2026-12-05T00:00:01Z'))).toBe('admitted');

    await holds.land('stale', 'next', 'uploads/stale/done.bin', LATER);
    const later = new Date('2026-12-05T01:00:00Z');
    // Landed but not catalogued: still held.
    expect(await holds.admit(hold('stale', 'third', 60), limits, LATER, later)).toBe('quota_exceeded');
    // The catalog counts it (usage and the file item): the hold goes, the usage counts it instead.
    await countAsOnlyFile(db, 'uploads/stale/done.bin', 60);
    expect(await holds.admit(hold('stale', 'third', 30), limits, LATER, later)).toBe('admitted');
    expect(await holds.use('stale')).toEqual({ usedBytes: 60, usedFiles: 1, reservedBytes: 30, reservedFiles: 1 });
  });

  it('counts a landed file once when asked what is used now: the catalog counts it, the sweep lets its hold go', async () => {
    const holds = new QuotaHolds(db, 20);
    expect(await holds.admit(hold('shown', 'landed', 40), { quotaBytes: 100, quotaFiles: 3 }, LATER, NOW)).toBe('admitted');
    expect(await holds.admit(hold('shown', 'open', 25), { quotaBytes: 100, quotaFiles: 3 }, LATER, NOW)).toBe('admitted');
    await holds.land('shown', 'landed', 'uploads/shown/a.bin', LATER);
    await countAsOnlyFile(db, 'uploads/shown/a.bin', 40);
    // Until a sweep, the counted file is also still held.
    expect(await holds.use('shown')).toEqual({ usedBytes: 40, usedFiles: 1, reservedBytes: 65, reservedFiles: 2 });
    // Asked now, it counts once; the upload still in progress stays held.
    expect(await holds.useNow('shown', NOW)).toEqual({ usedBytes: 40, usedFiles: 1, reservedBytes: 25, reservedFiles: 1 });
    expect(await holds.read('shown', 'open')).toMatchObject({ state: 'open', bytes: 25 });
  });
});

describe('QuotaHolds racing a sweep', () => {
  /**
   * The catalog as QuotaHolds sees it, with `between` run once right after the first read of the
   * endpoint's usage: inside reserve, between that read and the conditional ADD.
   */
  function sweptBetween(endpoint: string, between: () => Promise<void>): CatalogDb {
    let armed = true;
    return {
      ...db,
      table: db.table,
      async get(key, consistent) {
        const item = await db.get(key, consistent);
        if (armed && key[A.pk]?.S === usageKey(endpoint)[A.pk]?.S && key[A.sk]?.S === usageKey(endpoint)[A.sk]?.S) {
          armed = false;
          await between();
        }
        return item;
      },
    };
  }

  /** A landed 60-byte file of a 100-byte quota, held but not yet counted; then the catalog counts it and a sweep releases its hold. */
  async function landedFile(endpoint: string): Promise<() => Promise<void>> {
    const plain = new QuotaHolds(db, 20);
    expect(await plain.admit(hold(endpoint, 'landed', 60), { quotaBytes: 100, quotaFiles: null }, LATER, NOW)).toBe('admitted');
    await plain.land(endpoint, 'landed', `uploads/${endpoint}/a.bin`, LATER);
    return async () => {
      await countAsOnlyFile(db, `uploads/${endpoint}/a.bin`, 60);
      expect(await plain.sweep(endpoint, NOW)).toBe(1);
    };
  }

  it('refuses an upload the stale usage read would have let past the quota (60 counted + 50 > 100)', async () => {
    const countAndSweep = await landedFile('swept');
    const holds = new QuotaHolds(sweptBetween('swept', countAndSweep), 20);
    expect(await holds.admit(hold('swept', 'next', 50), { quotaBytes: 100, quotaFiles: null }, LATER, NOW)).toBe('quota_exceeded');
    // No overshoot, and the refused hold left nothing behind (no bytes, no slot, no hold item).
    expect(await holds.use('swept')).toEqual({ usedBytes: 60, usedFiles: 1, reservedBytes: 0, reservedFiles: 0 });
    expect(await holds.read('swept', 'next')).toBeNull();
    expect((await db.get({ [A.pk]: { S: '#open#swept' }, [A.sk]: { S: 'login-next' } }))?.[A.openUploads]?.SS ?? []).toEqual([]);
  });

  it('still admits one that fits exactly (60 counted + 40 = 100)', async () => {
    const countAndSweep = await landedFile('fits');
    const holds = new QuotaHolds(sweptBetween('fits', countAndSweep), 20);
    expect(await holds.admit(hold('fits', 'next', 40), { quotaBytes: 100, quotaFiles: null }, LATER, NOW)).toBe('admitted');
    expect(await holds.use('fits')).toEqual({ usedBytes: 60, usedFiles: 1, reservedBytes: 40, reservedFiles: 1 });
  });

  it('holds the file count the same way (1 counted + 1 held of 1 file)', async () => {
    const plain = new QuotaHolds(db, 20);
    expect(await plain.admit(hold('one-file', 'landed', 5), { quotaBytes: null, quotaFiles: 1 }, LATER, NOW)).toBe('admitted');
    await plain.land('one-file', 'landed', 'uploads/one-file/a.bin', LATER);
    const holds = new QuotaHolds(
      sweptBetween('one-file', async () => {
        await countAsOnlyFile(db, 'uploads/one-file/a.bin', 5);
        await plain.sweep('one-file', NOW);
      }),
      20,
    );
    expect(await holds.admit(hold('one-file', 'next', 5), { quotaBytes: null, quotaFiles: 1 }, LATER, NOW)).toBe('quota_exceeded');
    expect(await holds.use('one-file')).toMatchObject({ usedFiles: 1, reservedFiles: 0 });
  });
});

describe('QuotaHolds bounded per endpoint', () => {
  const noQuota = { quotaBytes: null, quotaFiles: null };
  const reservedItem = (endpoint: string) => db.get({ [A.pk]: { S: `#reserved#${endpoint}` }, [A.sk]: { S: '#reserved' } });
  const heldIds = async (endpoint: string) => (await reservedItem(endpoint))?.[A.holds]?.SS ?? [];
  /** The catalog counts the file (its file item), as the events Lambda does seconds after it lands. */
  const count = async (key: string) => db.put({ ...fileKey(catalogPath(key)!), [A.counted]: { N: '1' } });

  it("keeps the holds of small files that landed bounded without anyone asking what is left: admissions sweep them, once a minute", async () => {
    const holds = new QuotaHolds(db, 20, { maxHolds: 50, sweepFrom: 10, sweepEveryMs: 60_000 });
    let clock = NOW.getTime();
    let most = 0;
    // 120 small files (more than the cap), 5 a minute, each landed and counted: no quota, so no admission is ever refused.
    for (let i = 0; i < 120; i++) {
      if (i % 5 === 0) clock += 61_000;
      const now = new Date(clock);
      expect(await holds.admit(hold('stream', `s${i}`, 1, null), noQuota, LATER, now)).toBe('admitted');
      await holds.land('stream', `s${i}`, `uploads/stream/f${i}.bin`, LATER);
      await count(`uploads/stream/f${i}.bin`);
      most = Math.max(most, (await heldIds('stream')).length);
    }
    // At most the threshold plus a minute's admissions before a sweep clears the counted ones.
    expect(most).toBeLessThanOrEqual(10 + 5);
    expect((await heldIds('stream')).length).toBeLessThan(10 + 5);
    expect(await holds.use('stream')).toMatchObject({ reservedFiles: (await heldIds('stream')).length });
  });

  it('sweeps at most once a minute per endpoint: admissions within the minute leave the holds to the next', async () => {
    const holds = new QuotaHolds(db, 20, { maxHolds: 50, sweepFrom: 3, sweepEveryMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      expect(await holds.admit(hold('minute', `m${i}`, 1, null), noQuota, LATER, NOW)).toBe('admitted');
      await holds.land('minute', `m${i}`, `uploads/minute/m${i}.bin`, LATER);
      await count(`uploads/minute/m${i}.bin`);
    }
    // The third admission swept (3 holds, itself kept); the next ones within the minute do not.
    const soon = new Date(NOW.getTime() + 30_000);
    for (let i = 3; i < 6; i++) {
      expect(await holds.admit(hold('minute', `m${i}`, 1, null), noQuota, LATER, soon)).toBe('admitted');
      await holds.land('minute', `m${i}`, `uploads/minute/m${i}.bin`, LATER);
      await count(`uploads/minute/m${i}.bin`);
    }
    expect((await heldIds('minute')).sort()).toEqual(['m2', 'm3', 'm4', 'm5']);
    expect(await holds.admit(hold('minute', 'm6', 1, null), noQuota, LATER, new Date(NOW.getTime() + 61_000))).toBe('admitted');
    expect(await heldIds('minute')).toEqual(['m6']);
  });

  it('refuses an admission past the cap with too_many_holds after a sweep, leaves nothing of it behind, and admits again once one ends', async () => {
    const holds = new QuotaHolds(db, 20, { maxHolds: 5, sweepFrom: 1_000, sweepEveryMs: 60_000 });
    const results = await Promise.all(Array.from({ length: 9 }, (_, i) => holds.admit(hold('capped', `c${i}`, 10, 'kelly'), noQuota, LATER, NOW)));
    expect(results.filter((r) => r === 'admitted')).toHaveLength(5);
    expect(results.filter((r) => r === 'too_many_holds')).toHaveLength(4);
    expect(await heldIds('capped')).toHaveLength(5);
    expect(await holds.use('capped')).toMatchObject({ reservedBytes: 50, reservedFiles: 5 });
    const refused = results.map((r, i) => (r === 'admitted' ? null : `c${i}`)).filter((id): id is string => id !== null);
    for (const id of refused) expect(await holds.read('capped', id)).toBeNull();
    expect((await db.get({ [A.pk]: { S: '#open#capped' }, [A.sk]: { S: 'kelly' } }))?.[A.openUploads]?.SS).toHaveLength(5);
    // Another endpoint is not affected.
    expect(await holds.admit(hold('uncapped', 'u1', 10, 'kelly'), noQuota, LATER, NOW)).toBe('admitted');
    // A refused admission sweeps first: a hold past its deadline makes room.
    const admitted = results.map((r, i) => (r === 'admitted' ? `c${i}` : null)).filter((id): id is string => id !== null);
    await holds.release('capped', admitted[0]!);
    expect(await holds.admit(hold('capped', 'again', 10, 'kelly'), noQuota, LATER, NOW)).toBe('admitted');
    expect(await holds.admit(hold('capped', 'over', 10, 'kelly'), noQuota, LATER, NOW)).toBe('too_many_holds');
    expect(await holds.admit(hold('capped', 'after-deadline', 10, 'kelly'), noQuota, LATER, new Date(LATER.getTime() + 1))).toBe('admitted');
    expect(await heldIds('capped')).toEqual(['after-deadline']);
  });

  it('releases the holds a sweep finds stale several at a time (at most 8 calls in flight), not one by one', async () => {
    let inFlight = 0;
    let most = 0;
    const counting = new Proxy(db, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          inFlight++;
          most = Math.max(most, inFlight);
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } finally {
            inFlight--;
          }
        };
      },
    });
    const plain = new QuotaHolds(db, 20);
    for (let i = 0; i < 30; i++) expect(await plain.admit(hold('parallel', `p${i}`, 1, null), noQuota, new Date(NOW.getTime() + 1_000), NOW)).toBe('admitted');
    const swept = await new QuotaHolds(counting, 20).sweep('parallel', new Date(NOW.getTime() + 2_000));
    expect(swept).toBe(30);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(8);
    expect(await heldIds('parallel')).toEqual([]);
  });
});
