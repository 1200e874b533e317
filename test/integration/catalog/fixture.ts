// The catalog's world without the whole portal: the local S3 server (its events captured, not
// delivered), dynalite in memory with the catalog table, the events Lambda's app over both, and a
// catalog whose calls a test can make fail once (a crash between two steps of a change).
import { PutObjectCommand, DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { vi } from 'vitest';
import type { S3EventBridgeEvent } from '../../../contract/s3-events.js';
import { createEventsApp, type EventResult } from '../../../lambdas/events/app.js';
import { CATALOG_ATTRIBUTES as A } from '../../../contract/catalog-table.js';
import { sdkCatalogDb, type CatalogDb } from '../../../lambdas/shared/catalog/catalog-db.js';
import { fileKey, readEntry, usageKey, type CatalogFile } from '../../../lambdas/shared/catalog/catalog-items.js';
import { catalogPath } from '../../../lambdas/shared/catalog/catalog-path.js';
import { listCatalogFiles } from '../../../lambdas/shared/catalog/file-listing.js';
import { buildObjectMetadata } from '../../../lambdas/shared/object-metadata.js';
import { startCatalogServer, type CatalogServer } from '../../../local/catalog/dynalite-server.js';
import type { S3ServerOptions } from '../../../local/s3/server.js';
import { BUCKET, REGION, startTestServer, type TestServer } from '../s3-server/helpers.js';

export { BUCKET };

type Op = keyof Omit<CatalogDb, 'table'>;

export interface CatalogWorld {
  s3: S3Client;
  s3Server: TestServer;
  catalog: CatalogServer;
  /** The catalog as the events Lambda and reconcile use it (with the fault switch). */
  db: CatalogDb;
  /** Every event the S3 server emitted, in order. */
  events: S3EventBridgeEvent[];
  logs: { level: string; message: string; data: unknown }[];
  /**
   * Every write command dynalite received (PutItem, UpdateItem, DeleteItem, BatchWriteItem...), by
   * name and in order, whoever sent it: counted on the SDK client, below any CatalogDb wrapper.
   */
  catalogWrites: string[];
  /** The events Lambda, in process. */
  handle(event: unknown): Promise<EventResult>;
  /** Makes the next catalog call that `matches` throw (once), before it reaches DynamoDB. */
  failOnce(matches: (op: Op, args: unknown[]) => boolean): void;
  upload(key: string, body: string, meta?: { originalName?: string; uploadedBy?: string }): Promise<S3EventBridgeEvent>;
  remove(key: string): Promise<S3EventBridgeEvent>;
  /** The event of the change just made to `key` among those since `events[from]`, waited for (events come after the request). */
  eventOf(key: string, from: number): Promise<S3EventBridgeEvent>;
  /** The files the catalog lists for `endpoint`, in all its folders, by name (the first 1000). */
  listed(endpoint: string): Promise<CatalogFile[]>;
  close(): Promise<void>;
}

/**
 * What the events Lambda leaves once it has counted the file at `key`, the first of its endpoint: the
 * endpoint's usage holds that one file, and the file's item says it is counted.
 */
export async function countAsOnlyFile(db: CatalogDb, key: string, bytes: number): Promise<void> {
  const path = catalogPath(key);
  if (!path) throw new Error(`${key} is not a customer file's key`);
  await db.update(usageKey(path.endpoint), {
    expression: 'SET #b = :b, #f = :f',
    names: { '#b': A.totalBytes, '#f': A.fileCount },
    values: { ':b': { N: String(bytes) }, ':f': { N: '1' } },
  });
  await db.put({ ...fileKey(path), [A.counted]: { N: String(bytes) } });
}

/** An update whose expression starts so (usage-counter.ts: 'ADD', 'REMOVE #pid', 'DELETE #applied'). */
export const updateStarting = (prefix: string) => (op: Op, args: unknown[]) => op === 'update' && (args[1] as { expression: string }).expression.startsWith(prefix);

/** DynamoDB's commands that change items. */
const WRITE_COMMANDS = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

/** `s3Server`: more options of the S3 server (a clock for objects stored at chosen times, a read-tag policy). */
export async function startCatalogWorld(options: { s3Server?: Partial<S3ServerOptions> } = {}): Promise<CatalogWorld> {
  const events: S3EventBridgeEvent[] = [];
  const s3Server = await startTestServer({ ...options.s3Server, onEvent: (event) => events.push(event) });
  const catalog = await startCatalogServer({ dataDir: null, port: 0, table: 'portal-catalog', region: REGION });
  const inner = sdkCatalogDb(catalog.table, async () => ({ client: catalog.client, sdk: dynamodb }));
  const faults: ((op: Op, args: unknown[]) => boolean)[] = [];
  const catalogWrites: string[] = [];
  catalog.client.middlewareStack.add(
    (next, context) => (args) => {
      if (WRITE_COMMANDS.has(context.commandName ?? '')) catalogWrites.push(context.commandName!);
      return next(args);
    },
    { step: 'initialize', name: 'countCatalogWrites' },
  );
  const db = new Proxy(inner, {
    get(target, name: string) {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- applied to its own target below
      const value = target[name as keyof CatalogDb];
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const fault = faults.findIndex((matches) => matches(name as Op, args));
        if (fault >= 0) {
          faults.splice(fault, 1);
          return Promise.reject(new Error(`injected failure in ${name}`));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const s3 = s3Server.client({ requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  const logs: CatalogWorld['logs'] = [];
  const logger = new Logger({ serviceName: 'events-test', logLevel: 'SILENT' });
  for (const level of ['info', 'warn', 'error'] as const) {
    vi.spyOn(logger, level).mockImplementation((message, ...data) => void logs.push({ level, message: typeof message === 'string' ? message : JSON.stringify(message), data: data[0] }));
  }
  const handle = createEventsApp({ s3, db, bucket: BUCKET, now: () => new Date(), logger });
  /**
   * The event of the change just made to `key`, among those emitted since `from`. The S3 server hands
   * events over after the request, on a later turn, and the events Lambda's own writes (its audit
   * events under _portal/) emit some too, so the newest event need not be this one.
   */
  const eventOf = async (key: string, from: number) => {
    const find = () => events.slice(from).find((event) => event.detail.object.key === key);
    for (let i = 0; i < 100 && !find(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
    const found = find();
    if (!found) throw new Error(`no event came for ${key}`);
    return found;
  };
  return {
    s3,
    s3Server,
    catalog,
    db,
    events,
    logs,
    catalogWrites,
    handle,
    eventOf,
    failOnce: (matches) => faults.push(matches),
    async upload(key, body, meta = {}) {
      const name = key.slice(key.lastIndexOf('/') + 1);
      const from = events.length;
      await s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: key,
          Body: body,
          ContentType: 'text/plain',
          ChecksumAlgorithm: 'CRC64NVME',
          Metadata: buildObjectMetadata({ originalName: meta.originalName ?? name, uploadedBy: meta.uploadedBy ?? 'jane@acme.example' }, name),
        }),
      );
      return eventOf(key, from);
    },
    async remove(key) {
      const from = events.length;
      await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
      return eventOf(key, from);
    },
    async listed(endpoint) {
      const listing = await listCatalogFiles(
        db,
        { scope: 'endpoint', endpoint, folder: '', sort: 'name', order: 'asc', namePrefix: null, contains: null, from: null, to: null },
        { pageSize: 1000, token: null, toEntry: (f) => f },
      );
      return listing.entries;
    },
    async close() {
      s3.destroy();
      await catalog.close();
      await s3Server.close();
    },
  };
}

/** The catalog's entry for the object at `key`, as the listing reads it; null when there is none. */
export async function catalogEntry(db: CatalogDb, key: string) {
  const item = await db.get(fileKey(catalogPath(key)!));
  return item ? readEntry(item) : null;
}
