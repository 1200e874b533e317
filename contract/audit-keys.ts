// Where audit events live in the bucket, as pure functions. Every event is one JSON object at
//   _portal/audit/all/<rev>-<id>.json                 the timeline of every event
// and, when it concerns an endpoint, a copy at
//   _portal/audit/endpoint/<name>/<rev>-<id>.json     the per-endpoint index
// `<rev>` is 9999999999999 minus the event's epoch milliseconds, 13 digits, so S3's ascending key
// order is newest first and a time range is a key range (StartAfter = the `to` bound).
// The copy costs one more PUT per admin action and makes "events of endpoint X" a plain LIST
// instead of a scan of every event. The lifecycle rule on `_portal/audit/` expires both.
import { AUDIT_PREFIX } from './bucket-layout.js';

export const AUDIT_ALL_PREFIX = `${AUDIT_PREFIX}all/`;
export const AUDIT_ENDPOINT_PREFIX = `${AUDIT_PREFIX}endpoint/`;

const MAX_MS = 9_999_999_999_999; // year 2286

export const reverseTime = (epochMs: number): string => String(MAX_MS - epochMs).padStart(13, '0');

/** The prefix listing one stream: all events, or one endpoint's. */
export const auditStreamPrefix = (endpoint: string | null): string => (endpoint ? `${AUDIT_ENDPOINT_PREFIX}${endpoint}/` : AUDIT_ALL_PREFIX);

export function auditKeys(event: { id: string; at: string; endpoint: string | null }): string[] {
  const tail = `${reverseTime(Date.parse(event.at))}-${event.id}.json`;
  return event.endpoint ? [`${AUDIT_ALL_PREFIX}${tail}`, `${AUDIT_ENDPOINT_PREFIX}${event.endpoint}/${tail}`] : [`${AUDIT_ALL_PREFIX}${tail}`];
}

/** Epoch milliseconds of the event stored at `key`, or NaN when the key is not an audit key. */
export function auditKeyTime(key: string): number {
  const match = /\/(\d{13})-[^/]+\.json$/.exec(key);
  return match ? MAX_MS - Number(match[1]) : NaN;
}

/** LIST's StartAfter for events at or before `toMs` (keys of later events sort before it). */
export const startAfterFor = (prefix: string, toMs: number): string => `${prefix}${reverseTime(toMs)}`;
