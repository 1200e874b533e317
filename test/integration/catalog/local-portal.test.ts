// The catalog in the local portal: dynalite keeps its data across restarts, the S3 server's events
// reach the events handler in process, and duplicates, reordering and a failed attempt followed by a
// retry leave the catalog as S3 is.
import { catalogEntry } from './fixture.js';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkCatalogDb, type CatalogDb } from '../../../lambdas/shared/catalog/catalog-db.js';
import { readEndpointUsage } from '../../../lambdas/shared/catalog/catalog-reads.js';
import { startCatalogServer } from '../../../local/catalog/dynalite-server.js';
import { startTestPortal, type TestPortal } from '../../support/local-portal.js';
import { bucketClient } from '../../support/portal-api.js';
import { eventObjectKey } from '../../../local/catalog/event-delivery.js';

let portal: TestPortal;
let s3: S3Client;
let db: CatalogDb;

beforeAll(async () => {
  // The S3 events alone: the scanner's results would interleave with the attempts counted below.
  portal = await startTestPortal({ malwareScan: 'off' });
  s3 = bucketClient(portal);
  db = sdkCatalogDb(portal.catalog.table, async () => ({ client: portal.catalog.client, sdk: dynamodb }));
});
afterAll(async () => {
  s3?.destroy();
  await portal?.stop();
});

const entry = (key: string) => catalogEntry(db, key);
const put = (key: string, body = 'data') => s3.send(new PutObjectCommand({ Bucket: portal.bucket, Key: key, Body: body }));
const remove = (key: string) => s3.send(new DeleteObjectCommand({ Bucket: portal.bucket, Key: key }));

describe('the local portal delivers S3 events to the events handler', () => {
  it('indexes an object put into the bucket, in process and at once', async () => {
    await put('uploads/local-a/hello.txt', 'hello');
    await portal.events.idle();
    expect(await entry('uploads/local-a/hello.txt')).toMatchObject({ kind: 'file', file: { name: 'hello.txt', size: 5 } });
    expect(await readEndpointUsage(db, 'local-a')).toMatchObject({ fileCount: 1, totalBytes: 5 });
  });

  it('ends as S3 is when the events come reversed and twice each', async () => {
    portal.events.hold();
    await put('uploads/local-b/x.txt', 'one');
    await remove('uploads/local-b/x.txt');
    await put('uploads/local-b/y.txt', 'two!');
    await new Promise((resolve) => setTimeout(resolve, 50)); // the S3 server hands events over after each request
    portal.events.release((events) => [...events].reverse().flatMap((e) => [e, e]));
    await portal.events.idle();
    expect(await entry('uploads/local-b/x.txt')).toMatchObject({ kind: 'deleted' });
    expect(await entry('uploads/local-b/y.txt')).toMatchObject({ kind: 'file', file: { size: 4 } });
    expect(await readEndpointUsage(db, 'local-b')).toMatchObject({ fileCount: 1, totalBytes: 4 });
  });

  it('retries a failed attempt and counts the file once', async () => {
    portal.events.beforeInvoke = (event, attempt) => {
      if (eventObjectKey(event) === 'uploads/local-c/z.txt' && attempt === 1) throw new Error('injected failure');
    };
    try {
      await put('uploads/local-c/z.txt', 'abc');
      await portal.events.idle();
    } finally {
      portal.events.beforeInvoke = null;
    }
    const attempts = portal.events.attempts.slice(-2);
    expect(attempts.map((a) => a.ok)).toEqual([false, true]);
    expect(await readEndpointUsage(db, 'local-c')).toMatchObject({ fileCount: 1, totalBytes: 3 });
  });
});

describe('dynalite', () => {
  it('keeps the catalog on disk across a restart, and creates the table only once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'catalog-disk-'));
    try {
      const first = await startCatalogServer({ dataDir: dir, port: 0, table: 'portal-catalog', region: 'us-east-1' });
      expect(first.created).toBe(true);
      const firstDb = sdkCatalogDb(first.table, async () => ({ client: first.client, sdk: dynamodb }));
      await firstDb.put({ pk: { S: 'acme/' }, sk: { S: 'f#kept.txt' }, kind: { S: 'deleted' } });
      await first.close();
      const second = await startCatalogServer({ dataDir: dir, port: 0, table: 'portal-catalog', region: 'us-east-1' });
      try {
        expect(second.created).toBe(false);
        const secondDb = sdkCatalogDb(second.table, async () => ({ client: second.client, sdk: dynamodb }));
        expect(await secondDb.get({ pk: { S: 'acme/' }, sk: { S: 'f#kept.txt' } })).toMatchObject({ kind: { S: 'deleted' } });
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('answers TransactWriteItems with UnknownOperationException, as the catalog design assumes (no transactions)', async () => {
    const server = await startCatalogServer({ dataDir: null, port: 0, table: 'portal-catalog', region: 'us-east-1' });
    try {
      const put = { Put: { TableName: server.table, Item: { pk: { S: 'a/' }, sk: { S: 'f#x' } } } };
      await expect(server.client.send(new dynamodb.TransactWriteItemsCommand({ TransactItems: [put] }))).rejects.toMatchObject({ name: 'UnknownOperationException' });
    } finally {
      await server.close();
    }
  });
});
