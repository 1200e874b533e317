// The pending digest against dynalite, through the notify app: a check that dies after claiming the
// digest loses nothing (SQS delivers its message again and the same id sends it), two checks of one
// digest send it once, files that arrive while it is being sent wait for their own digest, and a
// failed send leaves the digest for the next try. Each uploader's receipt covers only their own files,
// and a digest names only the uploaders of the files it counts.
import * as dynamodb from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sdkCatalogDb, type CatalogDb } from '../../../lambdas/shared/catalog/catalog-db.js';
import type { EndpointRecord } from '../../../lambdas/shared/endpoint-record.js';
import { DIGEST_CLAIM_MS, readPendingDigest, recordArrival } from '../../../lambdas/shared/notifications/pending-digest.js';
import { DIGEST_NAME_LIMIT, DIGEST_RECEIPT_NAME_LIMIT, DIGEST_RECEIPT_UPLOADER_LIMIT } from '../../../contract/notifications.js';
import { startCatalogServer, type CatalogServer } from '../../../local/catalog/dynalite-server.js';
import { makeRecord } from '../../support/s3-answers.js';
import { notifyWorld, sqsEvent, type NotifyWorld } from '../../support/notify-world.js';

const QUIET_MS = 300_000;
const T0 = new Date('2026-12-05T10:00:00Z');

let server: CatalogServer;
let db: CatalogDb;
let now: Date;
let world: NotifyWorld;

const recordWith = (customerReceipt: boolean): EndpointRecord => makeRecord({ notifications: { adminRecipients: ['ops@corp.example'], customerReceipt, webhook: null } });

beforeAll(async () => {
  server = await startCatalogServer({ dataDir: null, port: 0, table: 'portal-catalog', region: 'us-east-1' });
  db = sdkCatalogDb(server.table, async () => ({ client: server.client, sdk: dynamodb }));
});
afterAll(async () => server?.close());

let endpointSeq = 0;
let endpoint: string;
beforeEach(() => {
  endpoint = `acme${++endpointSeq}`;
  now = T0;
  world = notifyWorld({ db, webhookQueueUrl: undefined, quietSeconds: QUIET_MS / 1000, now: () => now });
  storeRecord(recordWith(false));
});

const storeRecord = (record: EndpointRecord) => world.storeRecord({ ...record, name: endpoint });
const mails = () => world.mailer.sent;
const queued = () => world.queue.messages;

/** One digest-check delivery; `messageId` stays the same when SQS delivers a message again. */
const check = (messageId: string) => world.deliver(sqsEvent({ kind: 'digest-check', endpoint }, { messageId }));

async function arrive(count: number, from = 0, uploadedBy: string | null = 'bob@acme.example', size = 100): Promise<void> {
  for (let i = from; i < from + count; i++) await recordArrival(db, endpoint, { key: `uploads/${endpoint}/f${i}.bin`, name: `f${i}.bin`, size, uploadedBy }, now);
}
const later = (ms: number) => (now = new Date(now.getTime() + ms));
const subjects = () => mails().map((m) => m.subject);

describe('pending digests', () => {
  it('survives a check that dies after claiming it: the same message, delivered again, sends it once', async () => {
    await arrive(3);
    later(QUIET_MS);
    world.failNextRecordRead(); // the function stops between the claim and the e-mail
    expect(await check('m-1')).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
    expect(mails()).toEqual([]);
    // Another check meanwhile stays away from the live claim, and looks again later.
    expect(await check('m-2')).toEqual({ batchItemFailures: [] });
    expect(mails()).toEqual([]);
    expect(queued()).toHaveLength(1);
    // SQS delivers m-1 again: it claims its own digest again and sends it.
    expect(await check('m-1')).toEqual({ batchItemFailures: [] });
    expect(mails()).toHaveLength(1);
    expect(mails()[0]!.text).toContain('3 files');
    expect(await readPendingDigest(db, endpoint)).toBeNull();
    expect(await check('m-2')).toEqual({ batchItemFailures: [] });
    expect(mails()).toHaveLength(1);
  });

  it('is taken over once the claim of a check that never came back has lapsed', async () => {
    await arrive(2);
    later(QUIET_MS);
    world.failNextRecordRead();
    await check('m-1'); // dies, and its message is never delivered again (dead-letter queue)
    later(DIGEST_CLAIM_MS + 1000);
    await check('m-3');
    expect(mails()).toHaveLength(1);
    expect(mails()[0]!.text).toContain('2 files');
  });

  it('sends files that arrived while it was being sent in a digest of their own', async () => {
    await arrive(4);
    later(QUIET_MS);
    // Two arrivals land between the claim and the settling (while the e-mail is being sent).
    world.mailer.nextSend(() => arrive(2, 100));
    await check('m-1');
    expect(subjects()).toHaveLength(1);
    expect(mails()[0]!.text).toContain('4 files');
    const left = await readPendingDigest(db, endpoint);
    expect(left).toMatchObject({ fileCount: 2, totalBytes: 200 });
    expect(left!.files.map((f) => f.name)).toEqual(['f100.bin', 'f101.bin']);
    expect(queued().map((q) => q.delaySeconds)).toEqual([QUIET_MS / 1000]);
    later(QUIET_MS);
    await check('m-2');
    expect(mails()).toHaveLength(2);
    expect(mails()[1]!.text).toContain('2 files');
    expect(await readPendingDigest(db, endpoint)).toBeNull();
  });

  it('names the files that arrived during the send in their own digest, also when the first list of names was full', async () => {
    await arrive(DIGEST_NAME_LIMIT + 5);
    later(QUIET_MS);
    world.mailer.nextSend(() => arrive(3, 100));
    await check('m-1');
    expect(mails()[0]!.text).toContain(`${DIGEST_NAME_LIMIT + 5} files`);
    expect(mails()[0]!.text).toContain('and 5 more files');
    const left = await readPendingDigest(db, endpoint);
    expect(left).toMatchObject({ fileCount: 3, totalBytes: 300 });
    expect(left!.files.map((f) => f.name)).toEqual(['f100.bin', 'f101.bin', 'f102.bin']);
    // Arrivals after the settling join that list as usual.
    await arrive(1, 200);
    later(QUIET_MS);
    await check('m-2');
    expect(mails()[1]!.text).toContain('4 files');
    for (const name of ['f100.bin', 'f101.bin', 'f102.bin', 'f200.bin']) expect(mails()[1]!.text).toContain(name);
    expect(mails()[1]!.text).not.toContain('more file');
  });

  it('forgets the names kept apart when the send fails: the next digest counts those files, with the first names', async () => {
    await arrive(DIGEST_NAME_LIMIT + 1);
    later(QUIET_MS);
    world.mailer.failNext(() => arrive(2, 100));
    await check('m-1');
    expect(mails()).toEqual([]);
    const kept = await readPendingDigest(db, endpoint);
    expect(kept).toMatchObject({ fileCount: DIGEST_NAME_LIMIT + 3 });
    expect(kept!.files[0]!.name).toBe('f0.bin');
    later(QUIET_MS);
    await check('m-2');
    expect(mails()).toHaveLength(1);
    expect(mails()[0]!.text).toContain(`${DIGEST_NAME_LIMIT + 3} files`);
    expect(await readPendingDigest(db, endpoint)).toBeNull();
  });

  it('keeps the digest when the e-mail fails, audited as to be retried, and sends it (grown) on the next try', async () => {
    await arrive(1);
    later(QUIET_MS);
    world.mailer.failNext();
    await check('m-1');
    expect(mails()).toEqual([]);
    expect(world.audit).toMatchObject([{ action: 'notification.retried', target: 'ops@corp.example', details: { kind: 'digest', error: 'Throttling', final: false, nextAttemptInSeconds: QUIET_MS / 1000 } }]);
    expect(queued().map((q) => q.delaySeconds)).toEqual([QUIET_MS / 1000]);
    expect(await readPendingDigest(db, endpoint)).toMatchObject({ fileCount: 1 });
    await arrive(1, 1);
    later(QUIET_MS);
    await check('m-2');
    expect(mails()).toHaveLength(1);
    expect(mails()[0]!.text).toContain('2 files');
    expect(world.audit.map((a) => a.action)).toEqual(['notification.retried', 'notification.sent']);
  });
});

describe('receipts', () => {
  const receiptsTo = (address: string) => mails().filter((m) => m.subject.startsWith('Your upload') && m.to.includes(address));
  const adminDigest = () => mails().find((m) => m.to.includes('ops@corp.example'));

  it('go one to each uploader, naming only that uploader\'s files', async () => {
    storeRecord(recordWith(true));
    await arrive(2, 0, 'bob@acme.example', 100);
    await arrive(3, 10, 'carol@acme.example', 1000);
    await arrive(1, 20, 'bob@acme.example', 100);
    later(QUIET_MS);
    await check('m-1');
    expect(mails().map((m) => m.to)).toEqual([['ops@corp.example'], ['bob@acme.example'], ['carol@acme.example']]);
    const [bob] = receiptsTo('bob@acme.example');
    const [carol] = receiptsTo('carol@acme.example');
    expect(bob!.subject).toContain('3 files received (300 bytes)');
    expect(carol!.subject).toContain('3 files received (2.9 KiB)');
    for (const name of ['f0.bin', 'f1.bin', 'f20.bin']) expect(bob!.text).toContain(name);
    for (const name of ['f10.bin', 'f11.bin', 'f12.bin']) expect(carol!.text).toContain(name);
    for (const name of ['f10.bin', 'f11.bin', 'f12.bin', 'carol']) expect(bob!.text).not.toContain(name);
    for (const name of ['f0.bin', 'f1.bin', 'f20.bin', 'bob']) expect(carol!.text).not.toContain(name);
    // The admins see everything.
    expect(adminDigest()!.text).toContain('6 files');
    expect(adminDigest()!.text).toContain('Uploaded by: bob@acme.example, carol@acme.example');
  });

  it('that fail are recorded as failed and not sent again: the digest is settled, nothing goes out twice', async () => {
    storeRecord(recordWith(true));
    await arrive(1, 0, 'bob@acme.example');
    await arrive(1, 10, 'carol@acme.example');
    later(QUIET_MS);
    // The admins' digest goes; then bob's receipt fails.
    world.mailer.pass().failNext();
    await check('m-1');
    expect(world.mailer.tried.map((m) => m.to)).toEqual([['ops@corp.example'], ['bob@acme.example'], ['carol@acme.example']]);
    expect(mails().map((m) => m.to)).toEqual([['ops@corp.example'], ['carol@acme.example']]);
    expect(world.audit.map((a) => `${a.action} ${a.target}`)).toEqual(['notification.sent ops@corp.example', 'notification.failed bob@acme.example', 'notification.sent carol@acme.example']);
    expect(world.audit[1]).toMatchObject({ details: { kind: 'receipt', final: true } });
    expect(await readPendingDigest(db, endpoint)).toBeNull();
    expect(queued()).toEqual([]);
    // Another check of the same endpoint finds nothing to send.
    later(QUIET_MS);
    await check('m-2');
    expect(mails()).toHaveLength(2);
  });

  it('list an uploader\'s first names and count the rest; a login without an e-mail address and a file without an uploader get none', async () => {
    storeRecord(recordWith(true));
    await arrive(DIGEST_RECEIPT_NAME_LIMIT + 4, 0, 'bob@acme.example');
    await arrive(1, 100, 'dave-login');
    await arrive(1, 200, null);
    later(QUIET_MS);
    await check('m-1');
    expect(mails().map((m) => m.to)).toEqual([['ops@corp.example'], ['bob@acme.example']]);
    const [bob] = receiptsTo('bob@acme.example');
    expect(bob!.subject).toContain(`${DIGEST_RECEIPT_NAME_LIMIT + 4} files`);
    expect(bob!.text).toContain(`f${DIGEST_RECEIPT_NAME_LIMIT - 1}.bin`);
    expect(bob!.text).not.toContain(`f${DIGEST_RECEIPT_NAME_LIMIT}.bin`);
    expect(bob!.text).toContain('and 4 more files');
    expect(adminDigest()!.text).toContain(`${DIGEST_RECEIPT_NAME_LIMIT + 6} files`);
  });

  it('of files that arrived while a digest was being sent go with the next digest, their names listed', async () => {
    storeRecord(recordWith(true));
    await arrive(DIGEST_RECEIPT_NAME_LIMIT, 0, 'bob@acme.example');
    later(QUIET_MS);
    world.mailer.nextSend(async () => {
      await arrive(2, 100, 'bob@acme.example');
      await arrive(1, 200, 'carol@acme.example');
    });
    await check('m-1');
    expect(receiptsTo('bob@acme.example')[0]!.subject).toContain(`${DIGEST_RECEIPT_NAME_LIMIT} files`);
    expect(receiptsTo('carol@acme.example')).toEqual([]);
    mails().splice(0);
    later(QUIET_MS);
    await check('m-2');
    const [bob] = receiptsTo('bob@acme.example');
    expect(bob!.subject).toContain('2 files');
    expect(bob!.text).toContain('f100.bin');
    expect(bob!.text).toContain('f101.bin');
    expect(bob!.text).not.toContain('f0.bin');
    expect(receiptsTo('carol@acme.example')[0]!.text).toContain('f200.bin');
  });

  it('keep at most DIGEST_RECEIPT_UPLOADER_LIMIT uploaders apart; the admins\' digest counts every file', async () => {
    storeRecord(recordWith(true));
    for (let i = 0; i <= DIGEST_RECEIPT_UPLOADER_LIMIT; i++) await arrive(1, i, `u${String(i).padStart(2, '0')}@acme.example`);
    later(QUIET_MS);
    await check('m-1');
    expect(mails().filter((m) => m.subject.startsWith('Your upload'))).toHaveLength(DIGEST_RECEIPT_UPLOADER_LIMIT);
    expect(adminDigest()!.text).toContain(`${DIGEST_RECEIPT_UPLOADER_LIMIT + 1} files`);
    expect(await readPendingDigest(db, endpoint)).toBeNull();
  });
});

describe('uploaders of a digest', () => {
  it('are those of its own files: the late files\' uploaders stay for the next digest, the earlier ones go', async () => {
    await arrive(2, 0, 'bob@acme.example');
    later(QUIET_MS);
    world.mailer.nextSend(() => arrive(1, 100, 'carol@acme.example'));
    await check('m-1');
    expect(mails()[0]!.text).toContain('Uploaded by: bob@acme.example\n');
    const left = await readPendingDigest(db, endpoint);
    expect(left).toMatchObject({ fileCount: 1, uploaders: ['carol@acme.example'] });
    later(QUIET_MS);
    await check('m-2');
    expect(mails()[1]!.text).toContain('Uploaded by: carol@acme.example\n');
    expect(mails()[1]!.text).not.toContain('bob@acme.example');
  });

  it('come again when an earlier uploader sends more during the send', async () => {
    await arrive(1, 0, 'bob@acme.example');
    later(QUIET_MS);
    world.mailer.nextSend(() => arrive(1, 100, 'bob@acme.example'));
    await check('m-1');
    expect(await readPendingDigest(db, endpoint)).toMatchObject({ fileCount: 1, uploaders: ['bob@acme.example'], receipts: [{ uploader: 'bob@acme.example', fileCount: 1, totalBytes: 100 }] });
  });
});


describe('a check that fails after its e-mails', () => {
  const hooked = (): EndpointRecord =>
    makeRecord({ notifications: { adminRecipients: ['ops@corp.example'], customerReceipt: true, webhook: { url: 'https://hooks.example.com/x', secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}`, secretCreatedAt: T0.toISOString() } } });
  const webhooks = () => queued().filter((q) => q.message.kind === 'webhook');

  beforeEach(() => {
    world = notifyWorld({ db, quietSeconds: QUIET_MS / 1000, now: () => now });
    storeRecord(hooked());
  });

  it('e-mails nothing again when the webhook could not be queued; the redelivery queues it and settles what was e-mailed', async () => {
    await arrive(2, 0, 'bob@acme.example');
    later(QUIET_MS);
    // A file lands while the digest is being e-mailed; then SQS refuses the webhook once.
    world.mailer.nextSend(() => arrive(1, 100, 'carol@acme.example'));
    world.queue.failNextSend('webhook');
    expect(await check('m-1')).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
    expect(subjects()).toEqual([expect.stringContaining('2 files'), expect.stringContaining('Your upload')]);
    later(1000);
    expect(await check('m-1')).toEqual({ batchItemFailures: [] });
    // No second digest, no second receipt; the webhook covers the two files e-mailed.
    expect(mails()).toHaveLength(2);
    expect(webhooks()).toHaveLength(1);
    expect(webhooks()[0]!.message).toMatchObject({ body: { id: 'msg_m-1', type: 'files.received', data: { fileCount: 2, totalBytes: 200, uploaders: ['bob@acme.example'] } } });
    // The file that arrived during the send waits for its own digest.
    expect(await readPendingDigest(db, endpoint)).toMatchObject({ fileCount: 1, uploaders: ['carol@acme.example'] });
    later(QUIET_MS);
    await check('m-2');
    expect(mails()[2]!.text).toContain('1 file');
    expect(mails()[2]!.text).toContain('carol@acme.example');
    expect(webhooks()[1]!.message).toMatchObject({ body: { id: 'msg_m-2', data: { fileCount: 1 } } });
  });

  it('queues the same webhook (same id) when the settle failed, and e-mails nothing again', async () => {
    await arrive(3);
    later(QUIET_MS);
    const remove = db.delete.bind(db);
    let failures = 1;
    world = notifyWorld({
      db: { ...db, delete: async (...args) => (failures-- > 0 ? Promise.reject(Object.assign(new Error('Throughput exceeded'), { name: 'ProvisionedThroughputExceededException' })) : remove(...args)) },
      quietSeconds: QUIET_MS / 1000,
      now: () => now,
    });
    storeRecord(hooked());
    expect(await check('m-1')).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
    expect(await check('m-1')).toEqual({ batchItemFailures: [] });
    expect(subjects()).toEqual([expect.stringContaining('3 files'), expect.stringContaining('Your upload')]);
    expect(webhooks().map((w) => w.message.kind === 'webhook' && w.message.body.id)).toEqual(['msg_m-1', 'msg_m-1']);
    expect(await readPendingDigest(db, endpoint)).toBeNull();
  });
});
