import { describe, expect, it } from 'vitest';
import { planListing, type ListingQuery } from '../../../lambdas/shared/catalog/listing-plan.js';

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
});
