// The uploads Lambda's catalog grants (infra/permissions.ts) against the DynamoDB calls its routes
// really send: the routes run in process (the uploads unit harness, DynamoDB mocked), every call is
// recorded and judged as IAM would judge it, action, table or index, and the partition key against
// the dynamodb:LeadingKeys condition. A new call the grants do not cover fails here, not in AWS.
import { DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_ATTRIBUTES as A, CATALOG_INDEXES } from '../../contract/catalog-table.js';
import { uploadsCatalogStatements } from '../../infra/permissions.js';
import { createHarness, createViaApi, endpointRecord, type Harness } from '../unit/uploads/harness.js';

const TABLE = 'arn:aws:dynamodb:eu-west-1:111111111111:table/portal-catalog';
const statements = uploadsCatalogStatements({ table: TABLE, index: (name) => `${TABLE}/index/${name}`, indexNames: [] }, CATALOG_INDEXES.endpointByTime.name).map(
  (s) => s.toStatementJson() as { Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, string[]>> },
);
const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const like = (pattern: string, value: string): boolean => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);

/** Whether a statement allows `action` on `resource` for an item in partition `partition`. */
function allowed(action: string, resource: string, partition: string | undefined): boolean {
  return statements.some((s) => {
    if (!list(s.Action).includes(action) || !list(s.Resource).some((r) => like(r, resource))) return false;
    const leading = s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
    return leading === undefined || (partition !== undefined && leading.some((pattern) => like(pattern, partition)));
  });
}

interface Call {
  action: string;
  resource: string;
  partition: string | undefined;
}

const COMMANDS = { GetItemCommand, PutItemCommand, UpdateItemCommand, DeleteItemCommand, QueryCommand };

function recorded(h: Harness): Call[] {
  return h.ddbMock.calls().map((call) => {
    const command = call.args[0];
    const name = Object.keys(COMMANDS).find((n) => command instanceof COMMANDS[n as keyof typeof COMMANDS]) ?? command.constructor.name;
    const input = command.input as { Key?: Record<string, AttributeValue>; Item?: Record<string, AttributeValue>; IndexName?: string; ExpressionAttributeValues?: Record<string, AttributeValue> };
    const partition = input.Key?.[A.pk]?.S ?? input.Item?.[A.pk]?.S ?? input.ExpressionAttributeValues?.[':pk']?.S ?? input.ExpressionAttributeValues?.[':p']?.S;
    return { action: `dynamodb:${name.replace(/Command$/, '')}`, resource: input.IndexName ? `${TABLE}/index/${input.IndexName}` : TABLE, partition };
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
