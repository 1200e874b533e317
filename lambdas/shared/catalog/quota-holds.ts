// Quota holds: what uploads in progress may still store, reserved atomically in the catalog table so
// that uploads racing for the last of a quota cannot all be admitted.
//
// An endpoint's usage item counts what the catalog holds (files that landed and were catalogued). An
// upload is admitted only when the catalog's bytes, plus the bytes held for uploads in progress, plus
// its own fit the quota. The held bytes are one attribute on one item (`reserved`), raised with a
// conditional ADD that holds only while the result stays within the quota: DynamoDB applies the
// conditional updates of one item one after another, so of 20 uploads racing for room for 3, exactly
// 3 get in. No transactions (dynalite has none): each hold applies at most once through its id in
// the item's `holds` set (like the usage counters), and every step can be repeated.
//
//   admit:   hold item (state open) -> the login's open-upload set (size below the cap) -> `reserved` ADD
//            -> `reserved` and usage read again, the ADD undone if a sweep raced it (see reserve)
//   land:    completion or a small file's PUT signed: state landed, the login's slot freed; the bytes
//            stay held until the catalog counts the file (else they would count nowhere for a moment)
//   release: abort, or a hold found past its deadline or counted by the catalog (sweep): the ADDs
//            undone (each only if its id is still there), then the hold item deleted
//
// A sweep runs when an upload would be refused, so stale holds (an upload the lifecycle rule aborted,
// a small file's URL that expired unused, a file the catalog has counted) never block one for long.
// Every landed hold stays in `holds` until a sweep, and an endpoint without a quota is never refused:
// so an admission also sweeps once the set is large (at most once a minute per endpoint, one admission
// chosen by a conditional write), and the set has a hard cap (`maxHolds`) well below DynamoDB's 400 KB
// item, which an admission past it meets as 'too_many_holds' after a sweep.
// A refusal for too many open uploads also lets go of the login's holds whose upload S3 no longer has
// (the caller's `ended` asks S3), then tries once more: an upload that ended never causes a refusal by itself.
import { CATALOG_ATTRIBUTES as A, CATALOG_PARTITIONS as P } from '../../../contract/catalog-table.js';
import type { CatalogDb, Item } from './catalog-db.js';
import { catalogPath } from './catalog-path.js';
import { fileKey, readUsage, usageKey } from './catalog-items.js';
import { mapLimit } from '../concurrency.js';

export interface QuotaLimits {
  quotaBytes: number | null;
  quotaFiles: number | null;
}

export interface Hold {
  id: string;
  endpoint: string;
  /** Whose open-upload slot it takes (lower case); null for a small file's PUT, which takes none. */
  login: string | null;
  bytes: number;
  files: number;
}

export interface StoredHold extends Hold {
  state: 'open' | 'landed';
  key: string | null;
  /** A multipart upload's S3 upload id, once `bind` recorded it. */
  uploadId: string | null;
  createdAt: string;
  releaseAfter: string;
}

/** An open multipart upload as its hold records it. */
export interface HeldUpload {
  holdId: string;
  key: string;
  uploadId: string;
  createdAt: string;
}

/** Bytes and files the catalog counts, and those held for uploads not counted yet. */
export interface QuotaUse {
  usedBytes: number;
  usedFiles: number;
  reservedBytes: number;
  reservedFiles: number;
}

/** 'too_many_holds': the endpoint already has `maxHolds` uploads in progress or waiting for the catalog. */
export type AdmitResult = 'admitted' | 'quota_exceeded' | 'too_many_open_uploads' | 'too_many_holds';

/** How many holds an endpoint may have, and when an admission sweeps them. */
export interface HoldBounds {
  /** Live holds per endpoint (ids in the `reserved` item's set). */
  maxHolds: number;
  /** From this many holds on, an admission sweeps the endpoint... */
  sweepFrom: number;
  /** ...unless another did less than this long ago. */
  sweepEveryMs: number;
}

/**
 * 2,000 ids of 36 characters make about 75 KB of the `reserved` item (DynamoDB refuses items over
 * 400 KB, about 11,000 such ids) and a sweep of at most a few thousand calls; far more than a login's
 * open uploads (20 by default) times the logins of an endpoint, plus an hour of small files landing.
 * From 200 holds an admission sweeps, at most once a minute: a steady stream of small files keeps
 * the set near 200 plus a minute's admissions, and /api/me never meets thousands at once.
 */
export const DEFAULT_HOLD_BOUNDS: HoldBounds = { maxHolds: 2_000, sweepFrom: 200, sweepEveryMs: 60_000 };

/** Holds released at once by a sweep: each is 4-5 sequential calls; one by one, thousands took minutes. */
const SWEEP_CONCURRENCY = 8;

/** Whether an open upload has ended without its hold (S3 no longer has it). */
export type UploadEnded = (upload: HeldUpload) => Promise<boolean>;

const reservedKey = (endpoint: string): Item => ({ [A.pk]: { S: `${P.reserved}${endpoint}` }, [A.sk]: { S: '#reserved' } });
const holdKey = (endpoint: string, id: string): Item => ({ [A.pk]: { S: `${P.hold}${endpoint}` }, [A.sk]: { S: id } });
const openKey = (endpoint: string, login: string): Item => ({ [A.pk]: { S: `${P.open}${endpoint}` }, [A.sk]: { S: login } });
const num = (item: Item | null, name: string): number => Number(item?.[name]?.N ?? 0);

/** What is left of a quota (never negative); null = no quota. */
export function leftOf(quota: number | null, used: number, reserved: number): number | null {
  return quota === null ? null : Math.max(0, quota - used - reserved);
}

export class QuotaHolds {
  constructor(
    private readonly db: CatalogDb,
    /** Open multipart uploads per login. */
    private readonly maxOpenPerLogin: number,
    private readonly bounds: HoldBounds = DEFAULT_HOLD_BOUNDS,
  ) {}

  /** Live holds the endpoint may have at once. */
  get maxHolds(): number {
    return this.bounds.maxHolds;
  }

  /**
   * What the endpoint uses as the catalog counts it, plus what is held. A landed file's hold lasts
   * until a sweep sees the catalog count it, so for a moment the file counts twice here: enough for
   * admission, which sweeps before it refuses; a figure shown to people or a refusal uses `useNow`.
   */
  async use(endpoint: string): Promise<QuotaUse> {
    const [usage, reserved] = await Promise.all([this.db.get(usageKey(endpoint)), this.db.get(reservedKey(endpoint))]);
    const counted = readUsage(usage);
    return {
      usedBytes: counted?.totalBytes ?? 0,
      usedFiles: counted?.fileCount ?? 0,
      reservedBytes: num(reserved, A.reservedBytes),
      reservedFiles: num(reserved, A.reservedFiles),
    };
  }

  /** `use` after a sweep: each file counted once (`keep`: a hold the sweep must leave, the caller's own). */
  async useNow(endpoint: string, now: Date, keep?: string): Promise<QuotaUse> {
    await this.sweep(endpoint, now, keep);
    return this.use(endpoint);
  }

  /**
   * Admits `hold` or says why not. A refusal sweeps the endpoint's stale holds and tries once more.
   * `releaseAfter`: when a hold still open is taken to be dead (the lifecycle rule has aborted it).
   * `ended`: given, a refusal for too many open uploads releases the login's holds whose upload has
   * ended (see releaseEnded) and, if there were any, tries once more (sweeping again on a refusal).
   * Every try goes through the same atomic steps, so a retry admits nothing the quota has no room for;
   * a hold still refused at the end, or whose admission failed on the way (an error thrown), is released.
   * An admitted hold may sweep the endpoint as well (sweepIfDue), so that landed holds do not pile up.
   */
  async admit(hold: Hold, limits: QuotaLimits, releaseAfter: Date, now: Date, ended?: UploadEnded): Promise<AdmitResult> {
    await this.db.put({
      ...holdKey(hold.endpoint, hold.id),
      [A.holdBytes]: { N: String(hold.bytes) },
      [A.holdFiles]: { N: String(hold.files) },
      ...(hold.login ? { [A.holdLogin]: { S: hold.login } } : {}),
      [A.holdState]: { S: 'open' },
      [A.createdAt]: { S: now.toISOString() },
      [A.releaseAfter]: { S: releaseAfter.toISOString() },
    });
    let result: AdmitResult | null = null;
    try {
      result = await this.tryAdmitOrSweep(hold, limits, now);
      // A slot may be held for an upload S3 no longer has: let those go, and try once more.
      if (result === 'too_many_open_uploads' && hold.login !== null && ended && (await this.releaseEnded(hold.endpoint, hold.login, ended)).released > 0) {
        result = await this.tryAdmitOrSweep(hold, limits, now);
      }
    } finally {
      // Refused, or a step failed (S3 asked about an ended upload, say): nothing of this hold stays.
      if (result !== 'admitted') await this.release(hold.endpoint, hold.id);
    }
    // Best effort: the admission stands whatever happens here; holds a failed sweep leaves wait for
    // the next one, and the cap bounds them meanwhile.
    if (result === 'admitted') await this.sweepIfDue(hold.endpoint, now, hold.id).catch(() => 0);
    return result;
  }

  /**
   * Sweeps when the endpoint has `sweepFrom` holds or more and no sweep was claimed in the last
   * `sweepEveryMs`: the conditional SET of `sweptAt` picks one admission of those racing to do it.
   */
  private async sweepIfDue(endpoint: string, now: Date, keep: string): Promise<number> {
    const claimed = await this.db.update(
      reservedKey(endpoint),
      { expression: 'SET #swept = :now', values: { ':now': { S: now.toISOString() } } },
      {
        expression: 'size(#holds) >= :from AND (attribute_not_exists(#swept) OR #swept <= :due)',
        names: { '#holds': A.holds, '#swept': A.sweptAt },
        values: { ':from': { N: String(this.bounds.sweepFrom) }, ':due': { S: new Date(now.getTime() - this.bounds.sweepEveryMs).toISOString() } },
      },
    );
    return claimed ? this.sweep(endpoint, now, keep) : 0;
  }

  /** One try, and on a refusal another after a sweep that released something. */
  private async tryAdmitOrSweep(hold: Hold, limits: QuotaLimits, now: Date): Promise<AdmitResult> {
    const result = await this.tryAdmit(hold, limits);
    if (result !== 'admitted' && (await this.sweep(hold.endpoint, now, hold.id)) > 0) return this.tryAdmit(hold, limits);
    return result;
  }

  private async tryAdmit(hold: Hold, limits: QuotaLimits): Promise<AdmitResult> {
    if (hold.login !== null && !(await this.takeSlot(hold.endpoint, hold.login, hold.id))) return 'too_many_open_uploads';
    const reserved = await this.reserve(hold, limits);
    if (reserved !== 'admitted') {
      if (hold.login !== null) await this.freeSlot(hold.endpoint, hold.login, hold.id);
      return reserved;
    }
    return 'admitted';
  }

  private async takeSlot(endpoint: string, login: string, id: string): Promise<boolean> {
    return this.db.update(
      openKey(endpoint, login),
      { expression: 'ADD #open :ids', names: { '#open': A.openUploads }, values: { ':ids': { SS: [id] } } },
      // Already in the set (a repeated step) counts as taken.
      {
        expression: 'attribute_not_exists(#open) OR size(#open) < :max OR contains(#open, :id)',
        names: { '#open': A.openUploads },
        values: { ':max': { N: String(this.maxOpenPerLogin) }, ':id': { S: id } },
      },
    );
  }

  private async freeSlot(endpoint: string, login: string, id: string): Promise<void> {
    await this.db.update(openKey(endpoint, login), { expression: 'DELETE #open :ids', names: { '#open': A.openUploads }, values: { ':ids': { SS: [id] } } });
  }

  /**
   * The atomic step, then a check of what it admitted. The catalog's usage is read first, and the ADD's
   * condition holds `reserved` to the room that usage leaves. Between the read and the ADD a sweep may
   * release the hold of a file the catalog has just counted: `reserved` then drops by that file's size
   * while the usage read does not include it, and the condition would admit up to one file too much.
   * So once the ADD is applied, `reserved` and then the usage are read again, and a hold that no longer
   * fits is undone (refused; admit sweeps and tries once more).
   *
   * Guaranteed: an admitted hold fitted the quota together with every hold added before it and every
   * file counted, when it was checked. `reserved` is read before the usage because a file is counted
   * before a sweep releases its hold: each landed file is then in one figure or both, never neither. A
   * hold added after the check is checked with this one in `reserved`. Two admissions racing a sweep may
   * both undo where one would have fitted: a refusal too many, never an overshoot.
   */
  private async reserve(hold: Hold, limits: QuotaLimits): Promise<'admitted' | 'quota_exceeded' | 'too_many_holds'> {
    const usage = readUsage(await this.db.get(usageKey(hold.endpoint)));
    // The cap keeps the item far below DynamoDB's 400 KB, with or without a quota.
    const conditions = ['NOT contains(#holds, :id)', '(attribute_not_exists(#holds) OR size(#holds) < :maxHolds)'];
    const values: Item = { ':id': { S: hold.id }, ':maxHolds': { N: String(this.bounds.maxHolds) } };
    if (limits.quotaBytes !== null) {
      const room = limits.quotaBytes - (usage?.totalBytes ?? 0) - hold.bytes;
      if (room < 0) return 'quota_exceeded';
      conditions.push('(attribute_not_exists(#rb) OR #rb <= :roomBytes)');
      values[':roomBytes'] = { N: String(room) };
    }
    if (limits.quotaFiles !== null) {
      const room = limits.quotaFiles - (usage?.fileCount ?? 0) - hold.files;
      if (room < 0) return 'quota_exceeded';
      conditions.push('(attribute_not_exists(#rf) OR #rf <= :roomFiles)');
      values[':roomFiles'] = { N: String(room) };
    }
    const applied = await this.db.update(
      reservedKey(hold.endpoint),
      { expression: 'ADD #rb :bytes, #rf :files, #holds :ids', values: { ':bytes': { N: String(hold.bytes) }, ':files': { N: String(hold.files) }, ':ids': { SS: [hold.id] } } },
      { expression: conditions.join(' AND '), names: { '#rb': A.reservedBytes, '#rf': A.reservedFiles, '#holds': A.holds }, values },
    );
    if (!applied) {
      // Not applied: perhaps by an earlier attempt of this same step; else the cap or the quota refused it.
      const ids = (await this.db.get(reservedKey(hold.endpoint)))?.[A.holds]?.SS ?? [];
      if (!ids.includes(hold.id)) return ids.length >= this.bounds.maxHolds ? 'too_many_holds' : 'quota_exceeded';
    }
    if (limits.quotaBytes === null && limits.quotaFiles === null) return 'admitted';
    if (await this.fitsNow(hold.endpoint, limits)) return 'admitted';
    await this.unreserve(hold.endpoint, hold.id, hold.bytes, hold.files);
    return 'quota_exceeded';
  }

  /** Whether what the catalog counts plus what is held fits the quota now (`reserved` read first; see reserve). */
  private async fitsNow(endpoint: string, limits: QuotaLimits): Promise<boolean> {
    const reserved = await this.db.get(reservedKey(endpoint));
    const usage = readUsage(await this.db.get(usageKey(endpoint)));
    if (limits.quotaBytes !== null && (usage?.totalBytes ?? 0) + num(reserved, A.reservedBytes) > limits.quotaBytes) return false;
    if (limits.quotaFiles !== null && (usage?.fileCount ?? 0) + num(reserved, A.reservedFiles) > limits.quotaFiles) return false;
    return true;
  }

  /** Takes a hold's bytes and files out of `reserved`, once (only while its id is still in the set). */
  private async unreserve(endpoint: string, id: string, bytes: number, files: number): Promise<void> {
    await this.db.update(
      reservedKey(endpoint),
      { expression: 'ADD #rb :bytes, #rf :files DELETE #holds :ids', values: { ':bytes': { N: String(-bytes) }, ':files': { N: String(-files) }, ':ids': { SS: [id] } } },
      { expression: 'contains(#holds, :id)', names: { '#rb': A.reservedBytes, '#rf': A.reservedFiles, '#holds': A.holds }, values: { ':id': { S: id } } },
    );
  }

  /** Records the multipart upload a hold is for, once S3 has created it (so `openUploads` can list it). */
  async bind(endpoint: string, id: string, key: string, uploadId: string): Promise<void> {
    await this.db.update(
      holdKey(endpoint, id),
      { expression: 'SET #key = :key, #upload = :upload', names: { '#key': A.key, '#upload': A.holdUploadId }, values: { ':key': { S: key }, ':upload': { S: uploadId } } },
      // Not once it has landed (a completion racing ahead), nor for a hold already released.
      { expression: '#state = :open', names: { '#state': A.holdState }, values: { ':open': { S: 'open' } } },
    );
  }

  /** The login's open multipart uploads whose key and upload id are recorded, oldest first. */
  async openUploads(endpoint: string, login: string): Promise<HeldUpload[]> {
    // The login's slots name its open holds: no need to read every hold of the endpoint.
    const ids = (await this.db.get(openKey(endpoint, login)))?.[A.openUploads]?.SS ?? [];
    const uploads: HeldUpload[] = [];
    for (const hold of await Promise.all(ids.map((id) => this.read(endpoint, id)))) {
      if (hold?.state === 'open' && hold.login === login && hold.key && hold.uploadId) uploads.push({ holdId: hold.id, key: hold.key, uploadId: hold.uploadId, createdAt: hold.createdAt });
    }
    return uploads.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /**
   * Releases the login's open holds whose upload has ended without them (`ended` asks S3): aborted
   * or completed by a request that died before it released the hold. Answers how many it released,
   * and the uploads still open.
   */
  async releaseEnded(endpoint: string, login: string, ended: UploadEnded): Promise<{ released: number; open: HeldUpload[] }> {
    const open: HeldUpload[] = [];
    let released = 0;
    for (const upload of await this.openUploads(endpoint, login)) {
      if (await ended(upload)) {
        await this.release(endpoint, upload.holdId);
        released++;
      } else open.push(upload);
    }
    return { released, open };
  }

  /** The hold of an upload that completed (or a small file whose URL was signed): its login slot is free; its bytes wait for the catalog. */
  async land(endpoint: string, id: string, key: string, releaseAfter: Date): Promise<void> {
    const stored = await this.read(endpoint, id);
    if (!stored) return;
    await this.db.update(holdKey(endpoint, id), {
      expression: 'SET #state = :landed, #key = :key, #after = :after',
      names: { '#state': A.holdState, '#key': A.key, '#after': A.releaseAfter },
      values: { ':landed': { S: 'landed' }, ':key': { S: key }, ':after': { S: releaseAfter.toISOString() } },
    }, { expression: 'attribute_exists(#state)', names: { '#state': A.holdState } });
    if (stored.login) await this.freeSlot(endpoint, stored.login, id);
  }

  /** Undoes a hold entirely (abort, or a stale hold); repeating it changes nothing. */
  async release(endpoint: string, id: string): Promise<void> {
    const stored = await this.read(endpoint, id);
    if (!stored) return;
    await this.unreserve(endpoint, id, stored.bytes, stored.files);
    if (stored.login) await this.freeSlot(endpoint, stored.login, id);
    await this.db.delete(holdKey(endpoint, id));
  }

  async read(endpoint: string, id: string): Promise<StoredHold | null> {
    const item = await this.db.get(holdKey(endpoint, id));
    return item ? toHold(endpoint, item) : null;
  }

  /**
   * Releases the endpoint's stale holds: past their deadline, or landed and counted by the catalog.
   * Returns how many it released. `keep`: the hold being admitted, never swept.
   */
  async sweep(endpoint: string, now: Date, keep?: string): Promise<number> {
    let released = 0;
    for await (const page of this.holdPages(endpoint)) {
      const stale = await mapLimit(page, SWEEP_CONCURRENCY, async (hold) => {
        if (hold.id === keep || !(Date.parse(hold.releaseAfter) <= now.getTime() || (hold.state === 'landed' && hold.key && (await this.isCounted(hold.key))))) return false;
        await this.release(endpoint, hold.id);
        return true;
      });
      released += stale.filter(Boolean).length;
    }
    return released;
  }

  /** Every hold of the endpoint, a page at a time (consistent reads). */
  private async *holdPages(endpoint: string): AsyncGenerator<StoredHold[]> {
    let startKey: Item | undefined;
    do {
      const page = await this.db.query({
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': A.pk },
        ExpressionAttributeValues: { ':pk': { S: `${P.hold}${endpoint}` } },
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      });
      yield page.items.map((item) => toHold(endpoint, item));
      startKey = page.lastKey;
    } while (startKey);
  }

  /** Whether the catalog counts the file at `key` in its endpoint's usage (no change pending). */
  private async isCounted(key: string): Promise<boolean> {
    const path = catalogPath(key);
    if (!path) return false;
    const item = await this.db.get(fileKey(path));
    return item !== null && item[A.counted] !== undefined && item[A.pendingId] === undefined;
  }
}

function toHold(endpoint: string, item: Item): StoredHold {
  return {
    id: item[A.sk]?.S ?? '',
    endpoint,
    login: item[A.holdLogin]?.S ?? null,
    bytes: num(item, A.holdBytes),
    files: num(item, A.holdFiles),
    state: item[A.holdState]?.S === 'landed' ? 'landed' : 'open',
    key: item[A.key]?.S ?? null,
    uploadId: item[A.holdUploadId]?.S ?? null,
    createdAt: item[A.createdAt]?.S ?? new Date(0).toISOString(),
    releaseAfter: item[A.releaseAfter]?.S ?? new Date(0).toISOString(),
  };
}
