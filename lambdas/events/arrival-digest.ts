// Each new file joins its endpoint's pending digest, and a digest check is queued with the quiet period
// as its delay (SQS DelaySeconds). The check that follows the last arrival of a burst finds the endpoint
// quiet and sends one digest; the earlier ones find a later arrival and do nothing. Events come at
// least once: the file's catalog item remembers which event was counted (digestSeq), so a redelivered
// event is not counted twice. Should the Lambda stop between counting and remembering, the retry counts
// the file again (a digest one too high beats a lost one). A redelivered event that was counted still
// queues a check: the first delivery may have failed to queue it (SQS refused the send after the file
// was marked), and without a check the digest would wait for the endpoint's next arrival, perhaps for
// good. A check too many finds the digest not quiet yet, or already sent, and does nothing.
import { CATALOG_ATTRIBUTES as A } from '../../contract/catalog-table.js';
import type { CatalogDb } from '../shared/catalog/catalog-db.js';
import { fileKey, type FileFacts } from '../shared/catalog/catalog-items.js';
import type { CatalogPath } from '../shared/catalog/catalog-path.js';
import type { ChangeOutcome } from '../shared/catalog/entry-writer.js';
import type { NotificationQueue } from '../shared/notifications/notification-queue.js';
import { recordArrival } from '../shared/notifications/pending-digest.js';

export interface DigestDeps {
  queue: NotificationQueue;
  /** DIGEST_QUEUE_URL */
  queueUrl: string;
  quietSeconds: number;
}

export async function addToDigest(db: CatalogDb, digest: DigestDeps, path: CatalogPath, sequencer: string, facts: FileFacts, outcome: ChangeOutcome, now: Date): Promise<boolean> {
  if (outcome === 'stale') return false;
  const queueCheck = () => digest.queue.send(digest.queueUrl, { kind: 'digest-check', endpoint: path.endpoint }, digest.quietSeconds);
  if (outcome === 'duplicate') {
    const item = await db.get(fileKey(path), true);
    if (item?.[A.digestSeq]?.S === sequencer) {
      await queueCheck();
      return false;
    }
  }
  await recordArrival(db, path.endpoint, { key: path.key, name: facts.name, size: facts.size, uploadedBy: facts.uploadedBy }, now);
  await db.update(fileKey(path), { expression: 'SET #d = :seq', names: { '#d': A.digestSeq }, values: { ':seq': { S: sequencer } } }, { expression: 'attribute_exists(#pk)', names: { '#pk': A.pk } });
  await queueCheck();
  return true;
}
