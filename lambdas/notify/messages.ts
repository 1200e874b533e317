// What the e-mails and webhooks say: pure functions from a digest or an alert to a Mail or a webhook
// body, so tests read them without sending anything.
import { DIGEST_RECEIPT_NAME_LIMIT, type FileInfectedData, type FilesReceivedData, type WebhookBody } from '../../contract/notifications.js';
import type { UploaderFiles } from '../shared/notifications/digest-receipts.js';
import type { PendingDigest } from '../shared/notifications/pending-digest.js';
import type { Mail } from './mailer.js';
import { isEmailAddress } from '../../contract/email-address.js';
import { formatCount } from '../../contract/number-format.js';

/** 1536 -> "1.5 KiB"; bytes below 1 KiB as bytes. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export const endpointConsoleUrl = (portalUrl: string, endpoint: string): string => `${portalUrl}/admin/endpoints/${encodeURIComponent(endpoint)}/files`;

export function filesReceivedData(digest: PendingDigest, portalUrl: string): FilesReceivedData {
  return {
    endpoint: digest.endpoint,
    fileCount: digest.fileCount,
    totalBytes: digest.totalBytes,
    uploaders: digest.uploaders,
    files: digest.files,
    firstArrivalAt: digest.firstArrivalAt,
    lastArrivalAt: digest.lastArrivalAt,
    consoleUrl: endpointConsoleUrl(portalUrl, digest.endpoint),
  };
}

const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

function fileLines(data: { files: readonly { name: string; size: number }[]; fileCount: number }, limit = data.files.length): string[] {
  const shown = data.files.slice(0, limit);
  const lines = shown.map((f) => `  - ${f.name} (${formatBytes(f.size)})`);
  if (data.fileCount > shown.length) lines.push(`  ... and ${plural(data.fileCount - shown.length, 'more file')}`);
  return lines;
}

/** The admins' digest: who, how many, how much, the first names, where to look. */
export function adminDigestMail(to: string[], data: FilesReceivedData): Mail {
  const who = data.uploaders.length ? data.uploaders.join(', ') : 'unknown sender';
  return {
    to,
    subject: `[upload portal] ${data.endpoint}: ${plural(data.fileCount, 'file')} received (${formatBytes(data.totalBytes)})`,
    text: [
      `${plural(data.fileCount, 'file')} (${formatBytes(data.totalBytes)}, ${data.totalBytes} bytes) arrived in the upload endpoint "${data.endpoint}"`,
      `between ${data.firstArrivalAt} and ${data.lastArrivalAt}.`,
      `Uploaded by: ${who}`,
      '',
      'Files:',
      ...fileLines(data),
      '',
      `Open them in the admin console: ${data.consoleUrl}`,
    ].join('\n'),
  };
}

/**
 * An uploader's receipt: what the portal received from them, and nothing another uploader sent (no
 * console link either: they cannot open it).
 */
export function customerReceiptMail(to: string[], data: Pick<UploaderFiles, 'fileCount' | 'totalBytes' | 'files'>): Mail {
  return {
    to,
    subject: `Your upload: ${plural(data.fileCount, 'file')} received (${formatBytes(data.totalBytes)})`,
    text: [
      `We received ${plural(data.fileCount, 'file')} (${formatBytes(data.totalBytes)}) from you.`,
      '',
      'Files:',
      ...fileLines(data, DIGEST_RECEIPT_NAME_LIMIT),
      '',
      'This is an automatic message.',
    ].join('\n'),
  };
}

export function infectedAlertMail(to: string[], data: FileInfectedData): Mail {
  return {
    to,
    subject: `[upload portal] ALERT ${data.endpoint}: malware found in ${data.name}`,
    text: [
      `The malware scan found a threat in a file uploaded to "${data.endpoint}".`,
      '',
      `File: ${data.name}`,
      `Key: ${data.key}`,
      `Size: ${data.size === null ? 'unknown' : formatBytes(data.size)}`,
      `Uploaded by: ${data.uploadedBy ?? 'unknown'}`,
      `Threats: ${data.threats.length ? data.threats.join(', ') : 'not named by the scanner'}`,
      '',
      'The file cannot be downloaded through the portal. Review and delete it in the admin console:',
      data.consoleUrl,
    ].join('\n'),
  };
}

export const webhookBody = <T extends WebhookBody['type']>(id: string, type: T, timestamp: string, data: WebhookBody<T>['data']): WebhookBody<T> => ({ id, type, timestamp, data });

/** Plausible e-mail addresses among the uploaders (a login may be a bare username). */
export const emailAddresses = (values: readonly string[]): string[] => values.filter(isEmailAddress);
