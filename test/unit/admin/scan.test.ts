// The admin API and malware scanning: downloads and share links refused (with the reason) where the
// bucket policy would refuse them, the release of a file that could not be scanned (audited with its
// reason, tagged, recorded), never of an infected one, and the scan-state filter.
import { describe, expect, it } from 'vitest';
import { GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, PutObjectTaggingCommand, type GetObjectTaggingCommandInput, type PutObjectTaggingCommandInput } from '@aws-sdk/client-s3';
import { GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand, type PutItemCommandInput, type QueryCommandInput, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { MalwareScanMode, ScanState } from '../../../contract/malware-scan.js';
import { entryItem, fileKey, type FileScan } from '../../../lambdas/shared/catalog/catalog-items.js';
import { catalogPath } from '../../../lambdas/shared/catalog/catalog-path.js';
import { reservationKey } from '../../../lambdas/shared/upload-reservation.js';
import { buildObjectMetadata } from '../../../lambdas/shared/object-metadata.js';
import { auditEvents, harness, inputsOf, noSuchKey, notFound, NOW, objectBody, type Harness } from './harness.js';

const KEY = 'uploads/acme/big.iso';

function withFile(h: Harness, state: ScanState, release: FileScan['release'] = null) {
  const path = catalogPath(KEY)!;
  const scan: FileScan = { state, scannedAt: state === 'pending' ? null : NOW.toISOString(), threats: state === 'infected' ? ['EICAR-Test-File (not a virus)'] : [], release };
  const item = entryItem(path, { kind: 'file', sequencer: null, counted: 5, pending: null, scan }, { name: 'big.iso', size: 5, uploadedAt: NOW.toISOString(), uploadedBy: null, contentType: null, etag: 'abc', checksum: null }, NOW);
  h.ddbMock.on(GetItemCommand, { Key: fileKey(path) }).resolves({ Item: item });
  h.s3Mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: KEY }] });
  h.s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 5, ETag: '"abc"' });
}


describe('downloads and share links follow the scan', () => {
  it.each<[ScanState, string]>([
    ['pending', 'scan_pending'],
    ['infected', 'file_infected'],
    ['unsupported', 'scan_not_released'],
    ['too_large', 'scan_not_released'],
    ['failed', 'scan_not_released'],
    ['not_scanned', 'scan_not_released'],
  ])('a %s file: 409 %s, no URL, no audit', async (state, code) => {
    const h = harness();
    withFile(h, state);
    const download = await h.call('GET', '/admin/api/files/download', { query: { key: KEY } });
    const share = await h.call('POST', '/admin/api/files/share', { body: { key: KEY, expiresInSeconds: 60 } });
    expect([download.status, download.body?.error?.code]).toEqual([409, code]);
    expect([share.status, share.body?.error?.code]).toEqual([409, code]);
    expect(auditEvents(h)).toEqual([]);
  });

  it('with malwareScan tag an unscanned file is downloadable, an infected one never', async () => {
    const h = harness({ settings: { malwareScan: 'tag' } });
    withFile(h, 'infected');
    expect((await h.call('GET', '/admin/api/files/download', { query: { key: KEY } })).body.error.code).toBe('file_infected');
  });

  it('the listing says per file whether it is downloadable', async () => {
    const h = harness();
    const path = catalogPath(KEY)!;
    const facts = { name: 'big.iso', size: 5, uploadedAt: NOW.toISOString(), uploadedBy: null, contentType: null, etag: 'abc', checksum: null };
    const item = (state: ScanState) => entryItem(path, { kind: 'file', sequencer: null, counted: 5, pending: null, scan: { state, scannedAt: null, threats: [], release: null } }, facts, NOW);
    h.ddbMock.on(QueryCommand).resolves({ Items: [item('clean'), item('pending')], ScannedCount: 2 });
    const res = await h.call('GET', '/admin/api/files', { query: { endpoint: 'acme', scope: 'endpoint', scan: 'clean,pending' } });
    expect(res.body.files.map((f: { scan: { state: string }; downloadable: boolean }) => [f.scan.state, f.downloadable])).toEqual([['clean', true], ['pending', false]]);
    expect(inputsOf<QueryCommandInput>(h.ddbMock, QueryCommand)[0]).toMatchObject({ FilterExpression: '(#scan IN (:scan0, :scan1))', ExpressionAttributeValues: { ':scan0': { S: 'clean' }, ':scan1': { S: 'pending' } } });
  });

  it('refuses an unknown scan state in the filter', async () => {
    const res = await harness().call('GET', '/admin/api/files', { query: { endpoint: 'acme', scan: 'clean,dirty' } });
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_scan_state']);
  });
});

describe('a file the catalog does not know yet (its Object Created event still on the way): the object\'s scan tag speaks', () => {
  /** No catalog entry (the mocked catalog's default), an object of 5 bytes, tagged as given. */
  function withObjectOnly(h: Harness, tags: Record<string, string>) {
    h.s3Mock.on(GetObjectTaggingCommand, { Key: KEY }).resolves({ TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) });
    h.s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 5, Metadata: { 'original-name': 'big.iso' } });
    h.s3Mock.on(PutObjectCommand).resolves({});
  }
  const tagReads = (h: Harness) => inputsOf<GetObjectTaggingCommandInput>(h.s3Mock, GetObjectTaggingCommand);

  it.each<MalwareScanMode>(['tag', 'block'])('with %s, an object GuardDuty tagged THREATS_FOUND: 409 file_infected for download and share, no URL, no audit', async (malwareScan) => {
    const h = harness({ settings: { malwareScan } });
    withObjectOnly(h, { GuardDutyMalwareScanStatus: 'THREATS_FOUND' });
    const download = await h.call('GET', '/admin/api/files/download', { query: { key: KEY } });
    const share = await h.call('POST', '/admin/api/files/share', { body: { key: KEY, expiresInSeconds: 60 } });
    expect([download.status, download.body?.error?.code, download.headers.location]).toEqual([409, 'file_infected', undefined]);
    expect([share.status, share.body?.error?.code]).toEqual([409, 'file_infected']);
    expect(auditEvents(h)).toEqual([]);
    expect(tagReads(h)).toEqual([{ Bucket: 'portal-bucket', Key: KEY }, { Bucket: 'portal-bucket', Key: KEY }]);
  });

  it.each<[string, Record<string, string>]>([
    ['clean', { GuardDutyMalwareScanStatus: 'NO_THREATS_FOUND' }],
    ['not scanned yet', {}],
    ['unsupported', { GuardDutyMalwareScanStatus: 'UNSUPPORTED' }],
  ])('with tag, a %s object is downloadable and shareable (the bucket refuses nothing in this mode)', async (_, tags) => {
    const h = harness({ settings: { malwareScan: 'tag' } });
    withObjectOnly(h, tags);
    const download = await h.call('GET', '/admin/api/files/download', { query: { key: KEY } });
    const share = await h.call('POST', '/admin/api/files/share', { body: { key: KEY, expiresInSeconds: 60 } });
    expect(download.status).toBe(302);
    expect(new URL(download.headers.location!).pathname).toBe(`/${KEY}`);
    expect(share.status).toBe(200);
    expect(auditEvents(h).map((a: { action: string }) => a.action)).toEqual(['file.downloaded', 'file.shared']);
  });

  it('with off, reads no tags: scanning is off, and downloads do not consult it', async () => {
    const h = harness({ settings: { malwareScan: 'off' } });
    withObjectOnly(h, { GuardDutyMalwareScanStatus: 'THREATS_FOUND' });
    expect((await h.call('GET', '/admin/api/files/download', { query: { key: KEY } })).status).toBe(302);
    expect(tagReads(h)).toEqual([]);
  });

  it('a missing object is still 404 file_not_found (NoSuchKey from the tag read is not an error of its own)', async () => {
    const h = harness({ settings: { malwareScan: 'tag' } });
    h.s3Mock.on(GetObjectTaggingCommand).rejects(noSuchKey());
    h.s3Mock.on(HeadObjectCommand).rejects(notFound());
    expect(await h.call('GET', '/admin/api/files/download', { query: { key: KEY } })).toMatchObject({ status: 404, body: { error: { code: 'file_not_found' } } });
  });

  it('a catalog entry decides without reading tags', async () => {
    const h = harness({ settings: { malwareScan: 'tag' } });
    withFile(h, 'clean');
    h.s3Mock.on(PutObjectCommand).resolves({});
    expect((await h.call('GET', '/admin/api/files/download', { query: { key: KEY } })).status).toBe(302);
    expect(tagReads(h)).toEqual([]);
  });
});

describe('POST /admin/api/files/release', () => {
  it('releases an unsupported file: audited with the reason first, tagged (keeping GuardDuty\'s verdict), recorded', async () => {
    const h = harness();
    withFile(h, 'unsupported');
    h.s3Mock.on(GetObjectTaggingCommand).resolves({ TagSet: [{ Key: 'GuardDutyMalwareScanStatus', Value: 'UNSUPPORTED' }] });
    h.ddbMock.on(UpdateItemCommand).resolves({});
    const res = await h.call('POST', '/admin/api/files/release', { body: { key: KEY, reason: 'Encrypted archive from our auditor, checked by hand' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key: KEY, downloadable: true, scan: { state: 'unsupported', release: { reason: 'Encrypted archive from our auditor, checked by hand', at: NOW.toISOString() } } });
    expect(auditEvents(h)).toEqual([expect.objectContaining({ action: 'file.released', target: KEY, details: expect.objectContaining({ reason: 'Encrypted archive from our auditor, checked by hand', state: 'unsupported' }) })]);
    expect(inputsOf<PutObjectTaggingCommandInput>(h.s3Mock, PutObjectTaggingCommand)).toEqual([
      expect.objectContaining({ Key: KEY, Tagging: { TagSet: [{ Key: 'GuardDutyMalwareScanStatus', Value: 'UNSUPPORTED' }, { Key: 'PortalScanRelease', Value: 'released' }] } }),
    ]);
    const [update] = inputsOf<UpdateItemCommandInput>(h.ddbMock, UpdateItemCommand);
    expect(update!.ConditionExpression).toContain('#scan = :state');
  });

  it('releases a never scanned file (stored before scanning was on): the release tag alone on its untagged object', async () => {
    const h = harness();
    withFile(h, 'not_scanned');
    h.ddbMock.on(UpdateItemCommand).resolves({});
    const res = await h.call('POST', '/admin/api/files/release', { body: { key: KEY, reason: 'Sent before scanning was on; the customer confirmed it' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key: KEY, downloadable: true, scan: { state: 'not_scanned', release: { reason: 'Sent before scanning was on; the customer confirmed it' } } });
    expect(auditEvents(h)).toEqual([expect.objectContaining({ action: 'file.released', target: KEY, details: expect.objectContaining({ state: 'not_scanned' }) })]);
    expect(inputsOf<PutObjectTaggingCommandInput>(h.s3Mock, PutObjectTaggingCommand)).toEqual([
      expect.objectContaining({ Key: KEY, Tagging: { TagSet: [{ Key: 'PortalScanRelease', Value: 'released' }] } }),
    ]);
    const [update] = inputsOf<UpdateItemCommandInput>(h.ddbMock, UpdateItemCommand);
    expect(update!.ExpressionAttributeValues).toMatchObject({ ':state': { S: 'not_scanned' } });
  });

  it.each<[string, () => Promise<unknown>]>([
    ['replaced by a new upload (another ETag)', async () => ({ ContentLength: 9, ETag: '"other"' })],
    ['deleted', async () => Promise.reject(notFound())],
  ])('an object %s between the checks and the tagging: the release tag is taken off again, 409 file_not_releasable, nothing recorded', async (_case, head) => {
    const h = harness();
    withFile(h, 'unsupported');
    h.s3Mock.on(GetObjectTaggingCommand).resolves({ TagSet: [{ Key: 'GuardDutyMalwareScanStatus', Value: 'UNSUPPORTED' }] });
    h.s3Mock.on(HeadObjectCommand).callsFake(head);
    h.ddbMock.on(UpdateItemCommand).resolves({});
    const res = await h.call('POST', '/admin/api/files/release', { body: { key: KEY, reason: 'Encrypted archive from our auditor, checked by hand' } });
    expect([res.status, res.body.error.code]).toEqual([409, 'file_not_releasable']);
    expect(inputsOf<PutObjectTaggingCommandInput>(h.s3Mock, PutObjectTaggingCommand).map((p) => p.Tagging!.TagSet)).toEqual([
      [{ Key: 'GuardDutyMalwareScanStatus', Value: 'UNSUPPORTED' }, { Key: 'PortalScanRelease', Value: 'released' }],
      [{ Key: 'GuardDutyMalwareScanStatus', Value: 'UNSUPPORTED' }],
    ]);
    expect(inputsOf(h.ddbMock, UpdateItemCommand)).toEqual([]);
  });

  it('reads the metadata of a file reconcile indexed from the listing alone, now that the release lets it: name and uploader written to the catalog', async () => {
    const h = harness();
    const path = catalogPath(KEY)!;
    const scan: FileScan = { state: 'unsupported', scannedAt: NOW.toISOString(), threats: [], release: null };
    const listedOnly = { name: 'big.iso', size: 5, uploadedAt: NOW.toISOString(), uploadedBy: null, contentType: null, etag: 'abc', checksum: null, metadataUnread: true };
    h.ddbMock.on(GetItemCommand, { Key: fileKey(path) }).resolves({ Item: entryItem(path, { kind: 'file', sequencer: null, counted: 5, pending: null, scan }, listedOnly, NOW) });
    h.s3Mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: KEY }] });
    h.s3Mock.on(GetObjectTaggingCommand).resolves({ TagSet: [{ Key: 'GuardDutyMalwareScanStatus', Value: 'UNSUPPORTED' }] });
    h.s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 5, ETag: '"abc"', LastModified: NOW, Metadata: buildObjectMetadata({ originalName: 'Big Image.iso', uploadedBy: 'bob@acme.example' }, 'big.iso') });
    h.ddbMock.on(UpdateItemCommand).resolves({});
    h.ddbMock.on(PutItemCommand).resolves({});
    const res = await h.call('POST', '/admin/api/files/release', { body: { key: KEY, reason: 'Encrypted archive from our auditor, checked by hand' } });
    expect(res.status).toBe(200);
    const [put] = inputsOf<PutItemCommandInput>(h.ddbMock, PutItemCommand);
    expect(put!.Item).toMatchObject({ name: { S: 'Big Image.iso' }, uploadedBy: { S: 'bob@acme.example' } });
    expect(put!.Item!.metadataUnread).toBeUndefined();
  });

  it('an object deleted between its check and the tag read: 404 file_not_found, nothing audited or tagged', async () => {
    const h = harness();
    withFile(h, 'unsupported');
    h.s3Mock.on(GetObjectTaggingCommand).rejects(noSuchKey());
    const res = await h.call('POST', '/admin/api/files/release', { body: { key: KEY, reason: 'Encrypted archive from our auditor, checked by hand' } });
    expect([res.status, res.body.error.code]).toEqual([404, 'file_not_found']);
    expect(inputsOf(h.s3Mock, PutObjectTaggingCommand)).toEqual([]);
    expect(auditEvents(h)).toEqual([]);
  });

  it('refuses a never scanned file with malwareScan off (nothing refuses its download): 409 file_not_releasable', async () => {
    const h = harness({ settings: { malwareScan: 'off' } });
    withFile(h, 'not_scanned');
    const res = await h.call('POST', '/admin/api/files/release', { body: { key: KEY, reason: 'I really want this file' } });
    expect([res.status, res.body.error.code]).toEqual([409, 'file_not_releasable']);
    expect(inputsOf(h.s3Mock, PutObjectTaggingCommand)).toEqual([]);
    expect(auditEvents(h)).toEqual([]);
  });

  it.each<[string, string, number, string]>([
    ['NO_THREATS_FOUND', 'clean', 409, 'file_not_releasable'],
    ['THREATS_FOUND', 'infected', 409, 'file_infected'],
  ])('a "never scanned" file whose object carries %s after all: records %s, releases nothing (%i %s)', async (status, state, code, error) => {
    const h = harness();
    withFile(h, 'not_scanned');
    h.s3Mock.on(GetObjectTaggingCommand).resolves({ TagSet: [{ Key: 'GuardDutyMalwareScanStatus', Value: status }] });
    h.ddbMock.on(UpdateItemCommand).resolves({});
    const res = await h.call('POST', '/admin/api/files/release', { body: { key: KEY, reason: 'Sent before scanning was on' } });
    expect([res.status, res.body.error.code]).toEqual([code, error]);
    expect(inputsOf(h.s3Mock, PutObjectTaggingCommand)).toEqual([]);
    expect(auditEvents(h)).toEqual([]);
    const [update] = inputsOf<UpdateItemCommandInput>(h.ddbMock, UpdateItemCommand);
    expect(Object.values(update!.ExpressionAttributeValues!)).toContainEqual({ S: state });
  });

  it.each<[ScanState, number, string]>([
    ['infected', 409, 'file_infected'],
    ['clean', 409, 'file_not_releasable'],
    ['pending', 409, 'file_not_releasable'],
  ])('refuses a %s file (%i %s) and changes nothing', async (state, status, code) => {
    const h = harness();
    withFile(h, state);
    const res = await h.call('POST', '/admin/api/files/release', { body: { key: KEY, reason: 'I really want this file' } });
    expect([res.status, res.body.error.code]).toEqual([status, code]);
    expect(inputsOf(h.s3Mock, PutObjectTaggingCommand)).toEqual([]);
    expect(auditEvents(h)).toEqual([]);
  });

  it.each([['short'], [''], ['x'.repeat(1001)]])('needs a reason of 10 to 1000 characters (%j)', async (reason) => {
    const res = await harness().call('POST', '/admin/api/files/release', { body: { key: KEY, reason } });
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_release_reason']);
  });
});

describe('deleting an infected file', () => {
  it('works although the bucket policy refuses to read it (existence by listing, not HeadObject)', async () => {
    const h = harness();
    withFile(h, 'infected');
    const res = await h.call('DELETE', '/admin/api/files', { query: { key: KEY } });
    expect(res.status).toBe(204);
    expect(auditEvents(h)).toEqual([expect.objectContaining({ action: 'file.deleting', target: KEY }), expect.objectContaining({ action: 'file.deleted', target: KEY })]);
  });

  describe('a minute after it was stored (small-file URLs may still be alive)', () => {
    /** The infected file, stored a minute ago, and its upload's reservation (`null`: none any more). */
    function storedAMinuteAgo(h: Harness, checksumAlgorithm: string | null | undefined) {
      withFile(h, 'infected');
      h.s3Mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: KEY, LastModified: new Date(NOW.getTime() - 60_000) }] });
      const reservation = { version: 1, key: KEY, endpoint: 'acme', kind: 'put', declaredSize: 5, uploadedBy: 'bob@acme.example', createdAt: NOW.toISOString(), checksumAlgorithm };
      const get = h.s3Mock.on(GetObjectCommand, { Key: reservationKey('acme', KEY) });
      if (checksumAlgorithm === undefined) get.rejects(noSuchKey());
      else get.resolves(objectBody(JSON.stringify(reservation)));
    }

    it('goes at once when its upload bound a checksum: a replayed URL could only store the same bytes', async () => {
      const h = harness();
      storedAMinuteAgo(h, 'CRC64NVME');
      expect((await h.call('DELETE', '/admin/api/files', { query: { key: KEY } })).status).toBe(204);
    });

    it.each([
      ['its URL bound no checksum (only the length)', null],
      ['its reservation is gone', undefined],
    ])('waits like any file when %s: 409 file_recently_uploaded, nothing deleted', async (_case, checksumAlgorithm) => {
      const h = harness();
      storedAMinuteAgo(h, checksumAlgorithm);
      expect(await h.call('DELETE', '/admin/api/files', { query: { key: KEY } })).toMatchObject({ status: 409, body: { error: { code: 'file_recently_uploaded' } } });
      expect(auditEvents(h)).toEqual([]);
    });
  });
});
