// An endpoint's pending digest in the catalog table: every arrival adds to one item (count, bytes, the
// first names, the uploaders, first and last arrival), and the notify Lambda takes it whole when the
// endpoint has been quiet long enough. Taking it is a delete conditional on the count it read, so of
// two consumers that read the same digest exactly one sends it, and an arrival that slips in between
// makes the delete fail (its own delayed check sends the grown digest later).
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { CATALOG_ATTRIBUTES as A } from '../../../contract/catalog-table.js';
import { DIGEST_NAME_LIMIT, DIGEST_UPLOADER_LIMIT } from '../../../contract/notifications.js';
import type { CatalogDb, Item } from '../../shared/catalog/catalog-db.js';

export interface Arrival {
  key: string;
  name: string;
  size: number;
  uploadedBy: string | null;
}

export interface PendingDigest {
  endpoint: string;
  fileCount: number;
  totalBytes: number;
  files: { name: string; key: string; size: number }[];
  uploaders: string[];
  firstArrivalAt: string;
  lastArrivalAt: string;
}

const fileValue = (file: { name: string; key: string; size: number }): AttributeValue => ({ M: { name: { S: file.name }, key: { S: file.key }, size: { N: String(file.size) } } });

export const digestKey = (endpoint: string): Item => ({ [A.pk]: { S: `#digest#${endpoint}` }, [A.sk]: { S: '#digest' } });

/**
 * Adds one arrival. The count, bytes, uploaders and last arrival always change (atomic ADD and SET);
 * the name joins the list only while it is shorter than DIGEST_NAME_LIMIT (a second, conditional
 * update), so the item stays small whatever the burst.
 */
export async function recordArrival(db: CatalogDb, endpoint: string, arrival: Arrival, now: Date): Promise<void> {
  const at = now.toISOString();
  const uploader: Item = arrival.uploadedBy ? { ':u': { SS: [arrival.uploadedBy] } } : {};
  await db.update(digestKey(endpoint), {
    expression: `SET #kind = :kind, #first = if_not_exists(#first, :at), #last = :at ADD #count :one, #bytes :size${arrival.uploadedBy ? ', #uploaders :u' : ''}`,
    names: { '#kind': A.kind, '#first': A.firstArrivalAt, '#last': A.lastArrivalAt, '#count': A.fileCount, '#bytes': A.totalBytes, ...(arrival.uploadedBy ? { '#uploaders': A.uploaders } : {}) },
    values: { ':kind': { S: 'digest' }, ':at': { S: at }, ':one': { N: '1' }, ':size': { N: String(arrival.size) }, ...uploader },
  });
  const file = fileValue(arrival);
  await db.update(
    digestKey(endpoint),
    { expression: 'SET #files = list_append(if_not_exists(#files, :empty), :file)', names: { '#files': A.digestFiles }, values: { ':empty': { L: [] }, ':file': { L: [file] } } },
    { expression: 'attribute_not_exists(#files) OR size(#files) < :limit', names: { '#files': A.digestFiles }, values: { ':limit': { N: String(DIGEST_NAME_LIMIT) } } },
  );
}

export async function readPendingDigest(db: CatalogDb, endpoint: string): Promise<PendingDigest | null> {
  const item = await db.get(digestKey(endpoint), true);
  const count = item?.[A.fileCount]?.N;
  if (!item || count === undefined) return null;
  const files = (item[A.digestFiles]?.L ?? []).flatMap((entry) => {
    const m = entry.M;
    return m?.name?.S !== undefined && m.key?.S !== undefined ? [{ name: m.name.S, key: m.key.S, size: Number(m.size?.N ?? 0) }] : [];
  });
  return {
    endpoint,
    fileCount: Number(count),
    totalBytes: Number(item[A.totalBytes]?.N ?? 0),
    files,
    uploaders: [...(item[A.uploaders]?.SS ?? [])].sort().slice(0, DIGEST_UPLOADER_LIMIT),
    firstArrivalAt: item[A.firstArrivalAt]?.S ?? '',
    lastArrivalAt: item[A.lastArrivalAt]?.S ?? '',
  };
}

/** Takes the digest as read: true for exactly one caller, false when it was taken or grew meanwhile. */
export function claimPendingDigest(db: CatalogDb, digest: PendingDigest): Promise<boolean> {
  return db.delete(digestKey(digest.endpoint), { expression: '#count = :count', names: { '#count': A.fileCount }, values: { ':count': { N: String(digest.fileCount) } } });
}

/** Puts a taken digest back (its sending failed): merged with whatever arrived since. */
export async function restorePendingDigest(db: CatalogDb, digest: PendingDigest, now: Date): Promise<void> {
  const first = digest.files[0];
  await db.update(digestKey(digest.endpoint), {
    expression: `SET #kind = :kind, #first = :first, #last = if_not_exists(#last, :last) ADD #count :count, #bytes :bytes${digest.uploaders.length ? ', #uploaders :u' : ''}`,
    names: { '#kind': A.kind, '#first': A.firstArrivalAt, '#last': A.lastArrivalAt, '#count': A.fileCount, '#bytes': A.totalBytes, ...(digest.uploaders.length ? { '#uploaders': A.uploaders } : {}) },
    values: {
      ':kind': { S: 'digest' },
      ':first': { S: digest.firstArrivalAt },
      ':last': { S: now.toISOString() },
      ':count': { N: String(digest.fileCount) },
      ':bytes': { N: String(digest.totalBytes) },
      ...(digest.uploaders.length ? { ':u': { SS: digest.uploaders } } : {}),
    },
  });
  if (first) {
    await db.update(
      digestKey(digest.endpoint),
      { expression: 'SET #files = :files', names: { '#files': A.digestFiles }, values: { ':files': { L: digest.files.map(fileValue) } } },
      { expression: 'attribute_not_exists(#files)', names: { '#files': A.digestFiles } },
    );
  }
}
