// Validation of the endpoint and login request bodies: pure, every rule in one place, each
// failure a 400 with a stable code. Unknown fields are refused so a typo ("expiry") is not ignored.
import { PortalError } from '../shared/errors.js';
import { isEndpointName } from '../../contract/bucket-layout.js';
import type { AddLoginRequest, CreateEndpointRequest, DeleteEndpointRequest, EndpointSettings, PatchEndpointRequest } from '../../contract/api/admin.js';
import { normaliseEmailAddress } from '../../contract/email-address.js';
import { MAX_ALLOWED_EXTENSIONS, normaliseExtensionList } from '../../contract/extensions.js';
import { DISPLAY_NAME_MAX_CHARS, NOTES_MAX_CHARS } from '../../contract/limits.js';

type Body = Record<string, unknown>;

export function asObject(value: unknown): Body {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PortalError('invalid_body', 'Expected a JSON object');
  return value as Body;
}

/**
 * The fields of the contract's request type `T`, every one of them: a field the contract adds, drops or
 * renames fails tsc here instead of being refused (or let through) at run time.
 */
const requestFields =
  <T>() =>
  <const F extends readonly (keyof T & string)[]>(fields: F & ([Exclude<keyof T, F[number]>] extends [never] ? unknown : { missing: Exclude<keyof T, F[number]> })): F =>
    fields;

function rejectUnknown(body: Body, allowed: readonly string[]): void {
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length) throw new PortalError('unknown_field', `Unknown field(s): ${unknown.join(', ')}`);
}

export function parseEndpointName(value: unknown): string {
  if (!isEndpointName(value)) {
    throw new PortalError('invalid_name');
  }
  return value;
}

/** Lower-cased so that the same address always maps to the same Cognito login. */
export function parseEmail(value: unknown, field = 'email'): string {
  const email = normaliseEmailAddress(value);
  if (email === null) throw new PortalError('invalid_email', `${field} must be an e-mail address`);
  return email;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function parseText(value: unknown, field: string, max: number, multiline: boolean): string {
  if (typeof value !== 'string') throw new PortalError('invalid_field', `${field} must be a string`);
  const text = value.trim();
  if (text.length > max) throw new PortalError('invalid_field', `${field} must be at most ${max} characters`);
  const control = multiline ? text.replace(/[\n\t]/g, '') : text;
  if (CONTROL.test(control)) throw new PortalError('invalid_field', `${field} must not contain control characters`);
  return text;
}

function parseExpiresAt(value: unknown, now: Date, mustBeFuture: boolean): string | null {
  if (value === null) return null;
  const ms = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new PortalError('invalid_expiry', 'expiresAt must be an ISO 8601 timestamp or null');
  if (mustBeFuture && ms <= now.getTime()) throw new PortalError('invalid_expiry', 'expiresAt must be in the future');
  return new Date(ms).toISOString();
}

function parseMaxFileSize(value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new PortalError('invalid_max_file_size', 'maxFileSizeBytes must be a positive whole number or null');
  }
  return value;
}

/** A quota: a positive whole number (bytes or files), or null for none. */
function parseQuota(value: unknown, field: 'quotaBytes' | 'quotaFiles'): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new PortalError('invalid_quota', `${field} must be a positive whole number or null`);
  }
  return value;
}

/** `.PDF`, `pdf` -> `pdf`; `tar.gz` kept whole; sorted, duplicates dropped. [] means "any", stored as null. */
function parseExtensions(value: unknown): string[] | null {
  if (value === null) return null;
  if (!Array.isArray(value) || value.length > MAX_ALLOWED_EXTENSIONS) {
    throw new PortalError('invalid_extensions');
  }
  const list = normaliseExtensionList(value);
  if (!list.ok) throw new PortalError('invalid_extensions', `Not a file extension: ${String(list.invalid).slice(0, 40)}`);
  return list.extensions;
}

export interface CreateEndpointInput {
  name: string;
  customerEmail: string;
  settings: Omit<EndpointSettings, 'name' | 'customerEmail' | 'disabled'>;
}

const CREATE_FIELDS = requestFields<CreateEndpointRequest>()(['name', 'displayName', 'customerEmail', 'expiresAt', 'maxFileSizeBytes', 'quotaBytes', 'quotaFiles', 'allowedExtensions', 'notes']);

export function parseCreateEndpoint(value: unknown, now: Date): CreateEndpointInput {
  const body = asObject(value);
  rejectUnknown(body, CREATE_FIELDS);
  const name = parseEndpointName(body.name);
  const displayName = body.displayName === undefined ? '' : parseText(body.displayName, 'displayName', DISPLAY_NAME_MAX_CHARS, false);
  return {
    name,
    customerEmail: parseEmail(body.customerEmail, 'customerEmail'),
    settings: {
      displayName: displayName || name,
      expiresAt: body.expiresAt === undefined ? null : parseExpiresAt(body.expiresAt, now, true),
      maxFileSizeBytes: body.maxFileSizeBytes === undefined ? null : parseMaxFileSize(body.maxFileSizeBytes),
      quotaBytes: body.quotaBytes === undefined ? null : parseQuota(body.quotaBytes, 'quotaBytes'),
      quotaFiles: body.quotaFiles === undefined ? null : parseQuota(body.quotaFiles, 'quotaFiles'),
      allowedExtensions: body.allowedExtensions === undefined ? null : parseExtensions(body.allowedExtensions),
      notes: body.notes === undefined ? '' : parseText(body.notes, 'notes', NOTES_MAX_CHARS, true),
    },
  };
}

export type EndpointChanges = Partial<Omit<EndpointSettings, 'name' | 'customerEmail'>>;

export interface PatchEndpointInput {
  changes: EndpointChanges;
  version: string | null;
}

const PATCH_FIELDS = requestFields<PatchEndpointRequest>()(['displayName', 'expiresAt', 'maxFileSizeBytes', 'quotaBytes', 'quotaFiles', 'allowedExtensions', 'notes', 'disabled', 'version']);

/** A past `expiresAt` is allowed here: it is how an admin ends an endpoint now. */
export function parsePatchEndpoint(value: unknown, now: Date): PatchEndpointInput {
  const body = asObject(value);
  rejectUnknown(body, PATCH_FIELDS);
  const changes: EndpointChanges = {};
  if (body.displayName !== undefined) {
    const displayName = parseText(body.displayName, 'displayName', DISPLAY_NAME_MAX_CHARS, false);
    if (!displayName) throw new PortalError('invalid_field', 'displayName must not be empty');
    changes.displayName = displayName;
  }
  if (body.expiresAt !== undefined) changes.expiresAt = parseExpiresAt(body.expiresAt, now, false);
  if (body.maxFileSizeBytes !== undefined) changes.maxFileSizeBytes = parseMaxFileSize(body.maxFileSizeBytes);
  if (body.quotaBytes !== undefined) changes.quotaBytes = parseQuota(body.quotaBytes, 'quotaBytes');
  if (body.quotaFiles !== undefined) changes.quotaFiles = parseQuota(body.quotaFiles, 'quotaFiles');
  if (body.allowedExtensions !== undefined) changes.allowedExtensions = parseExtensions(body.allowedExtensions);
  if (body.notes !== undefined) changes.notes = parseText(body.notes, 'notes', NOTES_MAX_CHARS, true);
  if (body.disabled !== undefined) {
    if (typeof body.disabled !== 'boolean') throw new PortalError('invalid_field', 'disabled must be true or false');
    changes.disabled = body.disabled;
  }
  if (Object.keys(changes).length === 0) throw new PortalError('nothing_to_change', 'The request changes nothing');
  return { changes, version: parseVersion(body.version) };
}

/** The `version` (record ETag) a change was based on; null when the caller sent none. */
function parseVersion(value: unknown): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || !value || value.length > 200) throw new PortalError('invalid_field', 'version must be the string the API returned');
  return value;
}

export interface DeleteEndpointInput {
  purgeFiles: boolean;
  version: string | null;
}

const DELETE_FIELDS = requestFields<DeleteEndpointRequest>()(['purgeFiles', 'confirm', 'version']);

/** Purging files needs the endpoint name typed again: a destructive request must name its target. */
export function parseDeleteEndpoint(value: unknown, name: string): DeleteEndpointInput {
  if (value === undefined) return { purgeFiles: false, version: null };
  const body = asObject(value);
  rejectUnknown(body, DELETE_FIELDS);
  const version = parseVersion(body.version);
  if (body.purgeFiles !== undefined && typeof body.purgeFiles !== 'boolean') throw new PortalError('invalid_field', 'purgeFiles must be true or false');
  if (body.purgeFiles !== true) return { purgeFiles: false, version };
  if (body.confirm !== name) {
    throw new PortalError('confirmation_mismatch', 'To delete the files too, repeat the endpoint name in "confirm"');
  }
  return { purgeFiles: true, version };
}

export function parseAddLogin(value: unknown): string {
  const body = asObject(value);
  rejectUnknown(body, requestFields<AddLoginRequest>()(['email']));
  return parseEmail(body.email);
}
