// The endpoint's limits (maximum file size, allowed extensions) and S3's own, as pure checks: run at
// create against the declared size and again at completion against the real size.
import { PortalError, badRequest, tooLarge } from '../shared/errors.js';
import type { EndpointRecord } from '../shared/endpoint-record.js';

const GiB = 1024 * 1024 * 1024;
/** Multipart: part numbers 1..10000. */
export const MAX_PARTS = 10_000;
/** S3's largest part. */
export const MAX_PART_BYTES = 5 * GiB;
/** The largest object multipart can assemble (S3's own cap may be lower; S3 then refuses at completion). */
export const MAX_OBJECT_BYTES = MAX_PARTS * MAX_PART_BYTES;

export type EndpointLimits = Pick<EndpointRecord, 'maxFileSizeBytes' | 'allowedExtensions'>;

/** `tar.gz` allows `x.tar.gz`; `gz` allows it too. Case-insensitive; null allows anything. */
export function isExtensionAllowed(name: string, allowed: readonly string[] | null): boolean {
  if (allowed === null) return true;
  const lower = name.toLowerCase();
  return allowed.some((ext) => {
    const wanted = ext.toLowerCase().replace(/^\.+/, '');
    return wanted !== '' && lower.endsWith(`.${wanted}`) && lower.length > wanted.length + 1;
  });
}

const formatBytes = (bytes: number): string => `${bytes.toLocaleString('en-US')} bytes`;

/** Throws 400 `extension_not_allowed` or 413 `file_too_large`; `what` says whose size it is. */
export function assertWithinLimits(name: string, sizeBytes: number, limits: EndpointLimits, what: 'declared' | 'uploaded'): void {
  if (!isExtensionAllowed(name, limits.allowedExtensions)) {
    const list = (limits.allowedExtensions ?? []).map((e) => `.${e}`).join(', ');
    throw badRequest('extension_not_allowed', `This endpoint accepts only these file types: ${list}`);
  }
  if (limits.maxFileSizeBytes !== null && sizeBytes > limits.maxFileSizeBytes) {
    throw tooLarge('file_too_large', `The ${what} size (${formatBytes(sizeBytes)}) exceeds this endpoint's limit of ${formatBytes(limits.maxFileSizeBytes)}`);
  }
  if (sizeBytes > MAX_OBJECT_BYTES) {
    throw tooLarge('file_too_large', `The ${what} size exceeds the largest object S3 can store (${formatBytes(MAX_OBJECT_BYTES)})`);
  }
}

/** A declared size: a non-negative safe integer, as a JSON number or a decimal string (Uppy sends strings). */
export function parseDeclaredSize(raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const value = typeof raw === 'string' && /^\d{1,16}$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new PortalError(400, 'invalid_size', 'The declared size must be a whole number of bytes');
  }
  return value;
}
