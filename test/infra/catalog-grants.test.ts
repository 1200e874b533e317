// The catalog grants of the uploads, events and admin Lambdas (infra/permissions.ts) against the
// DynamoDB calls their code really sends: the uploads routes run in process (the uploads unit harness,
// DynamoDB mocked); the events Lambda and the admin routes that write the catalog (reconcile, release)
// run in process over dynalite and the local S3 server (the catalog world of the integration tests), so
// deletes, folder clean-ups and digests take their real paths. Every call is recorded and judged as IAM
// would judge it: action, table or index, and the partition key against the dynamodb:LeadingKeys
// condition. A new call the grants do not cover fails here, not in AWS.
import { DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_ATTRIBUTES as A, CATALOG_INDEXES } from '../../contract/catalog-table.js';
import { adminCatalogStatements, eventsStatements, uploadsCatalogStatements, type CatalogArns } from '../../infra/permissions.js';
import { createAdminApp } from '../../lambdas/admin/app.js';
import { createEventsApp } from '../../lambdas/events/app.js';
import type { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { QueueMessage } from '../../lambdas/shared/notifications/notification-queue.js';
import { scanResultEvent } from '../../local/scanner/scan-result-event.js';
import { BUCKET, startCatalogWorld, type CatalogWorld } from '../integration/catalog/fixture.js';
import { fakeVerifier, SETTINGS } from '../unit/admin/harness.js';
import { createHarness, createViaApi, endpointRecord, type Harness } from '../unit/uploads/harness.js';

const TABLE = 'arn:aws:dynamodb:eu-west-1:111111111111:table/portal-catalog';
const ARNS: CatalogArns = { table: TABLE, index: (name) => `${TABLE}/index/${name}`, indexNames: Object.values(CATALOG_INDEXES).map((i) => i.name) };
type StatementJson = { Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, string[]>> };
const asJson = (statements: PolicyStatement[]) => statements.map((s) => s.toStatementJson() as StatementJson);
const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const like = (pattern: string, value: string): boolean => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);

/** Whether one of `statements` allows `action` on `resource` for an item in partition `partition`. */
function allowedBy(statements: StatementJson[], action: string, resource: string, partition: string | undefined): boolean {
  return statements.some((s) => {
    if (!list(s.Action).includes(action) || !list(s.Resource).some((r) => like(r, resource))) return false;
    const leading = s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
    return leading === undefined || (partition !== undefined && leading.some((pattern) => like(pattern, partition)));
  });
}

const uploadsGrants = asJson(uploadsCatalogStatements(ARNS, CATALOG_INDEXES.endpointByTime.name));
const allowed = (action: string, resource: string, partition: string | undefined) => allowedBy(uploadsGrants, action, resource, partition);

interface Call {
  action: string;
  resource: string;
  partition: string | undefined;
}

const COMMANDS = { GetItemCommand, PutItemCommand, UpdateItemCommand, DeleteItemCommand, QueryCommand };

type CommandInput = {
  Key?: Record<string, AttributeValue>;
  Item?: Record<string, AttributeValue>;
  IndexName?: string;
  KeyConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
};

/** The partition a Query reads: the value its key condition sets the partition key (of the table or index) equal to. */
function queriedPartition(input: CommandInput): string | undefined {
  const partitionKey = input.IndexName ? Object.values(CATALOG_INDEXES).find((i) => i.name === input.IndexName)?.partitionKey : A.pk;
  for (const [, name, value] of (input.KeyConditionExpression ?? '').matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    if ((input.ExpressionAttributeNames?.[name!] ?? name) === partitionKey) return input.ExpressionAttributeValues?.[value!]?.S;
  }
  return undefined;
}

/** A DynamoDB call as IAM sees it: the action, the table or index, the partition key it touches. */
function callOf(commandName: string, input: CommandInput): Call {
  const partition = input.Key?.[A.pk]?.S ?? input.Item?.[A.pk]?.S ?? queriedPartition(input);
  return { action: `dynamodb:${commandName.replace(/Command$/, '')}`, resource: input.IndexName ? `${TABLE}/index/${input.IndexName}` : TABLE, partition };
}

function recorded(h: Harness): Call[] {
  return h.ddbMock.calls().map((call) => {
    const command = call.args[0];
    const name = Object.keys(COMMANDS).find((n) => command instanceof COMMANDS[n as keyof typeof COMMANDS]) ?? command.constructor.name;
    return callOf(name, command.input as CommandInput);
  });
}

describe('the uploads Lambda: every catalog call its routes send is granted', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
    // A quota, so that admission, /api/me and completion take every path of the quota holds.
    h.bucket.putEndpoint(endpointRecord('acme', { quotaBytes: 10 ** 12, quotaFiles: 1000 }));
    const future = new Date(h.clock.now.getTime() + 86_400_000).toISOString();
    const past = new Date(h.clock.now.getTime() - 1000).toISOString();
    const hold = (id: string, releaseAfter: string, state: 'open' | 'landed') => ({
      [A.pk]: { S: '#hold#acme' },
      [A.sk]: { S: id },
      [A.holdBytes]: { N: '5' },
      [A.holdFiles]: { N: '1' },
      [A.holdLogin]: { S: 'customer1' },
      [A.holdState]: { S: state },
      [A.key]: { S: 'uploads/acme/landed.txt' },
      [A.releaseAfter]: { S: releaseAfter },
    });
    h.ddbMock.on(GetItemCommand).callsFake((input: { Key: Record<string, AttributeValue> }) => {
      const pk = input.Key[A.pk]?.S ?? '';
      if (pk.startsWith('#hold#')) return { Item: hold(input.Key[A.sk]?.S ?? '', future, 'open') };
      if (pk.startsWith('#usage#')) return { Item: { fileCount: { N: '1' }, totalBytes: { N: '5' } } };
      return {};
    });
    // One stale hold, so that the sweep /api/me runs releases it.
    h.ddbMock.on(QueryCommand, { IndexName: undefined }).resolves({ Items: [hold('stale', past, 'landed')], ScannedCount: 1 });
    h.ddbMock.on(QueryCommand, { IndexName: CATALOG_INDEXES.endpointByTime.name }).resolves({ Items: [], ScannedCount: 0 });
    h.ddbMock.resetHistory();

    const created = await createViaApi(h, 'report.pdf', 200 * 1024 * 1024);
    expect(created.status).toBe(200);
    const aborted = await h.call('DELETE', `/api/s3/multipart/${encodeURIComponent(created.body.uploadId as string)}`, { token: h.customer(), query: { key: created.body.key as string } });
    expect(aborted.status).toBe(200);
    const small = await h.call('GET', '/api/s3/params', { token: h.customer(), query: { filename: 'small.txt', type: 'text/plain', 'metadata[size]': '12' } });
    expect(small.status).toBe(200);
    expect((await h.call('GET', '/api/me', { token: h.customer() })).status).toBe(200);
    expect((await h.call('GET', '/api/files', { token: h.customer() })).status).toBe(200);
    expect((await h.call('GET', '/api/s3/multipart', { token: h.customer() })).status).toBe(200);
  });
  afterAll(() => h.close());

  it('sends every kind of call the quota holds and the file list need (so the check below is not empty)', () => {
    const kinds = new Set(recorded(h).map((call) => `${call.action} ${call.resource === TABLE ? 'table' : 'index'}`));
    for (const kind of ['dynamodb:GetItem table', 'dynamodb:PutItem table', 'dynamodb:UpdateItem table', 'dynamodb:DeleteItem table', 'dynamodb:Query table', 'dynamodb:Query index']) {
      expect(kinds, kind).toContain(kind);
    }
  });

  it('is granted each call it sent, for the partition it touched', () => {
    const refused = recorded(h).filter((call) => !allowed(call.action, call.resource, call.partition));
    expect(refused).toEqual([]);
  });

  it('is refused what it must not do: write files, usage or digests, read digests, query other indexes', () => {
    expect(allowed('dynamodb:PutItem', TABLE, 'acme/')).toBe(false);
    expect(allowed('dynamodb:UpdateItem', TABLE, '#usage#acme')).toBe(false);
    expect(allowed('dynamodb:DeleteItem', TABLE, 'acme/q3/')).toBe(false);
    expect(allowed('dynamodb:UpdateItem', TABLE, '#digest#acme')).toBe(false);
    expect(allowed('dynamodb:GetItem', TABLE, '#digest#acme')).toBe(false);
    expect(allowed('dynamodb:Query', `${TABLE}/index/${CATALOG_INDEXES.recent.name}`, 'files')).toBe(false);
    expect(allowed('dynamodb:Scan', TABLE, undefined)).toBe(false);
    // What it does need stays allowed.
    expect(allowed('dynamodb:UpdateItem', TABLE, '#reserved#acme')).toBe(true);
    expect(allowed('dynamodb:GetItem', TABLE, 'acme/q3/')).toBe(true);
  });
});

/** The catalog world, with every DynamoDB call its client sends recorded as IAM sees it. */
async function recordingWorld(): Promise<{ w: CatalogWorld; calls: Call[] }> {
  const w = await startCatalogWorld();
  const calls: Call[] = [];
  w.catalog.client.middlewareStack.add(
    (next, context) => (args) => {
      calls.push(callOf(context.commandName ?? '?', args.input as CommandInput));
      return next(args);
    },
    { step: 'initialize', name: 'recordCatalogCalls' },
  );
  return { w, calls };
}

const silentLogger = () => new Logger({ serviceName: 'catalog-grants', logLevel: 'SILENT' });
const digestQueue = { send: async (_url: string, _message: QueueMessage) => undefined, retryLater: async () => undefined };

describe('the events Lambda: every catalog call it sends is granted', () => {
  const grants = asJson(eventsStatements('arn:aws:s3:::portal-bucket', ARNS));
  const eventsAllowed = (action: string, resource: string, partition: string | undefined) => allowedBy(grants, action, resource, partition);
  let w: CatalogWorld;
  let calls: Call[];
  beforeAll(async () => {
    ({ w, calls } = await recordingWorld());
    const handle = createEventsApp({ s3: w.s3, db: w.db, bucket: BUCKET, now: () => new Date(), logger: silentLogger(), digest: { queue: digestQueue, queueUrl: 'https://sqs.example/digest', quietSeconds: 60 } });
    // A file in a sub-folder arrives (file, folder, usage, digest), is scanned and found infected (its
    // scan state, the audit and the alert), and is deleted (tombstone, usage, the emptied folder removed).
    const key = 'uploads/acme/q3/report.txt';
    const created = await w.upload(key, 'hello');
    expect(await handle(created)).toMatchObject({ status: 'handled' });
    const scanned = await handle(scanResultEvent({ bucket: BUCKET, key, etag: created.detail.object.etag!, status: 'THREATS_FOUND', threats: ['EICAR-Test-File (not a virus)'] }));
    expect(scanned).toMatchObject({ status: 'handled' });
    expect(await handle(await w.remove(key))).toMatchObject({ status: 'handled' });
  });
  afterAll(async () => w?.close());

  it('sends every kind of call an arrival, a scan result and a deletion need (so the check below is not empty)', () => {
    const kinds = new Set(calls.map((call) => call.action));
    for (const kind of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query']) expect(kinds, kind).toContain(kind);
    const partitions = new Set(calls.map((call) => call.partition));
    for (const partition of ['acme/', 'acme/q3/', '#usage#acme', '#digest#acme']) expect(partitions, partition).toContain(partition);
  });

  it('is granted each call it sent, for the partition it touched', () => {
    expect(calls.filter((call) => !eventsAllowed(call.action, call.resource, call.partition))).toEqual([]);
  });

  it('is refused the quota holds and every index', () => {
    for (const partition of ['#hold#acme', '#reserved#acme', '#open#acme']) {
      for (const action of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']) expect(eventsAllowed(action, TABLE, partition), `${action} ${partition}`).toBe(false);
    }
    expect(eventsAllowed('dynamodb:Query', `${TABLE}/index/${CATALOG_INDEXES.recent.name}`, 'files')).toBe(false);
    expect(eventsAllowed('dynamodb:UpdateItem', TABLE, '#digest#acme')).toBe(true);
  });
});

describe('the admin Lambda: every catalog write its routes send is granted', () => {
  const grants = asJson(adminCatalogStatements(ARNS));
  const adminAllowed = (action: string, resource: string, partition: string | undefined) => allowedBy(grants, action, resource, partition);
  let w: CatalogWorld;
  let calls: Call[];
  beforeAll(async () => {
    ({ w, calls } = await recordingWorld());
    const handle = createEventsApp({ s3: w.s3, db: w.db, bucket: BUCKET, now: () => new Date(), logger: silentLogger() });
    const admin = createAdminApp({
      settings: { ...SETTINGS, bucket: BUCKET, catalogTable: w.catalog.table, malwareScan: 'block' },
      s3: w.s3,
      cognito: new CognitoIdentityProviderClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } }),
      catalog: w.db,
      verifyIdentity: fakeVerifier,
      logger: silentLogger(),
    });
    const post = async (path: string, body: object) => {
      const response = await admin({ method: 'POST', path, query: {}, headers: { 'x-amzn-oidc-data': 'admin', 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)), sourceIp: '203.0.113.9' }, undefined);
      return { status: response.status, body: response.body === undefined ? undefined : (JSON.parse(String(response.body)) as unknown) };
    };
    // The catalog knows a file GuardDuty could not scan, and one whose object is gone; S3 holds one the
    // catalog never heard of (its event lost).
    const locked = 'uploads/acme/locked.zip';
    const created = await w.upload(locked, 'zip');
    await handle(created);
    await handle(scanResultEvent({ bucket: BUCKET, key: locked, etag: created.detail.object.etag!, status: 'UNSUPPORTED' }));
    await handle(await w.upload('uploads/acme/old/gone.txt', 'gone'));
    await w.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'uploads/acme/old/gone.txt' }));
    await w.upload('uploads/acme/new/unseen.txt', 'unseen');
    calls.length = 0;

    const released = await post('/admin/api/files/release', { key: locked, reason: 'Encrypted archive, checked by hand' });
    expect(released).toMatchObject({ status: 200, body: { scan: { release: { reason: 'Encrypted archive, checked by hand' } } } });
    const reconciled = await post('/admin/api/catalog/reconcile', { endpoint: 'acme' });
    expect(reconciled).toMatchObject({ status: 200, body: { done: true, added: 1, removed: expect.any(Number) } });
    expect((reconciled.body as { removed: number }).removed).toBeGreaterThan(0);
  });
  afterAll(async () => w?.close());

  it('writes files, folders and usage when it releases a file and reconciles (so the check below is not empty)', () => {
    const writes = calls.filter((call) => ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'].includes(call.action));
    expect(new Set(writes.map((call) => call.action))).toEqual(new Set(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']));
    for (const partition of ['acme/', 'acme/new/', '#usage#acme']) expect(new Set(writes.map((call) => call.partition)), partition).toContain(partition);
  });

  it('is granted each call it sent, for the partition it touched', () => {
    expect(calls.filter((call) => !adminAllowed(call.action, call.resource, call.partition))).toEqual([]);
  });

  it('may not write digests or quota holds, only read them', () => {
    for (const partition of ['#digest#acme', '#hold#acme', '#reserved#acme', '#open#acme']) {
      for (const action of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']) expect(adminAllowed(action, TABLE, partition), `${action} ${partition}`).toBe(false);
      expect(adminAllowed('dynamodb:GetItem', TABLE, partition)).toBe(true);
    }
  });
});
