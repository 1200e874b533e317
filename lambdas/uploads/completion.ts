// Completion must never produce a truncated or gappy object: before CompleteMultipartUpload, the part
// list the client sends is checked against what S3 actually holds (ListParts). Pure, so every rule has
// a table test. A failed check never aborts the upload: the client can upload what is missing and retry.
// For a checksummed upload S3 then checks the assembled object against the whole file's checksum.
import { createHash } from 'node:crypto';
import { isChecksumValue } from '../../contract/checksums.js';
import { PortalError } from '../shared/errors.js';
import { S3_MAX_PARTS, S3_MIN_PART_BYTES } from '../../contract/limits.js';
import { assertWithinLimits, type EndpointLimits } from './limits.js';

export interface ClientPart {
  PartNumber: number;
  ETag: string;
}

export interface StoredPart {
  PartNumber: number;
  ETag: string;
  Size: number;
  /** The part's CRC64NVME as S3 verified it; absent when the upload is not checksummed with it. */
  ChecksumCRC64NVME?: string;
}

/** A part as CompleteMultipartUpload takes it. */
export interface CompletionPart extends ClientPart {
  ChecksumCRC64NVME?: string;
}

export interface CompletionRequest {
  parts: ClientPart[];
  /** The whole file's base64 CRC64NVME, when the client sent one. */
  checksum: string | undefined;
}

/** The body of a completion request: `{parts: [{PartNumber, ETag}], checksum?}`; 400 with the first problem. */
export function parseCompletionRequest(body: unknown): CompletionRequest {
  const checksum = (body as { checksum?: unknown } | null)?.checksum;
  if (checksum !== undefined && !isChecksumValue(checksum)) {
    throw new PortalError('invalid_checksum', "`checksum` must be the whole file's base64 CRC64NVME (12 characters)");
  }
  return { parts: parseCompletionParts(body), checksum };
}

function parseCompletionParts(body: unknown): ClientPart[] {
  const parts = (body as { parts?: unknown } | null)?.parts;
  if (!Array.isArray(parts) || parts.length === 0) {
    throw new PortalError('invalid_parts', 'The body must be {"parts": [{"PartNumber", "ETag"}, ...]} with at least one part');
  }
  if (parts.length > S3_MAX_PARTS) throw new PortalError('invalid_parts', `An upload has at most ${S3_MAX_PARTS} parts`);
  return parts.map((part: unknown, i) => {
    const { PartNumber, ETag } = (part ?? {}) as Record<string, unknown>;
    if (typeof PartNumber !== 'number' || !Number.isInteger(PartNumber) || PartNumber < 1 || PartNumber > S3_MAX_PARTS) {
      throw new PortalError('invalid_part_number', `parts[${i}].PartNumber must be a whole number from 1 to ${S3_MAX_PARTS}`);
    }
    if (typeof ETag !== 'string' || ETag.length === 0 || ETag.length > 256) {
      throw new PortalError('invalid_parts', `parts[${i}].ETag must be the ETag S3 returned for that part`);
    }
    return { PartNumber, ETag };
  });
}

/** S3 quotes ETags; browsers pass them on as read from the header. Compare without the quotes. */
export const normaliseEtag = (etag: string): string => etag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');

/**
 * The ETag S3 gives an object completed from these parts: the MD5 of the parts' binary MD5s, then
 * `-<count>`. Null when a part's ETag is not a plain MD5 (parts encrypted with SSE-KMS or SSE-C have
 * other ETags), so nothing can be concluded from it.
 */
export function multipartEtag(parts: readonly ClientPart[]): string | null {
  const digests: Buffer[] = [];
  for (const part of [...parts].sort((a, b) => a.PartNumber - b.PartNumber)) {
    const etag = normaliseEtag(part.ETag);
    if (!/^[0-9a-f]{32}$/i.test(etag)) return null;
    digests.push(Buffer.from(etag, 'hex'));
  }
  if (digests.length === 0) return null;
  return `${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${digests.length}`;
}

/** `[3, 4, 5, 9]` -> `3-5, 9`, shortened after a few runs so messages stay readable. */
export function formatPartNumbers(numbers: readonly number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < numbers.length; ) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    runs.push(i === j ? `${numbers[i]}` : `${numbers[i]}-${numbers[j]}`);
    i = j + 1;
  }
  return runs.length > 6 ? `${runs.slice(0, 6).join(', ')}, ...` : runs.join(', ');
}

export interface CompletionCheck {
  clientParts: readonly ClientPart[];
  storedParts: readonly StoredPart[];
  /** Null when the client declared no size at create (a stock Companion client). */
  declaredSize: number | null;
  /** The file's key name, for the extension rule. */
  name: string;
  limits: EndpointLimits;
  /** A checksummed upload: every part S3 holds must carry its CRC64NVME. @default false */
  requireChecksums?: boolean;
}

export interface VerifiedCompletion {
  /** In order, with the ETags (and checksums) S3 holds. */
  parts: CompletionPart[];
  totalBytes: number;
}

export function verifyCompletion(check: CompletionCheck): VerifiedCompletion {
  const client = [...check.clientParts].sort((a, b) => a.PartNumber - b.PartNumber);
  const count = client.length;
  const repeated = client.filter((p, i) => i > 0 && client[i - 1]!.PartNumber === p.PartNumber).map((p) => p.PartNumber);
  if (repeated.length > 0) throw new PortalError('duplicate_part', `Part ${formatPartNumbers(repeated)} is listed more than once`);
  const last = client[count - 1]!.PartNumber;
  if (last !== count) {
    const listed = new Set(client.map((p) => p.PartNumber));
    const gaps = Array.from({ length: last }, (_, i) => i + 1).filter((n) => !listed.has(n));
    throw new PortalError('parts_not_contiguous', `Parts must be numbered 1 to ${last} without gaps; missing ${formatPartNumbers(gaps)}`);
  }

  const stored = new Map(check.storedParts.map((p) => [p.PartNumber, p]));
  const missing = client.filter((p) => !stored.has(p.PartNumber)).map((p) => p.PartNumber);
  if (missing.length > 0) {
    throw new PortalError('parts_missing', `S3 does not hold part ${formatPartNumbers(missing)} yet; upload ${missing.length === 1 ? 'it' : 'them'} and complete again`);
  }
  const extra = [...stored.keys()].filter((n) => n > count).sort((a, b) => a - b);
  if (extra.length > 0) {
    throw new PortalError('unexpected_parts', `S3 holds part ${formatPartNumbers(extra)} beyond the ${count} listed; the part list is incomplete`);
  }
  const changed = client.filter((p) => normaliseEtag(p.ETag) !== normaliseEtag(stored.get(p.PartNumber)!.ETag)).map((p) => p.PartNumber);
  if (changed.length > 0) {
    throw new PortalError('etag_mismatch', `The ETag of part ${formatPartNumbers(changed)} does not match the part S3 holds; upload ${changed.length === 1 ? 'it' : 'them'} again`);
  }
  const small = client
    .slice(0, -1)
    .filter((p) => stored.get(p.PartNumber)!.Size < S3_MIN_PART_BYTES)
    .map((p) => p.PartNumber);
  if (small.length > 0) {
    throw new PortalError('part_too_small', `Part ${formatPartNumbers(small)} is smaller than 5 MiB; only the last part may be`);
  }
  const totalBytes = client.reduce((sum, p) => sum + stored.get(p.PartNumber)!.Size, 0);
  if (check.declaredSize !== null && totalBytes !== check.declaredSize) {
    const how = totalBytes < check.declaredSize ? 'fewer' : 'more';
    throw new PortalError('size_mismatch', `The parts hold ${totalBytes} bytes, ${how} than the ${check.declaredSize} declared for this file`);
  }
  assertWithinLimits(check.name, totalBytes, check.limits, 'uploaded');
  if (check.requireChecksums) {
    // Defence in depth, not the safeguard. What keeps a part without the page's checksum out is the
    // signature: every part URL of a checksummed upload binds the checksum header (sent without it, a
    // part gets 403; with other bytes, BadDigest), and the one-part call that signs none is refused.
    // S3 lists a CRC64NVME for every part of an upload created with it, computing one for a part sent
    // without (so does the local S3 server), so this cannot tell a checked part from one S3 hashed
    // itself: it fires only where the listing has none, a store that keeps no part checksums (an
    // S3-compatible server) or an upload S3 holds without the algorithm its reservation records.
    const unchecked = client.filter((p) => !stored.get(p.PartNumber)!.ChecksumCRC64NVME).map((p) => p.PartNumber);
    if (unchecked.length > 0) {
      throw new PortalError('part_checksum_missing', `Part ${formatPartNumbers(unchecked)} carries no checksum; send ${unchecked.length === 1 ? 'it' : 'them'} again with the checksum`);
    }
  }
  return {
    parts: client.map((p) => {
      const { ETag, ChecksumCRC64NVME } = stored.get(p.PartNumber)!;
      return { PartNumber: p.PartNumber, ETag, ...(ChecksumCRC64NVME ? { ChecksumCRC64NVME } : {}) };
    }),
    totalBytes,
  };
}

