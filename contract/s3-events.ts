// The S3 events the portal consumes, in the shape Amazon S3 sends them to Amazon EventBridge: the
// events Lambda parses them, and the local S3 server emits the same shape so the local portal can
// feed them to the same code. Fields marked optional are absent in some real events; treat any
// field not named here as unknown and ignore it (newer event versions add some).

export const S3_EVENT_SOURCE = 'aws.s3';

export const S3_EVENT_DETAIL_TYPES = ['Object Created', 'Object Deleted', 'Object Tags Added', 'Object Tags Deleted'] as const;
export type S3EventDetailType = (typeof S3_EVENT_DETAIL_TYPES)[number];

/**
 * The event types whose `detail.object` always carries a `sequencer`. The Amazon S3 User Guide's page
 * "Event message structure" says that notifications from events that create objects (PUTs) and
 * delete objects contain a sequencer, which orders the events on one key; its page "EventBridge event
 * message structure" shows one in every Object Created and Object Deleted example (lifecycle
 * expiration included) and none in the restore example. So one of these without a sequencer is not an
 * event S3 sent as documented.
 */
export const S3_SEQUENCED_EVENT_TYPES: readonly S3EventDetailType[] = ['Object Created', 'Object Deleted'];

/** The S3 API that created or deleted the object (`reason`, only on Object Created / Object Deleted). */
export type S3EventReason = 'PutObject' | 'POST Object' | 'CopyObject' | 'CompleteMultipartUpload' | 'DeleteObject' | 'Lifecycle Expiration';

/** On Object Deleted: an unversioned object (or a version) is gone for good, or a versioned bucket got a delete marker. */
export type S3EventDeletionType = 'Permanently Deleted' | 'Delete Marker Created';

export interface S3EventObject {
  /** Possibly URL-encoded like S3's other notifications: use keys whose encoded form equals the raw one. */
  key: string;
  /** Object Created only. */
  size?: number;
  /** Without quotes. */
  etag?: string;
  /**
   * Orders events on the same key only: the greater one (see compareSequencers) happened later. Always
   * present on Object Created and Object Deleted (S3_SEQUENCED_EVENT_TYPES); not documented for the
   * other types.
   */
  sequencer?: string;
  /** Only on versioned buckets. */
  'version-id'?: string;
}

export interface S3EventDetail {
  version: string;
  bucket: { name: string };
  object: S3EventObject;
  'request-id': string;
  /** The requester's AWS account id, or an AWS service principal (e.g. `s3.amazonaws.com` for lifecycle). */
  requester: string;
  /** Only for events caused by an S3 request. */
  'source-ip-address'?: string;
  reason?: S3EventReason;
  'deletion-type'?: S3EventDeletionType;
}

/** The EventBridge envelope around an S3 event. */
export interface S3EventBridgeEvent {
  version: string;
  /** A UUID per event; EventBridge delivers at least once, so the same id may arrive twice. */
  id: string;
  'detail-type': S3EventDetailType;
  source: typeof S3_EVENT_SOURCE;
  /** The bucket owner's account id. */
  account: string;
  /** ISO 8601, whole seconds, e.g. `2021-11-12T00:00:00Z`. */
  time: string;
  region: string;
  /** The bucket's ARN, `arn:aws:s3:::<bucket>`. */
  resources: string[];
  detail: S3EventDetail;
}

/**
 * Orders two sequencers of events on the SAME key (meaningless across keys): negative when `a` is
 * earlier, positive when later, 0 when equal. S3's rule: sequencers may differ in length, so right-pad
 * the shorter with zeros, then compare as hexadecimal strings (case-insensitively: S3 uses both cases).
 */
export function compareSequencers(a: string, b: string): number {
  const length = Math.max(a.length, b.length);
  const left = a.toUpperCase().padEnd(length, '0');
  const right = b.toUpperCase().padEnd(length, '0');
  return left < right ? -1 : left > right ? 1 : 0;
}
