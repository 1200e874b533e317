// Notifications: what crosses a boundary between the events Lambda (records arrivals, queues digest
// checks), the notify Lambda (sends digests, alerts and webhooks), the admin API (per-endpoint
// settings), the stack (queues and their timing) and webhook receivers (event types and body).
//
// Timing: each arrival queues a digest check delayed by the quiet period; the check sends only when the
// endpoint's last arrival is at least that old, so a burst of uploads becomes one message. Webhooks go
// through their own queue and are retried with a growing backoff for more than a day.

/** Quiet period after the last arrival before a digest goes. @default 300 (5 minutes) */
export const NOTIFICATION_QUIET_DEFAULT_SECONDS = 300;
/** SQS DelaySeconds is at most 900 (15 minutes): the quiet period rides on it. */
export const NOTIFICATION_QUIET_MAX_SECONDS = 900;

/** File names a digest lists (the count and total size cover every file). */
export const DIGEST_NAME_LIMIT = 20;
/** Uploaders a digest names. */
export const DIGEST_UPLOADER_LIMIT = 10;

/**
 * Each uploader's receipt covers only their own files: the pending digest keeps every uploader's count,
 * bytes and first file names apart. Names one receipt lists (the count and size cover every file).
 */
export const DIGEST_RECEIPT_NAME_LIMIT = 10;
/**
 * Uploaders one pending digest keeps apart for their receipts. It bounds the item (DynamoDB's 400 KB):
 * names are at most 255 bytes, so 25 uploaders with 2 x 10 names each (files arriving while a digest is
 * being sent keep up to 10 more) stay below about 150 KB. Files of further uploaders in the same quiet
 * period are in the admins' digest but in no receipt.
 */
export const DIGEST_RECEIPT_UPLOADER_LIMIT = 25;

/** Admin recipients per endpoint. */
export const MAX_ADMIN_RECIPIENTS = 20;
/** Webhook URLs longer than this are refused. */
export const WEBHOOK_URL_MAX_LENGTH = 2000;
/** A signing secret is `whsec_` + base64 of this many random bytes (Standard Webhooks asks for 24 to 64). */
export const WEBHOOK_SECRET_BYTES = 32;
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** Webhook event types (the body's `type`). */
export const WEBHOOK_EVENT_TYPES = ['files.received', 'file.infected'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Delivery of one webhook attempt: connect plus answer within this, else the attempt failed. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Bytes of the receiver's answer read at most (the rest is dropped; the status is what counts). */
export const WEBHOOK_RESPONSE_MAX_BYTES = 64 * 1024;

/**
 * SQS's longest visibility, counted from the receive: a ChangeMessageVisibility that would keep the
 * message hidden past 12 h after the ReceiveMessage that handed it out is refused (it errors, it does
 * not clamp), and the message then comes back after the queue's own visibility timeout.
 */
export const SQS_MAX_VISIBILITY_SECONDS = 43_200;
/**
 * What a pause leaves below SQS_MAX_VISIBILITY_SECONDS: the time between SQS's receive and the
 * function's first look at the batch (Lambda's poller, no batching window) is not in the record, and
 * clocks differ by a little. The time the function held the message itself is subtracted on top.
 */
export const WEBHOOK_VISIBILITY_MARGIN_SECONDS = 600;
/** The longest pause between two attempts: 12 h less the margin. */
export const WEBHOOK_LONGEST_PAUSE_SECONDS = SQS_MAX_VISIBILITY_SECONDS - WEBHOOK_VISIBILITY_MARGIN_SECONDS;

/**
 * Pause before attempt n+1 after attempt n failed: 1, 2, 4, ... minutes, at most
 * WEBHOOK_LONGEST_PAUSE_SECONDS. WEBHOOK_MAX_ATTEMPTS attempts span more than 24 hours. The pause the
 * notify Lambda sets is shorter still by the time it held the message (webhookPauseSeconds).
 */
export const webhookBackoffSeconds = (failedAttempt: number): number => Math.min(60 * 2 ** Math.max(0, failedAttempt - 1), WEBHOOK_LONGEST_PAUSE_SECONDS);

/**
 * The visibility to set after attempt n failed, `heldSeconds` after the message was received: the
 * backoff, cut so that the message is hidden no later than 12 h less the margin after its receive
 * (SQS refuses anything past 12 h).
 */
export const webhookPauseSeconds = (failedAttempt: number, heldSeconds: number): number =>
  Math.max(0, Math.min(webhookBackoffSeconds(failedAttempt), WEBHOOK_LONGEST_PAUSE_SECONDS - Math.ceil(Math.max(0, heldSeconds))));
/** Attempts before a webhook goes to the dead-letter queue (the queue's maxReceiveCount). */
export const WEBHOOK_MAX_ATTEMPTS = 12;

/**
 * Receives of a digest check or infected-file alert before it goes to the digest dead-letter queue (the
 * queue's maxReceiveCount): an alert whose e-mail failed on its last receive is audited as failed for
 * good, on the earlier ones as retried.
 */
export const DIGEST_MAX_RECEIVES = 5;

/** Seconds from the first attempt to the last: the span the retention of the webhook queue must cover. */
export const webhookRetrySpanSeconds = (): number => {
  let total = 0;
  for (let attempt = 1; attempt < WEBHOOK_MAX_ATTEMPTS; attempt++) total += webhookBackoffSeconds(attempt);
  return total;
};

/** The body every webhook carries (README "Notifications" documents it). */
export interface WebhookBody<T extends WebhookEventType = WebhookEventType> {
  /** Unique per event; also the `webhook-id` header (receivers deduplicate on it). */
  id: string;
  type: T;
  /** When the event happened (ISO 8601). */
  timestamp: string;
  data: T extends 'files.received' ? FilesReceivedData : FileInfectedData;
}

export interface FilesReceivedData {
  endpoint: string;
  fileCount: number;
  totalBytes: number;
  /** Who uploaded (e-mail or username), at most DIGEST_UPLOADER_LIMIT. */
  uploaders: string[];
  /** The first files' names and keys, at most DIGEST_NAME_LIMIT. */
  files: { name: string; key: string; size: number }[];
  firstArrivalAt: string;
  lastArrivalAt: string;
  /** The endpoint's files in the admin console. */
  consoleUrl: string;
}

export interface FileInfectedData {
  endpoint: string;
  key: string;
  name: string;
  size: number | null;
  uploadedBy: string | null;
  /** The scanner's threat names, when it gave any. */
  threats: string[];
  consoleUrl: string;
}

/** Messages on the digest queue (the events Lambda and the infected-file hook send them). */
export type DigestQueueMessage =
  | { kind: 'digest-check'; endpoint: string }
  | { kind: 'infected'; file: Omit<FileInfectedData, 'consoleUrl'>; at: string; id: string };

/** Messages on the webhook queue: one event for one endpoint's receiver, signed when it is sent. */
export interface WebhookQueueMessage {
  kind: 'webhook';
  endpoint: string;
  body: WebhookBody;
}
