// An arrival joins its endpoint's pending digest and queues a digest check. EventBridge delivers again
// when the function fails, and the file's digestSeq tells a redelivery that the arrival was counted:
// when the first delivery failed only at queueing the check, the redelivery must still queue one, or
// the digest waits for the next arrival, perhaps for good.
import { describe, expect, it } from 'vitest';
import { CATALOG_ATTRIBUTES as A } from '../../../contract/catalog-table.js';
import { addToDigest } from '../../../lambdas/events/arrival-digest.js';
import type { CatalogDb, Item } from '../../../lambdas/shared/catalog/catalog-db.js';
import { catalogPath } from '../../../lambdas/shared/catalog/catalog-path.js';
import type { FileFacts } from '../../../lambdas/shared/catalog/catalog-items.js';
import { digestKey } from '../../../lambdas/shared/notifications/pending-digest.js';
import { DIGEST_QUEUE_URL, MemoryQueue, NOW } from '../../support/notify-world.js';

/** A catalog that keeps items by key and applies the two writes addToDigest makes that matter here. */
function memoryCatalog(): { db: CatalogDb; arrivals: () => number } {
  const items = new Map<string, Item>();
  const id = (key: Item) => `${key[A.pk]?.S}|${key[A.sk]?.S}`;
  let arrivals = 0;
  const db: CatalogDb = {
    table: 'portal-catalog',
    get: async (key) => items.get(id(key)) ?? null,
    put: async (item) => (items.set(id(item), item), true),
    update: async (key, update) => {
      const item = { ...(items.get(id(key)) ?? key) };
      if (update.names?.['#d'] === A.digestSeq) item[A.digestSeq] = update.values![':seq']!;
      if (id(key) === id(digestKey('acme')) && update.names?.['#count'] === A.fileCount) arrivals++;
      items.set(id(key), item);
      return true;
    },
    delete: async (key) => items.delete(id(key)),
    query: async () => ({ items: [], lastKey: undefined, scanned: 0 }),
    batchPut: async () => undefined,
  };
  return { db, arrivals: () => arrivals };
}

const path = catalogPath('uploads/acme/report.pdf')!;
const facts: FileFacts = { name: 'report.pdf', size: 1024, uploadedAt: NOW.toISOString(), uploadedBy: 'jane@acme.example', contentType: null, etag: null, checksum: null };

describe('addToDigest', () => {
  it('queues the check on the redelivery when SQS refused it the first time, counting the file once', async () => {
    const { db, arrivals } = memoryCatalog();
    const queue = new MemoryQueue().failNextSend();
    const digest = { queue, queueUrl: DIGEST_QUEUE_URL, quietSeconds: 300 };
    await expect(addToDigest(db, digest, path, 'seq-1', facts, 'applied', NOW)).rejects.toThrow('Service Unavailable');
    expect(queue.messages).toEqual([]);
    // EventBridge delivers again; the entry writer sees the same sequencer: a duplicate.
    expect(await addToDigest(db, digest, path, 'seq-1', facts, 'duplicate', NOW)).toBe(false);
    expect(queue.messages).toEqual([{ queueUrl: DIGEST_QUEUE_URL, delaySeconds: 300, message: { kind: 'digest-check', endpoint: 'acme' } }]);
    expect(arrivals()).toBe(1);
  });

  it('counts and queues once per arrival; a stale event does neither', async () => {
    const { db, arrivals } = memoryCatalog();
    const queue = new MemoryQueue();
    const digest = { queue, queueUrl: DIGEST_QUEUE_URL, quietSeconds: 300 };
    expect(await addToDigest(db, digest, path, 'seq-1', facts, 'applied', NOW)).toBe(true);
    expect(await addToDigest(db, digest, path, 'seq-0', facts, 'stale', NOW)).toBe(false);
    expect(arrivals()).toBe(1);
    expect(queue.messages).toHaveLength(1);
  });
});
