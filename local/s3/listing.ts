// ListObjects(V2) semantics over the sorted key index: prefix, delimiter roll-up into CommonPrefixes, and resumable pages.
import { S3Error } from './errors.js';
import { compareKeys, endOfPrefix, lowerBound, upperBound } from './key-index.js';
import type { BucketStore, ObjectMeta } from './object-store.js';

export const MAX_LIST_KEYS = 1000;

export interface ListInput {
  prefix: string;
  delimiter: string | undefined;
  /** Exclusive start: a key, or a common prefix whose keys are all skipped. */
  after: string | undefined;
  maxKeys: number;
}

export interface ListOutput {
  contents: ObjectMeta[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix returned: where the next page starts. */
  last: string | undefined;
}

export function listObjects(bucket: BucketStore, input: ListInput): ListOutput {
  const { prefix, delimiter, after, maxKeys } = input;
  const keys = bucket.index.snapshot();
  const out: ListOutput = { contents: [], commonPrefixes: [], isTruncated: false, last: undefined };
  if (maxKeys === 0) return out;
  let i = Math.max(lowerBound(keys, prefix), after === undefined ? 0 : upperBound(keys, after));
  let count = 0;
  while (i < keys.length) {
    const key = keys[i]!;
    if (!key.startsWith(prefix)) break;
    const meta = bucket.get(key);
    if (!meta) {
      i++;
      continue;
    }
    if (count === maxKeys) {
      out.isTruncated = true;
      break;
    }
    const d = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (d >= 0) {
      const commonPrefix = key.slice(0, d + delimiter!.length);
      i = endOfPrefix(keys, i, commonPrefix);
      // A page that ended on this common prefix already returned it: the token is the prefix itself.
      if (after !== undefined && compareKeys(commonPrefix, after) <= 0) continue;
      out.commonPrefixes.push(commonPrefix);
      out.last = commonPrefix;
    } else {
      out.contents.push(meta);
      out.last = key;
      i++;
    }
    count++;
  }
  return out;
}

export function parseMaxKeys(value: string | undefined, name = 'max-keys', limit = MAX_LIST_KEYS): number {
  if (value === undefined) return limit;
  if (!/^\d{1,10}$/.test(value)) throw new S3Error('InvalidArgument', `Provided ${name} not an integer or within integer range`, { ArgumentName: name, ArgumentValue: value });
  return Math.min(Number(value), limit);
}

const TOKEN_VERSION = 'v1:';

export function encodeToken(last: string): string {
  return Buffer.from(TOKEN_VERSION + last, 'utf8').toString('base64url');
}

export function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith(TOKEN_VERSION) || token === '') throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token' });
  return text.slice(TOKEN_VERSION.length);
}
