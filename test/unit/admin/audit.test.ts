import { afterEach, describe, expect, it } from 'vitest';
import { GetObjectCommand, ListObjectsV2Command, type ListObjectsV2CommandInput } from '@aws-sdk/client-s3';
import { auditKeys, reverseTime } from '../../../contract/audit-keys.js';
import type { AuditEvent } from '../../../contract/api/admin.js';
import { auditDateRange } from '../../../web/src/admin/audit-export.js';
import { harness, inputsOf, noSuchKey, objectBody, type Harness } from './harness.js';

function event(id: string, at: string, endpoint: string | null = 'acme'): AuditEvent {
  return {
    id,
    at,
    action: 'file.downloaded',
    actor: { subject: 'admin-sub-1', email: 'alice@corp.example' },
    endpoint,
    target: `uploads/acme/${id}`,
    details: {},
    sourceIp: '203.0.113.9',
    requestId: `req-${id}`,
  };
}

/** Stores events in the mock as audit-log.ts would, and answers LIST like S3 (sorted, StartAfter, MaxKeys). */
function store(h: Harness, events: AuditEvent[]) {
  const objects = new Map<string, string>();
  for (const e of events) for (const key of auditKeys(e)) objects.set(key, JSON.stringify(e));
  h.s3Mock.on(ListObjectsV2Command).callsFake(async (input: ListObjectsV2CommandInput) => {
    const keys = [...objects.keys()].filter((k) => k.startsWith(input.Prefix!) && (!input.StartAfter || k > input.StartAfter)).sort();
    const page = keys.slice(0, input.MaxKeys);
    return { Contents: page.map((Key) => ({ Key })), IsTruncated: keys.length > page.length };
  });
  h.s3Mock.on(GetObjectCommand).callsFake(async (input: { Key: string }) => {
    const text = objects.get(input.Key);
    if (text === undefined) throw noSuchKey();
    return objectBody(text);
  });
}

const EVENTS = [
  event('e1', '2026-11-20T10:00:00.000Z'),
  event('e2', '2026-11-21T10:00:00.000Z', 'beta'),
  event('e3', '2026-11-22T10:00:00.000Z'),
  event('e4', '2026-11-23T10:00:00.000Z', 'beta'),
  event('e5', '2026-11-24T10:00:00.000Z'),
];
const ids = (res: { body: { events: AuditEvent[] } }) => res.body.events.map((e) => e.id);

describe('GET /admin/api/audit', () => {
  it('returns every event newest first, whole', async () => {
    const h = harness();
    store(h, EVENTS);
    const res = await h.call('GET', '/admin/api/audit');
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual(['e5', 'e4', 'e3', 'e2', 'e1']);
    expect(res.body.events[0]).toEqual(EVENTS[4]);
    expect(res.body.nextToken).toBeNull();
    expect(inputsOf(h.s3Mock, ListObjectsV2Command)).toEqual([{ Bucket: 'portal-bucket', Prefix: '_portal/audit/all/', MaxKeys: 50 }]);
  });

  it('reads one endpoint from its own index prefix', async () => {
    const h = harness();
    store(h, EVENTS);
    const res = await h.call('GET', '/admin/api/audit', { query: { endpoint: 'beta' } });
    expect(ids(res)).toEqual(['e4', 'e2']);
    expect(inputsOf<ListObjectsV2CommandInput>(h.s3Mock, ListObjectsV2Command)[0]!.Prefix).toBe('_portal/audit/endpoint/beta/');
  });

  it('pages with a token that continues after the last key', async () => {
    const h = harness();
    store(h, EVENTS);
    const first = await h.call('GET', '/admin/api/audit', { query: { pageSize: '2' } });
    expect(ids(first)).toEqual(['e5', 'e4']);
    const second = await h.call('GET', '/admin/api/audit', { query: { pageSize: '2', continuationToken: first.body.nextToken } });
    expect(ids(second)).toEqual(['e3', 'e2']);
    const third = await h.call('GET', '/admin/api/audit', { query: { pageSize: '2', continuationToken: second.body.nextToken } });
    expect(third.body).toMatchObject({ nextToken: null });
    expect(ids(third)).toEqual(['e1']);
    expect(inputsOf<ListObjectsV2CommandInput>(h.s3Mock, ListObjectsV2Command)[1]!.StartAfter).toBe(
      `_portal/audit/all/${reverseTime(Date.parse('2026-11-23T10:00:00.000Z'))}-e4.json`,
    );
  });

  it('limits to a time range, both ends inclusive, starting the LIST at `to`', async () => {
    const h = harness();
    store(h, EVENTS);
    const res = await h.call('GET', '/admin/api/audit', { query: { from: '2026-11-21T10:00:00.000Z', to: '2026-11-23T10:00:00.000Z' } });
    expect(ids(res)).toEqual(['e4', 'e3', 'e2']);
    expect(res.body.nextToken).toBeNull();
    expect(inputsOf<ListObjectsV2CommandInput>(h.s3Mock, ListObjectsV2Command)[0]!.StartAfter).toBe(
      `_portal/audit/all/${reverseTime(Date.parse('2026-11-23T10:00:00.000Z'))}`,
    );
  });

  it('stops paging once events are older than `from`', async () => {
    const h = harness();
    store(h, EVENTS);
    const res = await h.call('GET', '/admin/api/audit', { query: { from: '2026-11-24T00:00:00Z', pageSize: '2' } });
    expect(ids(res)).toEqual(['e5']);
    expect(res.body.nextToken).toBeNull();
  });

  it('accepts plain dates', async () => {
    const h = harness();
    store(h, EVENTS);
    expect(ids(await h.call('GET', '/admin/api/audit', { query: { from: '2026-11-22', to: '2026-11-23' } }))).toEqual(['e3']);
  });

  it('skips an event expired between LIST and GET', async () => {
    const h = harness();
    store(h, EVENTS);
    h.s3Mock.on(GetObjectCommand, { Key: auditKeys(EVENTS[4]!)[0]! }).rejects(noSuchKey());
    expect(ids(await h.call('GET', '/admin/api/audit', { query: { pageSize: '2' } }))).toEqual(['e4']);
  });

  it.each([
    [{ from: 'yesterday' }, 'invalid_time'],
    [{ from: '2026-02-31' }, 'invalid_time'],
    [{ to: '2026-04-31T10:00:00Z' }, 'invalid_time'],
    [{ from: '2026-11-25', to: '2026-11-01' }, 'invalid_time'],
    [{ endpoint: '../x' }, 'invalid_name'],
    [{ pageSize: '500' }, 'invalid_page_size'],
    [{ continuationToken: 'not-base64-json' }, 'invalid_token'],
    // A token of the whole timeline used on one endpoint's stream would read outside that stream.
    [{ endpoint: 'acme', continuationToken: Buffer.from(JSON.stringify({ after: '_portal/audit/all/1' })).toString('base64url') }, 'invalid_token'],
    [{ continuationToken: Buffer.from(JSON.stringify({ after: '_portal/endpoints/' })).toString('base64url') }, 'invalid_token'],
  ])('answers 400 for %j', async (query, code) => {
    const h = harness();
    store(h, EVENTS);
    expect(await h.call('GET', '/admin/api/audit', { query })).toMatchObject({ status: 400, body: { error: { code } } });
    expect(h.s3Mock.calls()).toHaveLength(0);
  });
});

describe('GET /admin/api/audit with the console\'s range of whole local days', () => {
  const saved = process.env.TZ;
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('answers the events of the last half second of the last day, and none of the next day or the day before', async () => {
    process.env.TZ = 'Europe/Berlin';
    const h = harness();
    store(h, [
      event('before', '2026-10-24T21:59:59.999Z'),
      event('first', '2026-10-24T22:00:00.000Z'),
      // 23:59:59.5 local on 25 October (CET, UTC+1), the 25-hour day the clocks go back.
      event('last', '2026-10-25T22:59:59.500Z'),
      event('after', '2026-10-25T23:00:00.000Z'),
    ]);
    const range = auditDateRange({ from: '2026-10-25', to: '2026-10-25' });
    const res = await h.call('GET', '/admin/api/audit', { query: { from: range.from!, to: range.to! } });
    expect(ids(res)).toEqual(['last', 'first']);
  });
});
