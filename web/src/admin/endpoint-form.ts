// Endpoint form values <-> API requests, with the checks the console makes before sending.
// Pure; the API checks everything again.
import type { CreateEndpointRequest, EndpointSettings, PatchEndpointRequest } from '../../../contract/api/admin.js';
import { ENDPOINT_NAME_RULE, isEndpointName } from '../../../contract/bucket-layout.js';
import { isEmailAddress } from '../../../contract/email-address.js';
import { MAX_ALLOWED_EXTENSIONS, normaliseExtensionList } from '../../../contract/extensions.js';
import { formatBytes, parseBytes, parseExtensions } from '../shared/format.js';

export interface EndpointFormValues {
  name: string;
  displayName: string;
  customerEmail: string;
  /** `YYYY-MM-DD` from <input type="date">, or '' for no expiry. */
  expiryDate: string;
  /** "50 GB", "" = no limit. */
  maxFileSize: string;
  /** All files together, uploads in progress included: "2 TB", "" = no quota. */
  quotaSize: string;
  /** Number of files, "" = no quota. */
  quotaFiles: string;
  /** "pdf, zip", "" = any. */
  allowedTypes: string;
  notes: string;
}

export type FieldErrors = Partial<Record<keyof EndpointFormValues, string>>;

export const EMPTY_FORM: EndpointFormValues = { name: '', displayName: '', customerEmail: '', expiryDate: '', maxFileSize: '', quotaSize: '', quotaFiles: '', allowedTypes: '', notes: '' };

/** `YYYY-MM-DD` from a date input as [year, month index, day], or null. */
function dateParts(date: string): [number, number, number] | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return match ? [Number(match[1]), Number(match[2]) - 1, Number(match[3])] : null;
}

/** The end of the chosen day in the admin's time zone: "expires on the 31st" includes the 31st. */
export function expiryFromDate(date: string): string | null {
  const parts = dateParts(date);
  return parts ? new Date(...parts, 23, 59, 59).toISOString() : null;
}

/**
 * The first instant of the chosen day in the admin's time zone (its local midnight), as ISO. Built from
 * the date itself, never as "the end minus 24 hours": a day is 23 or 25 hours long when the clocks change.
 */
export function startOfLocalDay(date: string): string | null {
  const parts = dateParts(date);
  return parts ? new Date(...parts).toISOString() : null;
}

/**
 * The last millisecond of the chosen day in the admin's time zone: the next day's local midnight minus
 * 1 ms, as ISO. The audit API's `to` is inclusive to the millisecond, so this takes every event of the
 * day, 23:59:59.999 included, on a day of any length.
 */
export function endOfLocalDay(date: string): string | null {
  const parts = dateParts(date);
  if (!parts) return null;
  const [year, month, day] = parts;
  // Date rolls day 32 over into the next month, and December 32 into January.
  return new Date(new Date(year, month, day + 1).getTime() - 1).toISOString();
}

/** `YYYY-MM-DD` in local time for a date input, '' for null. */
export function dateFromExpiry(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function valuesFromSettings(settings: EndpointSettings): EndpointFormValues {
  return {
    name: settings.name,
    displayName: settings.displayName,
    customerEmail: settings.customerEmail,
    expiryDate: dateFromExpiry(settings.expiresAt),
    maxFileSize: settings.maxFileSizeBytes ? formatBytes(settings.maxFileSizeBytes) : '',
    quotaSize: settings.quotaBytes ? formatBytes(settings.quotaBytes) : '',
    quotaFiles: settings.quotaFiles ? String(settings.quotaFiles) : '',
    allowedTypes: (settings.allowedExtensions ?? []).join(', '),
    notes: settings.notes,
  };
}

interface Parsed {
  expiresAt: string | null;
  maxFileSizeBytes: number | null;
  quotaBytes: number | null;
  quotaFiles: number | null;
  allowedExtensions: string[] | null;
}

function parseShared(values: EndpointFormValues, now: number, errors: FieldErrors): Parsed {
  const expiresAt = values.expiryDate ? expiryFromDate(values.expiryDate) : null;
  if (values.expiryDate && !expiresAt) errors.expiryDate = 'Enter a date.';
  else if (expiresAt && Date.parse(expiresAt) <= now) errors.expiryDate = 'The expiry date must be in the future.';
  const size = parseBytes(values.maxFileSize);
  if (size !== null && (!Number.isFinite(size) || size <= 0)) errors.maxFileSize = 'Enter a size such as 500 MB or 50 GB, or leave empty for no limit.';
  const quotaBytes = parseBytes(values.quotaSize);
  if (quotaBytes !== null && (!Number.isFinite(quotaBytes) || quotaBytes <= 0)) errors.quotaSize = 'Enter a size such as 500 GB or 2 TB, or leave empty for no quota.';
  const filesText = values.quotaFiles.trim().replace(/[,_\s]/g, '');
  const quotaFiles = filesText ? Number(filesText) : null;
  if (quotaFiles !== null && !(Number.isSafeInteger(quotaFiles) && quotaFiles > 0)) errors.quotaFiles = 'Enter a whole number of files, or leave empty for no quota.';
  const extensions = parseExtensions(values.allowedTypes);
  if (!extensions.ok) errors.allowedTypes = 'Use extensions such as pdf, zip, tar.gz separated by commas.';
  else if ((extensions.extensions?.length ?? 0) > MAX_ALLOWED_EXTENSIONS) errors.allowedTypes = `List at most ${MAX_ALLOWED_EXTENSIONS} extensions.`;
  return { expiresAt, maxFileSizeBytes: size, quotaBytes, quotaFiles, allowedExtensions: extensions.ok ? extensions.extensions : null };
}

export type FormResult<T> = { ok: true; request: T } | { ok: false; errors: FieldErrors };

export function buildCreateRequest(values: EndpointFormValues, now = Date.now()): FormResult<CreateEndpointRequest> {
  const errors: FieldErrors = {};
  const name = values.name.trim();
  if (!isEndpointName(name)) errors.name = `Use ${ENDPOINT_NAME_RULE}.`;
  const customerEmail = values.customerEmail.trim();
  if (!isEmailAddress(customerEmail)) errors.customerEmail = 'Enter the customer\'s e-mail address.';
  const parsed = parseShared(values, now, errors);
  if (Object.keys(errors).length) return { ok: false, errors };
  const request: CreateEndpointRequest = { name, customerEmail, ...parsed, notes: values.notes.trim() };
  if (values.displayName.trim()) request.displayName = values.displayName.trim();
  return { ok: true, request };
}

/** Only what changed, plus the version the admin was looking at (conflicts become a 409). */
export function buildPatchRequest(values: EndpointFormValues, original: EndpointSettings & { version?: string }, now = Date.now()): FormResult<PatchEndpointRequest> {
  const errors: FieldErrors = {};
  const parsed = parseShared(values, now, errors);
  // An unchanged past expiry is not an error: the admin may be editing notes of an expired endpoint.
  if (errors.expiryDate && values.expiryDate === dateFromExpiry(original.expiresAt)) delete errors.expiryDate;
  if (Object.keys(errors).length) return { ok: false, errors };
  const patch: PatchEndpointRequest = {};
  const displayName = values.displayName.trim() || original.name;
  if (displayName !== original.displayName) patch.displayName = displayName;
  if (values.expiryDate !== dateFromExpiry(original.expiresAt)) patch.expiresAt = parsed.expiresAt;
  if (parsed.maxFileSizeBytes !== original.maxFileSizeBytes && values.maxFileSize !== valuesFromSettings(original).maxFileSize) patch.maxFileSizeBytes = parsed.maxFileSizeBytes;
  if (parsed.quotaBytes !== original.quotaBytes && values.quotaSize !== valuesFromSettings(original).quotaSize) patch.quotaBytes = parsed.quotaBytes;
  if (parsed.quotaFiles !== original.quotaFiles) patch.quotaFiles = parsed.quotaFiles;
  // Both as the contract normalises them, so a reordered list is no change.
  const stored = normaliseExtensionList(original.allowedExtensions ?? []);
  if ((parsed.allowedExtensions ?? []).join(',') !== ((stored.ok && stored.extensions) || []).join(',')) patch.allowedExtensions = parsed.allowedExtensions;
  if (values.notes.trim() !== original.notes) patch.notes = values.notes.trim();
  if (original.version) patch.version = original.version;
  return { ok: true, request: patch };
}
