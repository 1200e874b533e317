// An endpoint's pending digest in the catalog table: every arrival adds to one item (count, bytes, the
// first names, each uploader's count, bytes and first names (digest-receipts.ts), first and last
// arrival), and the notify Lambda sends it when the endpoint has been quiet long enough. Sending is claim, send, settle, so that a function that stops half-way
// loses nothing (no transactions: dynalite has none):
//
//   claim:  the item is marked with the check's SQS message id and a lease, conditional on the count it
//           read and on nobody else's live claim: of two consumers exactly one sends. The same message
//           delivered again (the function died before settling) claims it again and sends it then.
//   settle: the item goes, conditional on the claim and the count it sent; when files arrived while it
//           was being sent, only what was sent is taken off (count, bytes, the names listed, each
//           uploader's part) and the rest waits for its own check, with the names and the uploaders of
//           those that arrived (a digest whose list of names was full keeps the names of arrivals during
//           its send apart, in `lateFiles`).
//   mailed: once the e-mails are out, the claim records what they covered (counts and how many names),
//           so that the same check delivered again (a later step failed, or the function stopped)
//           queues the webhook and settles that same digest without e-mailing it again.
//   release (sending failed): the claim goes; the digest is tried again after another quiet period.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { CATALOG_ATTRIBUTES as A, CATALOG_PARTITIONS } from '../../../contract/catalog-table.js';
import { DIGEST_NAME_LIMIT, DIGEST_UPLOADER_LIMIT } from '../../../contract/notifications.js';
import type { CatalogDb, Item } from '../../shared/catalog/catalog-db.js';
import { countWithUploader, readReceipts, remainingReceipts, updateExpression, type UpdateParts, type UploaderFiles } from './digest-receipts.js';

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
  /** The first DIGEST_UPLOADER_LIMIT uploaders, in order. */
  uploaders: string[];
  /** Each uploader's files, for their own receipt. */
  receipts: UploaderFiles[];
  firstArrivalAt: string;
  lastArrivalAt: string;
  /** Present when the claim's check has e-mailed the digest: the claim and the digest as it was e-mailed. */
  mailed?: { claimId: string; digest: PendingDigest };
}

/** What a claim e-mailed: counts and how many of the stored names, whose lists only grow at the end while it is claimed. */
interface MailedCounts {
  fileCount: number;
  totalBytes: number;
  names: number;
  uploaders: string[];
  receipts: { uploader: string; fileCount: number; totalBytes: number; names: number }[];
  firstArrivalAt: string;
  lastArrivalAt: string;
}

const fileValue = (file: { name: string; key: string; size: number }): AttributeValue => ({ M: { name: { S: file.name }, key: { S: file.key }, size: { N: String(file.size) } } });

export const digestKey = (endpoint: string): Item => ({ [A.pk]: { S: `${CATALOG_PARTITIONS.digest}${endpoint}` }, [A.sk]: { S: '#digest' } });

/**
 * Adds one arrival. The count, bytes, the uploader's part and last arrival always change, in one write
 * (atomic ADD and SET); the name joins the list only while it is shorter than DIGEST_NAME_LIMIT (a
 * second, conditional update), so the item stays small whatever the burst.
 */
export async function recordArrival(db: CatalogDb, endpoint: string, arrival: Arrival, now: Date): Promise<void> {
  const key = digestKey(endpoint);
  const counted: UpdateParts = {
    set: ['#kind = :kind', '#first = if_not_exists(#first, :at)', '#last = :at'],
    add: ['#count :one', '#bytes :size'],
    names: { '#kind': A.kind, '#first': A.firstArrivalAt, '#last': A.lastArrivalAt, '#count': A.fileCount, '#bytes': A.totalBytes },
    values: { ':kind': { S: 'digest' }, ':at': { S: now.toISOString() }, ':one': { N: '1' }, ':size': { N: String(arrival.size) } },
  };
  const withUploader = arrival.uploadedBy !== null && arrival.uploadedBy !== '' && (await countWithUploader(db, key, counted, arrival.uploadedBy, arrival));
  // No uploader known (a file written to the bucket directly), or one too many for the receipts.
  if (!withUploader) await db.update(key, { expression: updateExpression(counted), names: counted.names, values: counted.values });
  const file = { L: [fileValue(arrival)] };
  const limit = { N: String(DIGEST_NAME_LIMIT) };
  const listed = await db.update(
    digestKey(endpoint),
    { expression: 'SET #files = list_append(if_not_exists(#files, :empty), :file)', names: { '#files': A.digestFiles }, values: { ':empty': { L: [] }, ':file': file } },
    { expression: 'attribute_not_exists(#files) OR size(#files) < :limit', names: { '#files': A.digestFiles }, values: { ':limit': limit } },
  );
  if (listed) return;
  // The list is full. While a check is sending the digest, the name is kept apart: the files that
  // arrive now wait for the next digest, which would otherwise list none of them.
  await db.update(
    digestKey(endpoint),
    { expression: 'SET #late = list_append(if_not_exists(#late, :empty), :file)', names: { '#late': A.digestLateFiles }, values: { ':empty': { L: [] }, ':file': file } },
    {
      expression: 'attribute_exists(#claim) AND (attribute_not_exists(#late) OR size(#late) < :limit)',
      names: { '#claim': A.digestClaim, '#late': A.digestLateFiles },
      values: { ':limit': limit },
    },
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
  const receipts = readReceipts(item);
  // An item written before uploaders had parts of their own names them in a string set.
  const uploaders = receipts.length ? receipts.map((r) => r.uploader) : [...(item[A.uploaders]?.SS ?? [])].sort();
  const claimId = item[A.digestClaim]?.S;
  const mailed = claimId !== undefined ? mailedDigest(endpoint, item[A.digestMailed]?.S, files, receipts) : null;
  return {
    endpoint,
    fileCount: Number(count),
    totalBytes: Number(item[A.totalBytes]?.N ?? 0),
    files,
    uploaders: uploaders.slice(0, DIGEST_UPLOADER_LIMIT),
    receipts,
    firstArrivalAt: item[A.firstArrivalAt]?.S ?? '',
    lastArrivalAt: item[A.lastArrivalAt]?.S ?? '',
    ...(claimId !== undefined && mailed ? { mailed: { claimId, digest: mailed } } : {}),
  };
}

/** The digest as its claim e-mailed it: the recorded counts, and the first names of each list (arrivals since were appended after them). */
function mailedDigest(endpoint: string, recorded: string | undefined, files: PendingDigest['files'], receipts: UploaderFiles[]): PendingDigest | null {
  if (recorded === undefined) return null;
  const counts = JSON.parse(recorded) as MailedCounts;
  const byUploader = new Map(receipts.map((r) => [r.uploader, r]));
  return {
    endpoint,
    fileCount: counts.fileCount,
    totalBytes: counts.totalBytes,
    files: files.slice(0, counts.names),
    uploaders: counts.uploaders,
    receipts: counts.receipts.map((r) => ({ uploader: r.uploader, fileCount: r.fileCount, totalBytes: r.totalBytes, files: (byUploader.get(r.uploader)?.files ?? []).slice(0, r.names) })),
    firstArrivalAt: counts.firstArrivalAt,
    lastArrivalAt: counts.lastArrivalAt,
  };
}

/**
 * Records on the claim of `claimId` that `digest` has been e-mailed (false when the claim is no longer
 * its own: then a redelivery sends it again, as before).
 */
export function markDigestMailed(db: CatalogDb, digest: PendingDigest, claimId: string): Promise<boolean> {
  const counts: MailedCounts = {
    fileCount: digest.fileCount,
    totalBytes: digest.totalBytes,
    names: digest.files.length,
    uploaders: digest.uploaders,
    receipts: digest.receipts.map((r) => ({ uploader: r.uploader, fileCount: r.fileCount, totalBytes: r.totalBytes, names: r.files.length })),
    firstArrivalAt: digest.firstArrivalAt,
    lastArrivalAt: digest.lastArrivalAt,
  };
  return db.update(
    digestKey(digest.endpoint),
    { expression: 'SET #mailed = :mailed', names: { '#mailed': A.digestMailed }, values: { ':mailed': { S: JSON.stringify(counts) } } },
    { expression: '#claim = :id', names: { '#claim': A.digestClaim }, values: { ':id': { S: claimId } } },
  );
}

/** How long a claim keeps other checks away: longer than the notify function may run. */
export const DIGEST_CLAIM_MS = 15 * 60_000;

const claimNames = { '#count': A.fileCount, '#claim': A.digestClaim, '#until': A.digestClaimUntil };

/**
 * Claims the digest as read for the check `claimId` (its SQS message id): true when this check may send
 * it, false when it grew meanwhile or another check's claim is still alive.
 */
export function claimPendingDigest(db: CatalogDb, digest: PendingDigest, claimId: string, now: Date): Promise<boolean> {
  return db.update(
    digestKey(digest.endpoint),
    {
      // Late names of an earlier claim (one that died or failed) are of files this digest counts: dropped;
      // so is what that claim e-mailed: this claim e-mails everything.
      expression: 'SET #claim = :id, #until = :until REMOVE #late, #mailed',
      names: { '#claim': A.digestClaim, '#until': A.digestClaimUntil, '#late': A.digestLateFiles, '#mailed': A.digestMailed },
      values: { ':id': { S: claimId }, ':until': { S: new Date(now.getTime() + DIGEST_CLAIM_MS).toISOString() } },
    },
    {
      expression: '#count = :count AND (attribute_not_exists(#claim) OR #claim = :id OR #until < :now)',
      names: claimNames,
      values: { ':count': { N: String(digest.fileCount) }, ':id': { S: claimId }, ':now': { S: now.toISOString() } },
    },
  );
}

/**
 * Takes what was sent off the digest the check `claimId` claimed. 'done': nothing is left; 'more': files
 * arrived meanwhile and wait for their own check; 'lost': the claim had lapsed and another check took it.
 */
export async function settlePendingDigest(db: CatalogDb, sent: PendingDigest, claimId: string, now: Date): Promise<'done' | 'more' | 'lost'> {
  const key = digestKey(sent.endpoint);
  for (let attempt = 0; attempt < 8; attempt++) {
    const item = await db.get(key, true);
    if (!item || item[A.digestClaim]?.S !== claimId) return 'lost';
    const count = Number(item[A.fileCount]?.N ?? 0);
    const held = { '#claim': A.digestClaim, '#count': A.fileCount };
    const mine = { ':id': { S: claimId }, ':count': { N: String(count) } };
    if (count <= sent.fileCount) {
      if (await db.delete(key, { expression: '#claim = :id AND #count = :count', names: held, values: mine })) return 'done';
      continue;
    }
    // The names listed after the ones sent, then those kept apart while the list was full.
    const left = [...(item[A.digestFiles]?.L ?? []).slice(sent.files.length), ...(item[A.digestLateFiles]?.L ?? [])].slice(0, DIGEST_NAME_LIMIT);
    const updated = await db.update(
      key,
      {
        // The uploaders' parts go the same way: the next digest names only the uploaders of its own files.
        expression: 'SET #count = :left, #bytes = :bytesLeft, #files = :files, #receipts = :receipts, #first = :now REMOVE #claim, #until, #late, #uploaders, #mailed',
        names: {
          ...held,
          '#bytes': A.totalBytes,
          '#files': A.digestFiles,
          '#receipts': A.digestReceipts,
          '#first': A.firstArrivalAt,
          '#until': A.digestClaimUntil,
          '#late': A.digestLateFiles,
          '#uploaders': A.uploaders,
          '#mailed': A.digestMailed,
        },
        values: {
          ':left': { N: String(count - sent.fileCount) },
          ':bytesLeft': { N: String(Math.max(0, Number(item[A.totalBytes]?.N ?? 0) - sent.totalBytes)) },
          ':files': { L: left },
          ':receipts': remainingReceipts(item, sent.receipts),
          ':now': { S: now.toISOString() },
        },
      },
      { expression: '#claim = :id AND #count = :count', names: held, values: mine },
    );
    if (updated) return 'more';
  }
  throw new Error(`The pending digest of ${sent.endpoint} keeps changing`);
}

/**
 * Lets go of a claim whose sending failed: the digest stays as it is (grown or not) for the next try,
 * which counts the late arrivals too (their names were only kept for a digest of their own).
 */
export async function releasePendingDigest(db: CatalogDb, endpoint: string, claimId: string): Promise<void> {
  await db.update(
    digestKey(endpoint),
    { expression: 'REMOVE #claim, #until, #late, #mailed', names: { '#claim': A.digestClaim, '#until': A.digestClaimUntil, '#late': A.digestLateFiles, '#mailed': A.digestMailed } },
    { expression: '#claim = :id', names: { '#claim': A.digestClaim }, values: { ':id': { S: claimId } } },
  );
}
