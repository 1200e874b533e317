// Endpoint records in the bucket (`_portal/endpoints/<name>.json`): created with If-None-Match: *
// and replaced with If-Match: <etag>, so two admins can never silently overwrite each other.
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PortalError } from '../shared/errors.js';
import { readEndpointRecord, type EndpointRecord, type StoredEndpoint } from '../shared/endpoint-record.js';
import { ENDPOINTS_PREFIX, endpointRecordKey, isEndpointName } from '../../contract/bucket-layout.js';
import { mapLimit } from '../shared/concurrency.js';
import { isConditionalConflict, isObjectNotFound, isPreconditionFailed } from '../shared/s3-errors.js';

export const CONFLICT_MESSAGE = 'The endpoint was changed by someone else; reload and try again';

/**
 * The version (record ETag) the admin saw, when the request sent one: someone else's change since
 * then (a new login, a new expiry) is a 409, neither merged silently by a PATCH nor deleted unseen.
 */
export function assertVersionSeen(seen: string | null, current: string): void {
  if (seen !== null && seen !== current) throw new PortalError('conflict', CONFLICT_MESSAGE);
}

export class EndpointStore {
  /** Records by key, kept while their ETag is unchanged, so listing many endpoints costs one LIST when warm. */
  private readonly cache = new Map<string, StoredEndpoint>();

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async find(name: string): Promise<StoredEndpoint | null> {
    return readEndpointRecord(this.s3, this.bucket, name);
  }

  async get(name: string): Promise<StoredEndpoint> {
    const stored = await this.find(name);
    if (!stored) throw new PortalError('endpoint_not_found', `No endpoint named ${name}`);
    return stored;
  }

  /** 409 `endpoint_exists` when the name is taken, however close two creations are. */
  async create(record: EndpointRecord): Promise<StoredEndpoint> {
    try {
      const etag = await this.put(record, { IfNoneMatch: '*' });
      return { record, etag };
    } catch (error) {
      if (isPreconditionFailed(error) || isConditionalConflict(error)) throw new PortalError('endpoint_exists', `An endpoint named ${record.name} already exists`);
      throw error;
    }
  }

  /** Replaces the record only if it still has `etag`; otherwise 409 `conflict`. */
  async replace(record: EndpointRecord, etag: string): Promise<StoredEndpoint> {
    try {
      const newEtag = await this.put(record, { IfMatch: etag });
      return { record, etag: newEtag };
    } catch (error) {
      // 404: deleted meanwhile (S3 answers NoSuchKey to If-Match on a missing key).
      if (isPreconditionFailed(error) || isConditionalConflict(error) || isObjectNotFound(error)) throw new PortalError('conflict', CONFLICT_MESSAGE);
      throw error;
    }
  }

  async delete(name: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: endpointRecordKey(name) }));
    this.cache.delete(endpointRecordKey(name));
  }

  /** Every record. LIST pages of 1,000 keys; only new or changed records are fetched. */
  async list(): Promise<StoredEndpoint[]> {
    const keys: { key: string; etag: string }[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: ENDPOINTS_PREFIX, ContinuationToken: token, MaxKeys: 1000 }),
      );
      for (const item of page.Contents ?? []) {
        const name = item.Key?.slice(ENDPOINTS_PREFIX.length, -'.json'.length) ?? '';
        if (item.Key?.endsWith('.json') && isEndpointName(name)) keys.push({ key: item.Key, etag: item.ETag ?? '' });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);

    const live = new Set(keys.map((k) => k.key));
    for (const key of this.cache.keys()) if (!live.has(key)) this.cache.delete(key);

    const records = await mapLimit(keys, 16, async ({ key, etag }) => {
      const cached = this.cache.get(key);
      if (cached && etag && cached.etag === etag) return cached;
      const fresh = await this.fetch(key);
      if (fresh) this.cache.set(key, fresh);
      return fresh;
    });
    return records.filter((r): r is StoredEndpoint => r !== null);
  }

  private async fetch(key: string): Promise<StoredEndpoint | null> {
    try {
      const result = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const record = JSON.parse(await result.Body!.transformToString('utf8')) as EndpointRecord;
      return { record, etag: result.ETag ?? '' };
    } catch (error) {
      if (isObjectNotFound(error)) return null; // deleted between LIST and GET
      throw error;
    }
  }

  private async put(record: EndpointRecord, condition: { IfNoneMatch: string } | { IfMatch: string }): Promise<string> {
    const result = await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: endpointRecordKey(record.name),
        Body: JSON.stringify(record, null, 2),
        ContentType: 'application/json',
        ...condition,
      }),
    );
    this.cache.delete(endpointRecordKey(record.name));
    return result.ETag ?? '';
  }
}
