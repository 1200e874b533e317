// An upload endpoint's settings, stored as JSON at `_portal/endpoints/<name>.json`.
// The admin Lambda writes it (If-None-Match / If-Match); the uploads Lambda only reads it.
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isMissingReservedObject } from './missing-object.js';
import { endpointRecordKey } from '../../contract/bucket-layout.js';
import type { StoredNotifications } from './notifications/notification-settings.js';

export interface EndpointRecord {
  name: string;
  displayName: string;
  customerEmail: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  /** ISO timestamp after which uploads are refused; null = never. */
  expiresAt: string | null;
  maxFileSizeBytes: number | null;
  /** Bytes all files together may hold (stored and in progress); null = no quota. Absent in records written before quotas. */
  quotaBytes?: number | null;
  /** Files the endpoint may hold; null = no quota. */
  quotaFiles?: number | null;
  /** Lower-case extensions without the dot (`pdf`, `tar.gz`); null = any. */
  allowedExtensions: string[] | null;
  notes: string;
  disabled: boolean;
  /** Cognito usernames bound to this endpoint (Cognito cannot list users by custom attribute). */
  logins: string[];
  /** Who is told about arrivals and how; absent on records from before notifications (= nobody). */
  notifications?: StoredNotifications;
  /**
   * Per login (username, lower case): sessions that began before this ISO time are refused. Set when an
   * admin resets the login's password or removes it (absent in older records).
   */
  sessionsNotBefore?: Record<string, string>;
}

export type EndpointState = 'active' | 'disabled' | 'expired';

export function endpointState(record: EndpointRecord, now: Date): EndpointState {
  if (record.disabled) return 'disabled';
  if (record.expiresAt !== null && Date.parse(record.expiresAt) <= now.getTime()) return 'expired';
  return 'active';
}

export interface StoredEndpoint {
  record: EndpointRecord;
  etag: string;
}

/**
 * The record, or null when there is none. A 403 AccessDenied counts as none: the uploads role may not
 * list the bucket outside `uploads/`, so S3 answers it 403 for a missing record (missing-object.ts).
 */
export async function readEndpointRecord(s3: S3Client, bucket: string, name: string): Promise<StoredEndpoint | null> {
  try {
    const result = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: endpointRecordKey(name) }));
    const text = await result.Body!.transformToString('utf8');
    return { record: JSON.parse(text) as EndpointRecord, etag: result.ETag ?? '' };
  } catch (error) {
    if (isMissingReservedObject(error)) return null;
    throw error;
  }
}
