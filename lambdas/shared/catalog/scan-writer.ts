// Writes a file's malware scan into its catalog entry. A scan belongs to one object version, named by
// its ETag: a result for another version (an older upload that was replaced, or a newer one the catalog
// has not recorded yet) leaves the entry alone and says so, and the caller decides whether to retry.
// Results arrive at least once and in any order: the same result again is a duplicate; a different one
// for the same version (GuardDuty scanned it again) replaces it. Each write is conditional on the
// entry still describing that version.
import { CATALOG_ATTRIBUTES as A } from '../../../contract/catalog-table.js';
import { RELEASABLE_STATES, scanStateOf, type ScanResultStatus } from '../../../contract/malware-scan.js';
import type { CatalogDb, Expression, Item } from './catalog-db.js';
import { fileKey, scanAttributes, UNKNOWN_SCAN, type CatalogFile, type FileScan, type ScanRelease } from './catalog-items.js';
import type { CatalogPath } from './catalog-path.js';
import { readSettledEntry } from './entry-writer.js';

export interface ScanResult {
  /** The scanned version's ETag, without quotes. */
  etag: string;
  /** GuardDuty's verdict; the state also depends on the file's size (too_large). */
  status: ScanResultStatus;
  threats: string[];
  /** When the result arrived (ISO 8601). */
  at: string;
}

export type ScanOutcome =
  | { outcome: 'applied' | 'duplicate'; file: CatalogFile }
  /** No file entry at this key, or one for another version. */
  | { outcome: 'unmatched'; file: CatalogFile | null };

/** Attributes a scan may have set, removed when the new scan has none of them. */
const SCAN_ATTRIBUTES = [A.scanState, A.scannedAt, A.scanThreats, A.releasedBy, A.releasedAt, A.releaseReason] as const;

/** SET what the scan has, REMOVE what it does not. */
function scanUpdate(scan: FileScan): Expression {
  const values: Item = {};
  const names: Record<string, string> = {};
  const sets: string[] = [];
  const removes: string[] = [];
  const attributes = scanAttributes(scan);
  SCAN_ATTRIBUTES.forEach((name, i) => {
    names[`#s${i}`] = name;
    if (attributes[name]) {
      values[`:s${i}`] = attributes[name];
      sets.push(`#s${i} = :s${i}`);
    } else removes.push(`#s${i}`);
  });
  return { expression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`, names, values };
}

const sameVersion = (etag: string): Expression => ({ expression: '#etag = :etag AND #kind = :file', names: { '#etag': A.etag, '#kind': A.kind }, values: { ':etag': { S: etag }, ':file': { S: 'file' } } });

/** Records `result` on the entry of the version it is about. */
export async function applyScanResult(db: CatalogDb, path: CatalogPath, result: ScanResult): Promise<ScanOutcome> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const entry = await readSettledEntry(db, path);
    const file = entry?.file ?? null;
    if (!file || file.etag !== result.etag) return { outcome: 'unmatched', file };
    const current = file.scan;
    const state = scanStateOf(result.status, file.size);
    if (current.state === state && current.scannedAt !== null) return { outcome: 'duplicate', file };
    // A release stands as long as the file stays one that may be released.
    const release = current.release && RELEASABLE_STATES.includes(state) ? current.release : null;
    const scan: FileScan = { state, scannedAt: result.at, threats: state === 'infected' ? result.threats : [], release };
    if (await db.update(fileKey(path), scanUpdate(scan), sameVersion(result.etag))) return { outcome: 'applied', file: { ...file, scan } };
  }
  throw new Error(`The catalog entry of ${path.key} keeps changing`);
}

/**
 * Records an admin's release of the version `etag`; false when the entry is no longer that version
 * in a releasable state (the caller re-reads and answers accordingly).
 */
export async function recordRelease(db: CatalogDb, path: CatalogPath, etag: string, scan: FileScan, release: ScanRelease): Promise<boolean> {
  const condition = sameVersion(etag);
  condition.names!['#scan'] = A.scanState;
  condition.values![':state'] = { S: scan.state };
  condition.expression += ' AND #scan = :state';
  return db.update(fileKey(path), scanUpdate({ ...scan, release }), condition);
}

/**
 * Records that version `etag` will never get a verdict (reconcile: no scan tag long after it was
 * stored); true when that changed the entry. Made only while the entry is still that version and
 * pending, so a scan result recorded meanwhile stays, and one that arrives later replaces it
 * (`applyScanResult` writes any verdict over `not_scanned`). Running it again changes nothing.
 */
export async function recordNeverScanned(db: CatalogDb, path: CatalogPath, etag: string): Promise<boolean> {
  const condition = sameVersion(etag);
  condition.names!['#scan'] = A.scanState;
  condition.values![':pending'] = { S: 'pending' };
  condition.expression += ' AND #scan = :pending';
  return db.update(fileKey(path), scanUpdate(UNKNOWN_SCAN), condition);
}
