import { describe, expect, it } from 'vitest';
import { planListing, type ListingQuery } from '../../../lambdas/shared/catalog/listing-plan.js';
import { entryItem, readFile } from '../../../lambdas/shared/catalog/catalog-items.js';
import { catalogPath } from '../../../lambdas/shared/catalog/catalog-path.js';
import type { Item } from '../../../lambdas/shared/catalog/catalog-db.js';

const base: ListingQuery = { scope: 'folder', endpoint: 'acme', folder: 'q3/', sort: 'name', order: 'asc', namePrefix: null, contains: null, from: null, to: null };

describe('planListing', () => {
  it('reads a folder by name from its partition, unfiltered', () => {
    expect(planListing(base)).toMatchObject({
      partition: 'acme/q3/',
      filtered: false,
      input: { IndexName: 'folder-by-name', KeyConditionExpression: '#p = :p', ScanIndexForward: true, ExpressionAttributeNames: { '#p': 'pk' } },
    });
  });

  it('serves a name prefix from the name index, and filters it when sorting otherwise', () => {
    expect(planListing({ ...base, namePrefix: 'rep' }).input).toMatchObject({ KeyConditionExpression: '#p = :p AND begins_with(#s, :prefix)' });
    const bySize = planListing({ ...base, sort: 'size', order: 'desc', namePrefix: 'rep' });
    expect(bySize).toMatchObject({ filtered: true, input: { IndexName: 'folder-by-size', FilterExpression: 'begins_with(#search, :prefix)', ScanIndexForward: false } });
  });

  it('filters a name prefix longer than the sortable part of a name', () => {
    const long = 'x'.repeat(600);
    expect(planListing({ ...base, namePrefix: long })).toMatchObject({ filtered: true, input: { FilterExpression: 'begins_with(#search, :prefix)' } });
  });

  it('serves an upload-time range from the time index (inclusive `to`), and filters it otherwise', () => {
    const byTime = planListing({ ...base, scope: 'endpoint', sort: 'time', order: 'desc', from: '2026-11-01T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' });
    expect(byTime).toMatchObject({ partition: 'acme', filtered: false, input: { IndexName: 'endpoint-by-time', KeyConditionExpression: '#p = :p AND #s BETWEEN :low AND :high' } });
    expect(byTime.input.ExpressionAttributeValues![':high']).toEqual({ S: '2026-11-30T00:00:00.000Z\u0002' });
    expect(planListing({ ...base, to: '2026-11-30T00:00:00.000Z' }).input).toMatchObject({ FilterExpression: '#at <= :to' });
  });

  it('filters a substring and combines filters', () => {
    expect(planListing({ ...base, sort: 'time', contains: 'q3', from: '2026-01-01T00:00:00.000Z' }).input).toMatchObject({
      KeyConditionExpression: '#p = :p AND #s >= :low',
      FilterExpression: 'contains(#search, :contains)',
    });
    expect(planListing({ ...base, contains: 'q3', from: '2026-01-01T00:00:00.000Z' }).input.FilterExpression).toBe('contains(#search, :contains) AND #at >= :from');
  });

  it('reads every endpoint from the recent index', () => {
    expect(planListing({ ...base, scope: 'all', endpoint: null, folder: '', sort: 'time', order: 'desc' })).toMatchObject({ partition: 'files', input: { IndexName: 'recent', ScanIndexForward: false } });
  });

  it('reads only what a listed file shows and what its page token holds', () => {
    const plan = planListing({ ...base, sort: 'size', order: 'desc' });
    const names = plan.input.ExpressionAttributeNames!;
    const projected = plan.input.ProjectionExpression!.split(', ').map((slot) => names[slot]);
    expect(projected).toEqual(expect.arrayContaining(['pk', 'sk', 'bySize', 'key', 'name', 'scan']));
    expect(projected).not.toEqual(expect.arrayContaining(['search']));
    expect(projected).not.toContain('byName');
    expect(projected).not.toContain('seq');

    // A file with every optional attribute set reads the same through the projection as in full.
    const path = catalogPath('uploads/acme/q3/report.pdf')!;
    const full = entryItem(
      path,
      { kind: 'file', sequencer: '0001', counted: 12, pending: null, scan: { state: 'clean', scannedAt: '2026-12-01T10:00:00.000Z', threats: ['EICAR'], release: { by: 'ops@corp.example', at: '2026-12-01T11:00:00.000Z', reason: 'checked by hand' } } },
      { name: 'Report.pdf', size: 12, uploadedAt: '2026-12-01T09:00:00.000Z', uploadedBy: 'kim@acme.example', contentType: 'application/pdf', etag: 'abc', checksum: { algorithm: 'CRC64NVME', type: 'FULL_OBJECT', base64: 'AAAAAAAAAAA=' } },
      new Date('2026-12-01T09:00:01.000Z'),
    );
    const onlyProjected: Item = Object.fromEntries(Object.entries(full).filter(([name]) => projected.includes(name)));
    expect(Object.keys(onlyProjected).length).toBeLessThan(Object.keys(full).length);
    expect(readFile(onlyProjected)).toEqual(readFile(full));
    expect(readFile(full)).toMatchObject({ checksum: { base64: 'AAAAAAAAAAA=' }, scan: { threats: ['EICAR'], release: { reason: 'checked by hand' } } });
  });
});
