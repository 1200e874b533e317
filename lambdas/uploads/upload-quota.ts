// The quota side of an upload's life: admitted at create (or when a small file's URL is signed), checked
// again at completion, and its hold landed or released (lambdas/shared/catalog/quota-holds.ts).
import { randomUUID } from 'node:crypto';
import { S3_MAX_OBJECT_BYTES, S3_MAX_PART_BYTES, S3_MAX_PUT_BYTES } from '../../contract/limits.js';
import { formatByteCount } from '../../contract/number-format.js';
import { leftOf, type QuotaLimits, type QuotaUse } from '../shared/catalog/quota-holds.js';
import type { EndpointRecord } from '../shared/endpoint-record.js';
import { PortalError } from '../shared/errors.js';
import type { Principal } from '../shared/identity.js';
import type { UploadsCore } from './core.js';
import { hasEnded } from './open-uploads.js';

const DAY_MS = 86_400_000;
/**
 * How long a landed file's bytes stay held when the catalog has not counted it yet: S3 events reach the
 * catalog within seconds; the hold is released earlier as soon as the catalog counts the file.
 */
export const LANDED_HOLD_MS = 3_600_000;

export const quotaLimitsOf = (record: EndpointRecord): QuotaLimits => ({ quotaBytes: record.quotaBytes ?? null, quotaFiles: record.quotaFiles ?? null });

/** Whose open-upload slots an upload takes: a customer's login, or an admin by e-mail. */
export const loginOf = (principal: Principal): string => (principal.kind === 'customer' ? principal.username.toLowerCase() : `admin:${(principal.email || principal.subject).toLowerCase()}`);

export interface AdmittedUpload {
  holdId: string;
  /** Bytes the upload may store: its declared size, or the bound of an upload without one (never more than S3's largest object). */
  boundBytes: number;
}

/**
 * Admits a new upload of `declaredSize` bytes, or of none declared (a stock client's upload: a
 * multipart upload's part URLs, or a small file's PUT URL, then bind no length, so it is bounded by
 * the endpoint's maximum file size, what is left of its quota and the most S3 stores in that way,
 * whichever is least). `multipart`: it takes one of the login's open-upload slots. Throws 413
 * `quota_exceeded`, 429 `too_many_open_uploads`, or 400 `size_required` (no size, and a bound under
 * what one URL without a length could store).
 */
export async function admitUpload(
  core: UploadsCore,
  scope: { endpoint: string; record: EndpointRecord; principal: Principal },
  declaredSize: number | null,
  multipart: boolean,
): Promise<AdmittedUpload> {
  const limits = quotaLimitsOf(scope.record);
  // One URL without a length stores up to S3's largest part, or its largest single PUT.
  const lengthFree = multipart ? S3_MAX_PART_BYTES : S3_MAX_PUT_BYTES;
  let bound = declaredSize ?? S3_MAX_OBJECT_BYTES;
  let heldBytes = bound;
  if (declaredSize === null) {
    const left = limits.quotaBytes === null ? null : leftOf(limits.quotaBytes, ...(await usedAndReserved(core, scope.endpoint)));
    bound = Math.min(multipart ? S3_MAX_OBJECT_BYTES : S3_MAX_PUT_BYTES, ...[scope.record.maxFileSizeBytes, left].filter((c): c is number => c !== null));
    if (bound === 0) throw quotaExceeded(limits, 0);
    // A bound below what one length-free URL can store could not hold: only a declared size (whose
    // URLs bind every length) keeps such an upload within it.
    if (bound < lengthFree) {
      throw new PortalError('size_required', `Send the file's size in bytes (metadata[size]): this upload may store at most ${formatByteCount(bound)}, and an upload URL without a length could take more`);
    }
    // With a byte quota the hold takes the whole bound (what the upload's URLs could stage). Without one
    // there is nothing to hold against, and holding S3's largest object would, should an admin set a
    // quota while the upload is open, leave no room for any other upload until it ends (days later);
    // completion checks the real size against the quota then in force instead.
    heldBytes = limits.quotaBytes === null ? 0 : bound;
  }
  const holdId = randomUUID();
  const now = core.now();
  const releaseAfter = new Date(now.getTime() + (core.settings.incompleteUploadDays + 1) * DAY_MS);
  const hold = { id: holdId, endpoint: scope.endpoint, login: multipart ? loginOf(scope.principal) : null, bytes: heldBytes, files: 1 };
  // `hasEnded`: a slot may be held for an upload S3 no longer has, which admit lets go of before it refuses.
  const result = await core.quota.admit(hold, limits, releaseAfter, now, (upload) => hasEnded(core, upload));
  if (result === 'too_many_open_uploads') {
    throw new PortalError('too_many_open_uploads', `This login has ${core.settings.maxOpenUploadsPerLogin} open uploads, the most it may have; finish or cancel one first`);
  }
  if (result === 'too_many_holds') {
    throw new PortalError('too_many_uploads_in_progress', `This endpoint has ${core.quota.maxHolds} uploads in progress or waiting to be counted, the most it may have at once; try again in a few minutes`);
  }
  if (result === 'quota_exceeded') {
    const use = await core.quota.use(scope.endpoint);
    throw quotaExceeded(limits, leftOf(limits.quotaBytes, use.usedBytes, use.reservedBytes), bound, leftOf(limits.quotaFiles, use.usedFiles, use.reservedFiles));
  }
  return { holdId, boundBytes: bound };
}

async function usedAndReserved(core: UploadsCore, endpoint: string): Promise<[number, number]> {
  const use = await core.quota.use(endpoint);
  return [use.usedBytes, use.reservedBytes];
}

function quotaExceeded(limits: QuotaLimits, leftBytes: number | null, wanted?: number, leftFiles?: number | null): PortalError {
  if (leftFiles === 0 && limits.quotaFiles !== null) {
    return new PortalError('quota_exceeded', `This endpoint holds the most files it may (${limits.quotaFiles}), counting uploads in progress`);
  }
  const what = wanted === undefined ? 'Nothing more fits' : `This file (${formatByteCount(wanted)}) does not fit`;
  const left = leftBytes === null || limits.quotaBytes === null ? '' : `: ${formatByteCount(leftBytes)} of its ${formatByteCount(limits.quotaBytes)} are left, counting uploads in progress`;
  return new PortalError('quota_exceeded', `${what} in this endpoint's quota${left}`);
}

/**
 * Completion checks again, with the real size: the catalog's files, the holds of other uploads and
 * this file must fit the quota as it is now (an admin may have lowered it, a hold may have been swept).
 */
export async function assertCompletionFits(core: UploadsCore, endpoint: string, record: EndpointRecord, holdId: string | undefined, totalBytes: number, boundBytes: number | null): Promise<void> {
  if (boundBytes !== null && totalBytes > boundBytes) {
    throw new PortalError('quota_exceeded', `The parts hold ${formatByteCount(totalBytes)}, more than the ${formatByteCount(boundBytes)} this upload was admitted with; abort it and send the file again`);
  }
  const limits = quotaLimitsOf(record);
  if (limits.quotaBytes === null && limits.quotaFiles === null) return;
  const hold = holdId ? await core.quota.read(endpoint, holdId) : null;
  const overBy = (use: QuotaUse): 'bytes' | 'files' | null => {
    const otherBytes = use.usedBytes + use.reservedBytes - (hold?.bytes ?? 0);
    const otherFiles = use.usedFiles + use.reservedFiles - (hold?.files ?? 0);
    if (limits.quotaBytes !== null && otherBytes + totalBytes > limits.quotaBytes) return 'bytes';
    if (limits.quotaFiles !== null && otherFiles + 1 > limits.quotaFiles) return 'files';
    return null;
  };
  // A refusal looks again after a sweep: another file that landed meanwhile may be counted twice, by
  // the catalog and by its hold, and must not cost this one its place.
  let over = overBy(await core.quota.use(endpoint));
  if (over) over = overBy(await core.quota.useNow(endpoint, core.now(), holdId));
  if (over === 'bytes') {
    throw new PortalError('quota_exceeded', `This file (${formatByteCount(totalBytes)}) no longer fits in this endpoint's quota of ${formatByteCount(limits.quotaBytes ?? 0)}; nothing was stored`);
  }
  if (over === 'files') {
    throw new PortalError('quota_exceeded', `This endpoint already holds the most files it may (${limits.quotaFiles ?? 0}); nothing was stored`);
  }
}

/** After S3 stored the file: the login's slot is free, the bytes stay held until the catalog counts them. */
export async function landUpload(core: UploadsCore, endpoint: string, holdId: string | undefined, key: string, after: Date = core.now()): Promise<void> {
  if (!holdId) return;
  await core.quota.land(endpoint, holdId, key, new Date(after.getTime() + LANDED_HOLD_MS));
}
