// Each uploader's part of a pending digest, for their receipt: a receipt covers only the files its
// uploader sent, never another customer's. The digest item keeps a map from uploader to {count, bytes,
// files: the first names and sizes}, at most DIGEST_RECEIPT_UPLOADER_LIMIT entries of at most
// DIGEST_RECEIPT_NAME_LIMIT names (twice that while a digest is being sent: the names of files arriving
// then wait for the next receipt), so the item stays small whatever the burst.
//
// An arrival's uploader entry changes in the same write as the digest's own count and bytes (and, while
// the entry has room, with the file's name), so a claim reads both or neither: what each receipt counts
// adds up to what the admins' digest counts, and settling takes off exactly what each receipt said.
// DynamoDB cannot ADD into a map entry that does not exist, so the first file of an uploader first makes
// the map and the entry (writes that change no count), then counts.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { CATALOG_ATTRIBUTES as A } from '../../../contract/catalog-table.js';
import { DIGEST_RECEIPT_NAME_LIMIT, DIGEST_RECEIPT_UPLOADER_LIMIT } from '../../../contract/notifications.js';
import { isValidationError, type CatalogDb, type Item } from '../../shared/catalog/catalog-db.js';

/** One uploader's files in a digest. `files` as stored (a receipt lists the first DIGEST_RECEIPT_NAME_LIMIT). */
export interface UploaderFiles {
  uploader: string;
  fileCount: number;
  totalBytes: number;
  files: { name: string; size: number }[];
}

/** The parts of an UpdateExpression, so that an uploader's part can join the digest's own. */
export interface UpdateParts {
  set: string[];
  add: string[];
  names: Record<string, string>;
  values: Item;
}

export const updateExpression = (parts: Pick<UpdateParts, 'set' | 'add'>): string =>
  [parts.set.length ? `SET ${parts.set.join(', ')}` : '', parts.add.length ? `ADD ${parts.add.join(', ')}` : ''].filter(Boolean).join(' ');

/** Field names inside an uploader's entry. */
const F = { count: 'count', bytes: 'bytes', files: 'files' } as const;

const fileValue = (file: { name: string; size: number }): AttributeValue => ({ M: { name: { S: file.name }, size: { N: String(file.size) } } });

const entryValue = (entry: Omit<UploaderFiles, 'uploader'>): AttributeValue => ({
  M: { [F.count]: { N: String(entry.fileCount) }, [F.bytes]: { N: String(entry.totalBytes) }, [F.files]: { L: entry.files.map(fileValue) } },
});

function parseEntry(uploader: string, value: AttributeValue): UploaderFiles {
  const m = value.M ?? {};
  const files = (m[F.files]?.L ?? []).flatMap((entry) => (entry.M?.name?.S !== undefined ? [{ name: entry.M.name.S, size: Number(entry.M.size?.N ?? 0) }] : []));
  return { uploader, fileCount: Number(m[F.count]?.N ?? 0), totalBytes: Number(m[F.bytes]?.N ?? 0), files };
}

/** The uploaders' parts of a digest item, by uploader; entries that count nothing are left out. */
export function readReceipts(item: Item): UploaderFiles[] {
  return Object.entries(item[A.digestReceipts]?.M ?? {})
    .map(([uploader, value]) => parseEntry(uploader, value))
    .filter((entry) => entry.fileCount > 0)
    .sort((a, b) => (a.uploader < b.uploader ? -1 : a.uploader > b.uploader ? 1 : 0));
}

/**
 * What is left of each uploader's part once `sent` went out: the counts and bytes less what was sent,
 * the names after those sent (the files that arrived during the send). Uploaders with nothing left are
 * dropped, so the next digest names only the uploaders of its own files.
 */
export function remainingReceipts(item: Item, sent: readonly UploaderFiles[]): AttributeValue {
  const sentBy = new Map(sent.map((entry) => [entry.uploader, entry]));
  const left: Record<string, AttributeValue> = {};
  for (const [uploader, value] of Object.entries(item[A.digestReceipts]?.M ?? {})) {
    const now = parseEntry(uploader, value);
    const was = sentBy.get(uploader);
    const fileCount = now.fileCount - (was?.fileCount ?? 0);
    if (fileCount <= 0) continue;
    left[uploader] = entryValue({
      fileCount,
      totalBytes: Math.max(0, now.totalBytes - (was?.totalBytes ?? 0)),
      files: now.files.slice(was?.files.length ?? 0).slice(0, DIGEST_RECEIPT_NAME_LIMIT),
    });
  }
  return { M: left };
}

/** A conditional update into an uploader's entry: false when the condition fails. */
async function updateEntry(db: CatalogDb, key: Item, parts: UpdateParts, condition: string): Promise<boolean> {
  try {
    return await db.update(key, { expression: updateExpression(parts), names: parts.names, values: parts.values }, { expression: condition });
  } catch (error) {
    // The conditions name the entry, so a missing one fails them first; should a store check the path
    // before the condition, its refusal means the same.
    if (isValidationError(error) && /document path/i.test((error as Error).message)) return false;
    throw error;
  }
}

/**
 * Counts an arrival (`counted`: the digest's own SET and ADD parts) together with its uploader's entry.
 * false when the digest already keeps DIGEST_RECEIPT_UPLOADER_LIMIT other uploaders: the caller then
 * counts the file for the admins' digest alone.
 */
export async function countWithUploader(db: CatalogDb, key: Item, counted: UpdateParts, uploader: string, file: { name: string; size: number }): Promise<boolean> {
  const entry = { '#receipts': A.digestReceipts, '#u': uploader };
  const count: UpdateParts = {
    set: counted.set,
    add: [...counted.add, '#receipts.#u.#uc :uone', '#receipts.#u.#ub :usize'],
    names: { ...counted.names, ...entry, '#uc': F.count, '#ub': F.bytes },
    values: { ...counted.values, ':uone': { N: '1' }, ':usize': { N: String(file.size) } },
  };
  const named: UpdateParts = {
    set: [...count.set, '#receipts.#u.#uf = list_append(#receipts.#u.#uf, :ufile)'],
    add: count.add,
    names: { ...count.names, '#uf': F.files, '#claim': A.digestClaim },
    values: { ...count.values, ':ufile': { L: [fileValue(file)] }, ':ulimit': { N: String(DIGEST_RECEIPT_NAME_LIMIT) }, ':usending': { N: String(2 * DIGEST_RECEIPT_NAME_LIMIT) } },
  };
  const hasRoom = 'attribute_exists(#receipts.#u) AND (size(#receipts.#u.#uf) < :ulimit OR (attribute_exists(#claim) AND size(#receipts.#u.#uf) < :usending))';
  const exists = 'attribute_exists(#receipts.#u)';
  for (let round = 0; round < 3; round++) {
    // Counted and named in one write while the entry has room for the name; else counted only.
    if (await updateEntry(db, key, named, hasRoom)) return true;
    if (await updateEntry(db, key, count, exists)) return true;
    // No entry (the uploader's first file, or a digest settled meanwhile and replaced the map): the map
    // first, then the entry, unless the map is full.
    await db.update(key, { expression: 'SET #receipts = if_not_exists(#receipts, :none)', names: { '#receipts': A.digestReceipts }, values: { ':none': { M: {} } } });
    const made = await updateEntry(
      db,
      key,
      { set: ['#receipts.#u = :empty'], add: [], names: entry, values: { ':empty': entryValue({ fileCount: 0, totalBytes: 0, files: [] }), ':uploaders': { N: String(DIGEST_RECEIPT_UPLOADER_LIMIT) } } },
      'attribute_not_exists(#receipts.#u) AND size(#receipts) < :uploaders',
    );
    if (!made && !(await db.get(key, true))?.[A.digestReceipts]?.M?.[uploader]) return false;
  }
  return false;
}
