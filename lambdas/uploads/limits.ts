// The endpoint's limits (maximum file size, allowed extensions) and S3's own, as pure checks: run at
// create against the declared size and again at completion against the real size.
import { isExtensionAllowed } from '../../contract/extensions.js';
import { S3_MAX_OBJECT_BYTES } from '../../contract/limits.js';
import { formatByteCount } from '../../contract/number-format.js';
import { PortalError } from '../shared/errors.js';
import type { EndpointRecord } from '../shared/endpoint-record.js';

export type EndpointLimits = Pick<EndpointRecord, 'maxFileSizeBytes' | 'allowedExtensions'>;

/** Throws 400 `extension_not_allowed`: the name alone decides, so it is checked even when no size is known. */
export function assertExtensionAllowed(name: string, limits: Pick<EndpointLimits, 'allowedExtensions'>): void {
  if (!isExtensionAllowed(name, limits.allowedExtensions)) {
    const list = (limits.allowedExtensions ?? []).map((e) => `.${e}`).join(', ');
    throw new PortalError('extension_not_allowed', `This endpoint accepts only these file types: ${list}`);
  }
}

/** Throws 400 `extension_not_allowed` or 413 `file_too_large`; `what` says whose size it is. */
export function assertWithinLimits(name: string, sizeBytes: number, limits: EndpointLimits, what: 'declared' | 'uploaded'): void {
  assertExtensionAllowed(name, limits);
  if (limits.maxFileSizeBytes !== null && sizeBytes > limits.maxFileSizeBytes) {
    throw new PortalError('file_too_large', `The ${what} size (${formatByteCount(sizeBytes)}) exceeds this endpoint's limit of ${formatByteCount(limits.maxFileSizeBytes)}`);
  }
  if (sizeBytes > S3_MAX_OBJECT_BYTES) {
    throw new PortalError('file_too_large', `The ${what} size exceeds the largest object S3 can store (${formatByteCount(S3_MAX_OBJECT_BYTES)})`);
  }
}

/** A declared size: a non-negative safe integer, as a JSON number or a decimal string (Uppy sends strings). */
export function parseDeclaredSize(raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const value = typeof raw === 'string' && /^\d{1,16}$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new PortalError('invalid_size', 'The declared size must be a whole number of bytes');
  }
  return value;
}
