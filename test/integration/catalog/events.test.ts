// The events Lambda against a real S3 server and dynalite: every file is indexed with its metadata,
// exactly once in the usage counters, whatever the events' order, their duplicates and the failures
// between the steps of a change; a file stored with one PUT is audited once per version.
import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, HeadObjectCommand, PutObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildObjectMetadata } from '../../../lambdas/shared/object-metadata.js';
import { storedAuditEvents, type StoredAuditEvent } from '../../support/audit.js';
import { listSubfolders, readEndpointUsage } from '../../../lambdas/shared/catalog/catalog-reads.js';
import { s3Event } from '../../support/s3-event.js';
import { BUCKET, catalogEntry, startCatalogWorld, updateStarting, type CatalogWorld } from './fixture.js';

let w: CatalogWorld;
beforeAll(async () => {
  w = await startCatalogWorld();
});
afterAll(async () => w?.close());

const usage = (endpoint: string) => readEndpointUsage(w.db, endpoint);
const entry = (key: string) => catalogEntry(w.db, key);

describe('Object Created', () => {
  it("indexes the file with its original name, uploader, size, time, content type and checksum, and counts it", async () => {
    const event = await w.upload('uploads/created/q3/report-2.pdf', 'hello world', { originalName: 'Report Q3 (final).pdf', uploadedBy: 'jane@acme.example' });
    expect(await w.handle(event)).toEqual({ status: 'handled', results: [{ key: 'uploads/created/q3/report-2.pdf', outcome: 'applied' }] });
    const [file] = await w.listed('created');
    expect(file).toMatchObject({
      key: 'uploads/created/q3/report-2.pdf',
      endpoint: 'created',
      path: 'q3/report-2.pdf',
      name: 'Report Q3 (final).pdf',
      size: 11,
      uploadedBy: 'jane@acme.example',
      contentType: 'text/plain',
      etag: event.detail.object.etag,
      checksum: { algorithm: 'CRC64NVME', type: 'FULL_OBJECT', base64: expect.stringMatching(/^[A-Za-z0-9+/]{11}=$/) },
    });
    expect(Date.parse(file!.uploadedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(await usage('created')).toMatchObject({ fileCount: 1, totalBytes: 11 });
    expect(await listSubfolders(w.db, 'created', '')).toEqual({ folders: ['q3/'], truncated: false });
  });

  it('applies a duplicate once: the second delivery changes nothing', async () => {
    const event = await w.upload('uploads/dupes/a.txt', 'abc');
    expect((await w.handle(event)).status).toBe('handled');
    expect(await w.handle(event)).toMatchObject({ results: [{ outcome: 'duplicate' }] });
    expect(await usage('dupes')).toMatchObject({ fileCount: 1, totalBytes: 3 });
  });

  it('counts a file once when the same event is delivered five times at once', async () => {
    const event = await w.upload('uploads/parallel/a.txt', 'abcd');
    const results = await Promise.all(Array.from({ length: 5 }, () => w.handle(event)));
    expect(results.flatMap((r) => (r.status === 'handled' ? r.results.map((x) => x.outcome) : [])).filter((o) => o === 'applied')).toHaveLength(1);
    expect(await usage('parallel')).toMatchObject({ fileCount: 1, totalBytes: 4 });
  });

  it('finds an object whose key the event carries URL-encoded', async () => {
    const event = await w.upload('uploads/encoded/red flower+1.jpg', 'jpg');
    const encoded = structuredClone(event);
    encoded.detail.object.key = 'uploads/encoded/red+flower%2B1.jpg';
    expect(await w.handle(encoded)).toMatchObject({ results: [{ key: 'uploads/encoded/red flower+1.jpg', outcome: 'applied' }] });
    expect((await w.listed('encoded')).map((f) => f.key)).toEqual(['uploads/encoded/red flower+1.jpg']);
  });

  it('records nothing for an object that is gone by the time the event is handled', async () => {
    const event = await w.upload('uploads/gone/a.txt', 'x');
    await w.remove('uploads/gone/a.txt');
    expect(await w.handle(event)).toEqual({ status: 'handled', results: [{ key: 'uploads/gone/a.txt', outcome: 'gone' }] });
    expect(await entry('uploads/gone/a.txt')).toBeNull();
  });
});

describe('Object Deleted and order', () => {
  it('removes the file from listings and usage, keeps a tombstone, and removes folders left empty', async () => {
    const kept = await w.upload('uploads/deleted/a/keep.txt', '12');
    const gone = await w.upload('uploads/deleted/a/b/c/gone.txt', '12345');
    await w.handle(kept);
    await w.handle(gone);
    expect(await listSubfolders(w.db, 'deleted', 'a/b/')).toEqual({ folders: ['a/b/c/'], truncated: false });
    expect(await w.handle(await w.remove('uploads/deleted/a/b/c/gone.txt'))).toMatchObject({ results: [{ outcome: 'applied' }] });
    expect((await w.listed('deleted')).map((f) => f.path)).toEqual(['a/keep.txt']);
    expect(await usage('deleted')).toMatchObject({ fileCount: 1, totalBytes: 2 });
    expect(await listSubfolders(w.db, 'deleted', '')).toEqual({ folders: ['a/'], truncated: false });
    expect(await listSubfolders(w.db, 'deleted', 'a/')).toEqual({ folders: [], truncated: false });
    const tombstone = await entry('uploads/deleted/a/b/c/gone.txt');
    expect(tombstone).toMatchObject({ kind: 'deleted', counted: null, file: null });
    expect(Number(tombstone!.raw.expiresAt!.N)).toBeGreaterThan(Date.now() / 1000 + 6 * 86_400);
  });

  it('keeps a deleted file deleted when its Object Created arrives after its Object Deleted', async () => {
    const created = await w.upload('uploads/reordered/a.txt', 'abc');
    const deleted = await w.remove('uploads/reordered/a.txt');
    expect(await w.handle(deleted)).toMatchObject({ results: [{ outcome: 'applied' }] });
    expect(await w.handle(created)).toMatchObject({ results: [{ outcome: 'gone' }] });
    // Even when the object exists again by then (a new upload under the same key), the old event loses.
    const recreated = await w.upload('uploads/reordered/a.txt', 'abcdef');
    expect(await w.handle(created)).toMatchObject({ results: [{ outcome: 'stale' }] });
    expect(await w.listed('reordered')).toEqual([]);
    // Never counted: no usage change was ever made for this endpoint.
    expect(await usage('reordered')).toBeNull();
    expect(await w.handle(recreated)).toMatchObject({ results: [{ outcome: 'applied' }] });
    expect((await w.listed('reordered')).map((f) => f.size)).toEqual([6]);
    expect(await usage('reordered')).toMatchObject({ fileCount: 1, totalBytes: 6 });
  });

  it('lets the newer of two events on a key win in either order', async () => {
    const first = await w.upload('uploads/newer/a.txt', 'one');
    const second = await w.upload('uploads/newer/a.txt', 'second');
    expect(await w.handle(second)).toMatchObject({ results: [{ outcome: 'applied' }] });
    expect(await w.handle(first)).toMatchObject({ results: [{ outcome: 'stale' }] });
    expect(await usage('newer')).toMatchObject({ fileCount: 1, totalBytes: 6 });
  });
});

describe('a failure between the steps of a change, then the retry', () => {
  it.each([
    ['before the usage is added', 'ADD'],
    ['after the usage is added, before the file item lets go of it', 'REMOVE #pid'],
    ['after both, before the usage item lets go of the change id', 'DELETE #applied'],
  ])('counts the file exactly once when it fails %s', async (_when, step) => {
    const endpoint = `fail-${step.split(' ')[0]!.toLowerCase()}`;
    const event = await w.upload(`uploads/${endpoint}/a.txt`, '12345');
    w.failOnce(updateStarting(step));
    await expect(w.handle(event)).rejects.toThrow(/injected failure/);
    expect((await w.handle(event)).status).toBe('handled');
    expect(await usage(endpoint)).toMatchObject({ fileCount: 1, totalBytes: 5 });
    expect((await entry(`uploads/${endpoint}/a.txt`))?.pending).toBeNull();
    // And the delete that follows takes it out exactly once.
    const deleted = await w.remove(`uploads/${endpoint}/a.txt`);
    w.failOnce(updateStarting(step));
    await expect(w.handle(deleted)).rejects.toThrow(/injected failure/);
    await w.handle(deleted);
    expect(await usage(endpoint)).toMatchObject({ fileCount: 0, totalBytes: 0 });
  });

  it('finishes a change left pending by a failure before applying a newer event on the key', async () => {
    const created = await w.upload('uploads/pending/a.txt', '1234');
    w.failOnce(updateStarting('ADD'));
    await expect(w.handle(created)).rejects.toThrow(/injected failure/);
    // The Created event is never retried; the Deleted one comes next.
    expect(await w.handle(await w.remove('uploads/pending/a.txt'))).toMatchObject({ results: [{ outcome: 'applied' }] });
    expect(await usage('pending')).toMatchObject({ fileCount: 0, totalBytes: 0 });
  });

  it("creates a file's folders on the retry when it failed after the file was written", async () => {
    const event = await w.upload('uploads/folders/x/y/a.txt', 'a');
    w.failOnce((op, args) => op === 'put' && (args[0] as { kind?: { S?: string } }).kind?.S === 'folder');
    await expect(w.handle(event)).rejects.toThrow(/injected failure/);
    expect(await w.handle(event)).toMatchObject({ results: [{ outcome: 'duplicate' }] });
    expect(await listSubfolders(w.db, 'folders', '')).toEqual({ folders: ['x/'], truncated: false });
    expect(await listSubfolders(w.db, 'folders', 'x/')).toEqual({ folders: ['x/y/'], truncated: false });
  });
});

describe('events that are not the catalog\'s', () => {
  /** Handles `event` and answers what it logged and the catalog writes it made (none is the point). */
  const handledAlone = async (event: unknown) => {
    const logs = w.logs.length;
    const writes = w.catalogWrites.length;
    const result = await w.handle(event);
    return { result, logs: w.logs.slice(logs), writes: w.catalogWrites.slice(writes) };
  };

  // Real objects and the S3 server's own events for them: were the check missing, HeadObject would
  // find each object and the handler would write its entry.
  it.each([
    ['a key outside uploads/', 'elsewhere/acme/a.txt'],
    ['a key under _portal/', '_portal/endpoints/acme.json'],
    ['a malformed endpoint segment', 'uploads/No_Good/a.txt'],
    ['a reservation', 'uploads/.portal-pending/acme/x.json'],
  ])('logs and drops %s, writing nothing to the catalog', async (_what, key) => {
    const event = await w.upload(key, 'data');
    const { result, logs, writes } = await handledAlone(event);
    expect(result).toEqual({ status: 'dropped', reason: 'key outside uploads/<endpoint>/' });
    expect(logs).toEqual([expect.objectContaining({ level: 'warn', message: 'event dropped', data: expect.objectContaining({ key }) })]);
    expect(writes).toEqual([]);
  });

  it.each([
    ['another bucket', s3Event({ bucket: 'other-bucket', key: 'uploads/acme/a.txt' }), 'another bucket'],
    ['another source', s3Event({ bucket: BUCKET, source: 'my.app' }), 'source is not aws.s3'],
  ])('logs and drops %s, writing nothing to the catalog', async (_what, event, reason) => {
    const { result, logs, writes } = await handledAlone(event);
    expect(result).toEqual({ status: 'dropped', reason });
    expect(logs).toEqual([expect.objectContaining({ level: 'warn', message: 'event dropped', data: expect.objectContaining({ reason }) })]);
    expect(writes).toEqual([]);
  });

  it('drops an Object Created without a sequencer as an error (S3 documents one on every such event), writing nothing', async () => {
    const event = await w.upload('uploads/unordered/a.txt', 'data');
    const { sequencer: _dropped, ...object } = event.detail.object;
    const { result, logs, writes } = await handledAlone({ ...event, detail: { ...event.detail, object } });
    expect(result).toEqual({ status: 'dropped', reason: 'no valid sequencer' });
    expect(logs).toEqual([expect.objectContaining({ level: 'error', message: 'event dropped', data: expect.objectContaining({ key: 'uploads/unordered/a.txt' }) })]);
    expect(writes).toEqual([]);
    expect(await entry('uploads/unordered/a.txt')).toBeNull();
  });

  it('counts the writes it watches: a valid event of the same kind is written', async () => {
    const { result, writes } = await handledAlone(await w.upload('uploads/watched/a.txt', 'data'));
    expect(result).toMatchObject({ status: 'handled', results: [{ outcome: 'applied' }] });
    expect(writes.length).toBeGreaterThan(0);
  });

  it('acknowledges tag events without acting on them (a later feature)', async () => {
    expect(await w.handle(s3Event({ bucket: BUCKET, type: 'Object Tags Added', key: 'uploads/tags/a.txt' }))).toEqual({ status: 'ignored', type: 'Object Tags Added' });
  });
});

describe("a single-PUT file's upload.completed audit event", () => {
  /** The upload.completed events stored for `key`, from both streams. */
  async function completedAudits(key: string): Promise<StoredAuditEvent[]> {
    return (await storedAuditEvents(w.s3, BUCKET)).filter(({ event }) => event.action === 'upload.completed' && event.target === key);
  }

  it('is written once per version, with the checksum S3 keeps, however often the event comes, and again for a new version', async () => {
    const key = 'uploads/audited/a.txt';
    const event = await w.upload(key, 'first version');
    await w.handle(event);
    await w.handle(event);
    await w.handle({ ...event, id: 'another-delivery' });
    const head = await w.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
    const first = await completedAudits(key);
    expect(first.map((a) => a.stream).sort()).toEqual(['all', 'endpoint']);
    expect(first[0]!.event).toMatchObject({
      at: head.LastModified!.toISOString(),
      endpoint: 'audited',
      actor: { email: 'jane@acme.example' },
      details: { size: 13, checksum: { algorithm: 'CRC64NVME', base64: head.ChecksumCRC64NVME }, etag: event.detail.object.etag },
      requestId: event.detail['request-id'],
    });

    await w.remove(key).then((e) => w.handle(e));
    await w.handle(await w.upload(key, 'second version'));
    expect((await completedAudits(key)).filter((a) => a.stream === 'all').map((a) => a.event.details.size as number).sort()).toEqual([13, 14]);
  });

  it('is not written for a multipart object (the uploads Lambda audits those) nor for an object the portal did not write', async () => {
    const multipart = 'uploads/audited/parts.bin';
    const created = await w.s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: multipart, Metadata: buildObjectMetadata({ originalName: 'parts.bin', uploadedBy: 'jane@acme.example' }, 'parts.bin') }));
    const part = await w.s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: multipart, UploadId: created.UploadId, PartNumber: 1, Body: 'one part' }));
    const from = w.events.length;
    await w.s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: multipart, UploadId: created.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    const foreign = 'uploads/audited/foreign.txt';
    await w.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: foreign, Body: 'no portal metadata' }));
    const events = [await w.eventOf(multipart, from), await w.eventOf(foreign, from)];
    expect(events).toHaveLength(2);
    for (const e of events) expect(await w.handle(e)).toMatchObject({ status: 'handled', results: [{ outcome: 'applied' }] });
    expect(await completedAudits(multipart)).toEqual([]);
    expect(await completedAudits(foreign)).toEqual([]);
  });
});
