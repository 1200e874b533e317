// Checks an incoming EventBridge event before anything acts on it: the shape S3 sends
// (contract/s3-events.ts), from S3, for this bucket, with a usable sequencer, about a key inside an
// endpoint's folder. Anything else is refused with a reason, which the handler logs before dropping it.
// What the handlers need of the event, the request's origin included, is read here once, so none of
// them reads the raw event.
import { MAX_EVENT_KEY_CHARS } from '../../contract/limits.js';
import { S3_EVENT_DETAIL_TYPES, S3_EVENT_SOURCE, S3_SEQUENCED_EVENT_TYPES, type S3EventDetailType } from '../../contract/s3-events.js';
import { catalogPath, decodedEventKey, type CatalogPath } from '../shared/catalog/catalog-path.js';
import { sequencerOrder } from '../shared/catalog/sort-keys.js';

export interface CheckedEvent {
  id: string;
  type: S3EventDetailType;
  /** The key as the event spells it. */
  rawKey: string;
  /**
   * Where the object may be: the key as given, and its URL-decoded form when that differs (whether S3
   * encodes keys in EventBridge events is undocumented; its other notifications do).
   */
  candidates: CatalogPath[];
  /** sequencerOrder() of the event's sequencer. */
  sequencer: string;
  /**
   * When S3 emitted the event (EventBridge's `time`, as Date#toISOString), or null when it carries none
   * that parses. For Object Created this is when the object arrived: a multipart object's LastModified
   * is when its upload was initiated, possibly days earlier.
   */
  time: string | null;
  origin: RequestOrigin;
}

/** Where the S3 request that stored the object came from, as S3's event tells it ('' when it does not). */
export interface RequestOrigin {
  sourceIp: string;
  requestId: string;
  /** The ETag of the version the event is about ('' when it names none). */
  etag: string;
}

/**
 * A refusal is logged as a warning when such events are expected (another bucket's, a key outside the
 * endpoints), as an error when S3 should never send one: an Object Created or Object Deleted without a
 * sequencer cannot be ordered against the key's other events, so it is dropped, and someone should look.
 */
export type EventCheck = { ok: true; event: CheckedEvent } | { ok: false; reason: string; level: 'warn' | 'error'; id?: string; key?: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);


export function checkS3Event(input: unknown, bucket: string): EventCheck {
  if (!isObject(input)) return { ok: false, reason: 'not an object', level: 'warn' };
  const id = typeof input.id === 'string' ? input.id : undefined;
  const refuse = (reason: string, key?: string, level: 'warn' | 'error' = 'warn'): EventCheck => ({ ok: false, reason, level, ...(id ? { id } : {}), ...(key !== undefined ? { key } : {}) });
  if (!id) return refuse('no event id');
  if (input.source !== S3_EVENT_SOURCE) return refuse(`source is not ${S3_EVENT_SOURCE}`);
  const type = input['detail-type'];
  if (typeof type !== 'string' || !(S3_EVENT_DETAIL_TYPES as readonly string[]).includes(type)) return refuse('not an S3 object event');
  const detail = input.detail;
  if (!isObject(detail) || !isObject(detail.bucket) || !isObject(detail.object)) return refuse('detail is not an S3 event detail');
  if (detail.bucket.name !== bucket) return refuse('another bucket');
  const key = detail.object.key;
  if (typeof key !== 'string' || key === '' || key.length > MAX_EVENT_KEY_CHARS) return refuse('no valid object key');
  const sequencer = sequencerOrder(detail.object.sequencer);
  if (sequencer === null) return refuse('no valid sequencer', key, (S3_SEQUENCED_EVENT_TYPES as readonly string[]).includes(type) ? 'error' : 'warn');
  const decoded = decodedEventKey(key);
  const candidates = [catalogPath(key), decoded === null ? null : catalogPath(decoded)].filter((p): p is CatalogPath => p !== null);
  if (candidates.length === 0) return refuse('key outside uploads/<endpoint>/', key);
  return { ok: true, event: { id, type: type as S3EventDetailType, rawKey: key, candidates, sequencer, time: eventTime(input.time), origin: originOf(detail, detail.object) } };
}

/** The event's `time` as an ISO 8601 string with milliseconds, or null when absent or unparseable. */
function eventTime(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 64) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** The request's origin from the event's detail (`source-ip-address`, `request-id`, the object's ETag); anything malformed is ''. */
function originOf(detail: Record<string, unknown>, object: Record<string, unknown>): RequestOrigin {
  const text = (value: unknown, max: number) => (typeof value === 'string' && value.length <= max ? value : '');
  return { sourceIp: text(detail['source-ip-address'], 64), requestId: text(detail['request-id'], 128), etag: text(object.etag, 128) };
}
