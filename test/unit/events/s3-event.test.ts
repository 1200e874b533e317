import { describe, expect, it } from 'vitest';
import { checkS3Event } from '../../../lambdas/events/s3-event.js';
import { s3Event } from '../../support/s3-event.js';

describe('checkS3Event', () => {
  it('accepts an S3 event of this bucket, normalising the sequencer', () => {
    const check = checkS3Event(s3Event(), 'portal-bucket');
    expect(check).toMatchObject({ ok: true, event: { type: 'Object Created', rawKey: 'uploads/acme/report.pdf', sequencer: `617F08299329D189${'0'.repeat(48)}` } });
  });

  it('offers the decoded key as a second place when S3 may have URL-encoded it', () => {
    const check = checkS3Event(s3Event({ key: 'uploads/acme/red+flower.jpg' }), 'portal-bucket');
    expect(check.ok && check.event.candidates.map((p) => p.key)).toEqual(['uploads/acme/red+flower.jpg', 'uploads/acme/red flower.jpg']);
  });

  it("reads the request's origin from S3's event, and nothing malformed", () => {
    const event = s3Event();
    const originOf = (input: unknown) => {
      const check = checkS3Event(input, 'portal-bucket');
      return check.ok ? check.event.origin : null;
    };
    expect(originOf({ ...event, detail: { ...event.detail, 'source-ip-address': '203.0.113.7' } })).toEqual({ sourceIp: '203.0.113.7', requestId: 'N4N7GDK58NMKJ12R', etag: 'b1946ac92492d2347c6235b4d2611184' });
    expect(originOf({ ...event, detail: { ...event.detail, 'source-ip-address': 7, 'request-id': 'x'.repeat(500), object: { ...event.detail.object, etag: 5 } } })).toEqual({ sourceIp: '', requestId: '', etag: '' });
    expect(originOf({ ...event, detail: { ...event.detail, object: { ...event.detail.object, etag: 'abc' } } })?.etag).toBe('abc');
  });

  it.each([
    ['not an object', 'not an object', 'nope'],
    ['another source', 'source is not aws.s3', s3Event({ source: 'custom.app' })],
    ['another event type', 'not an S3 object event', s3Event({ type: 'Object Restore Completed' })],
    ['another bucket', 'another bucket', s3Event({ bucket: 'other' })],
    ['a tag event without a sequencer', 'no valid sequencer', s3Event({ type: 'Object Tags Added', sequencer: undefined })],
    ['a key outside uploads/', 'key outside uploads/<endpoint>/', s3Event({ key: '_portal/audit/x.json' })],
    ['a malformed endpoint', 'key outside uploads/<endpoint>/', s3Event({ key: 'uploads/Not_Valid/x.pdf' })],
    ['a reservation', 'key outside uploads/<endpoint>/', s3Event({ key: 'uploads/.portal-pending/acme/x.json' })],
    ['an empty key', 'no valid object key', s3Event({ key: '' })],
  ])('refuses %s, a warning', (_what, reason, input) => {
    expect(checkS3Event(input, 'portal-bucket')).toMatchObject({ ok: false, reason, level: 'warn' });
  });

  // S3 documents a sequencer on every Object Created and Object Deleted (contract/s3-events.ts): one
  // without cannot be ordered against the key's other events, and S3 should never send it.
  it.each([
    ['an Object Created without a sequencer', s3Event({ sequencer: undefined })],
    ['an Object Created with a malformed sequencer', s3Event({ sequencer: 'zz' })],
    ['an Object Deleted without a sequencer', s3Event({ type: 'Object Deleted', sequencer: undefined })],
  ])('refuses %s, an error', (_what, input) => {
    expect(checkS3Event(input, 'portal-bucket')).toMatchObject({ ok: false, reason: 'no valid sequencer', level: 'error', key: 'uploads/acme/report.pdf' });
  });
});
