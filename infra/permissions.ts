// Least-privilege IAM statements for each Lambda, as plain functions of the resource ARNs so the
// exact grants are easy to read and to test. No `s3:*`, no `*` resources, prefixes everywhere, and each
// action only where the Lambda's code needs it.
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AUDIT_PREFIX, ENDPOINTS_PREFIX, PORTAL_PREFIX, UPLOADS_PREFIX, WEBHOOK_SECRETS_PREFIX } from '../contract/bucket-layout.js';
import { PENDING_PREFIX } from '../contract/bucket-layout.js';
import { CATALOG_PARTITIONS } from '../contract/catalog-table.js';


/**
 * The Cognito calls the admin API makes on the customer pool, exactly (grep `Command(` in lambdas/admin):
 * create, read, enable/disable, set a temporary password (then sign the login out everywhere), delete.
 * Deliberately absent: AdminUpdateUserAttributes (it could rebind a login's custom:endpoint to another
 * customer's folder), AdminResetUserPassword and ListUsers (unused). A call not listed here fails in AWS
 * with AccessDenied: add it here (and to the infra test) when the admin API starts using it.
 */
export const ADMIN_COGNITO_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminDeleteUser',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminSetUserPassword',
  'cognito-idp:AdminUserGlobalSignOut',
] as const;

/**
 * Why each prefix wildcard is the narrowest grant possible (cdk-nag AwsSolutions-IAM5 acknowledgments),
 * by statement sid. A statement with a wildcard resource and no entry here fails the infra tests.
 */
export const WILDCARD_REASONS: Readonly<Record<string, string>> = {
  UploadObjects:
    'object keys are chosen per upload at run time, so the grant is the uploads/ prefix of the data bucket (write, abort, list parts; no read, no delete); the handler further confines each caller to uploads/<endpoint>/.',
  ReadReservations:
    'read-only access to the upload reservations, one object per upload named at run time, under uploads/.portal-pending/ of the data bucket (not the customers\' files).',
  ReadEndpointRecords: 'read-only access to the endpoint records, one object per endpoint named at run time, under _portal/endpoints/ of the data bucket.',
  WriteAuditEvents:
    'the uploads API writes one audit event per completed upload, named at run time, under _portal/audit/ of the data bucket (write only: no read, no delete, no other record).',
  ReadObjects:
    'the admin API reads customer files (downloads), endpoint records and audit events, which are spread over the whole data bucket; read only, and no other bucket is reachable.',
  WritePortalRecords:
    'the admin API writes endpoint records and audit events, one object each named at run time, under _portal/ of the data bucket; it never writes customer files.',
  AbortCustomerUploads:
    'purging an endpoint aborts its unfinished multipart uploads, named at run time under uploads/<endpoint>/ of the data bucket (abort only: no write, no read).',
  DeleteFilesAndRecords:
    'the admin API deletes customer files and upload reservations (uploads/), endpoint records (_portal/endpoints/) and retired webhook secrets (_portal/webhook-secrets/), named at run time; never the audit trail under _portal/audit/.',
  ReadWebhookSecrets:
    'the notify Lambda reads the signing secret of the webhook it sends, one object per secret named at run time under _portal/webhook-secrets/ of the data bucket (read only), kept apart from the endpoint records the uploads Lambda reads.',
  WriteDeliveryAudit:
    'the notify Lambda records each e-mail and webhook attempt as one audit event, named at run time, under _portal/audit/ of the data bucket (write only: no read, no delete, no other record).',
  TagReleasedFiles:
    'an admin releases a file that could not be scanned by tagging it (read the tags, then write them back with the release tag), one object named at run time under uploads/ of the data bucket; the bucket policy limits which tags and values it may write.',
  WriteEventAudit:
    'the events Lambda writes one audit event per infected file (file.infected) and per file stored with one PUT (upload.completed), named at run time, under _portal/audit/ of the data bucket (write only, with If-None-Match).',
  ReadUploadMetadata:
    'the events Lambda reads the metadata of each object an S3 event names (HeadObject = s3:GetObject), named at run time under uploads/ of the data bucket; nothing else of the bucket.',
};

/** The DynamoDB calls each Lambda makes on the catalog (grep `Command(` in lambdas/shared/catalog/catalog-db.ts). */
export const CATALOG_ACTIONS = {
  /** Events: read-modify-write of one key's entry, folder items and usage; folder-emptiness queries on the table. */
  events: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
  /** Admin reads: usage, folders (table), listings (indexes). */
  adminRead: ['dynamodb:GetItem', 'dynamodb:Query'],
  /**
   * Admin writes: reconcile (lambdas/shared/catalog/reconcile.ts) and the scan state of a file an admin
   * releases (lambdas/admin/file-release.ts).
   */
  adminWrite: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  /** Uploads: the customer's own files, newest first (index endpoint-by-time). */
  uploadsFiles: ['dynamodb:Query'],
  /** Uploads: the quota holds of uploads in progress (lambdas/shared/catalog/quota-holds.ts), and only those items. */
  uploadsHolds: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
  /** Uploads: an endpoint's usage, and whether the catalog counts a file that landed (its item by key). */
  uploadsCounts: ['dynamodb:GetItem'],
  /** Notify: read a pending digest, take it (conditional delete), put it back when sending failed. */
  notify: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
} as const;

/** A condition that limits item calls to the partitions whose keys match `patterns`. */
const leadingKeys = (patterns: readonly string[]) => ({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...patterns] } });

/**
 * notify: the endpoint records (who is told, the webhook and its secret), its audit events, the
 * pending digests in the catalog table. No customer file, no listing. SES and SQS grants are added
 * where the queues and the identity are (notifications.ts).
 */
export function notifyStatements(bucketArn: string, catalog: CatalogArns): PolicyStatement[] {
  return [
    new PolicyStatement({ sid: 'ReadEndpointRecords', effect: Effect.ALLOW, actions: ['s3:GetObject'], resources: [`${bucketArn}/${ENDPOINTS_PREFIX}*`] }),
    // Signing secrets are kept apart from the records (which the uploads Lambda reads): admin and notify only.
    new PolicyStatement({ sid: 'ReadWebhookSecrets', effect: Effect.ALLOW, actions: ['s3:GetObject'], resources: [`${bucketArn}/${WEBHOOK_SECRETS_PREFIX}*`] }),
    new PolicyStatement({ sid: 'WriteDeliveryAudit', effect: Effect.ALLOW, actions: ['s3:PutObject'], resources: [`${bucketArn}/${AUDIT_PREFIX}*`] }),
    new PolicyStatement({ sid: 'TakeDigests', effect: Effect.ALLOW, actions: [...CATALOG_ACTIONS.notify], resources: [catalog.table], conditions: leadingKeys([`${CATALOG_PARTITIONS.digest}*`]) }),
  ];
}

/**
 * SES SendEmail from the sender's identity only. Which identity SES authorizes depends on how the
 * sender was verified (the address itself, or its domain), so both ARNs are named, nothing else.
 */
export function sendEmailStatement(identityArns: readonly string[]): PolicyStatement {
  return new PolicyStatement({ sid: 'SendFromSenderIdentity', effect: Effect.ALLOW, actions: ['ses:SendEmail'], resources: [...identityArns] });
}

export interface CatalogArns {
  table: string;
  /** Index ARNs by index name. */
  index: (name: string) => string;
  indexNames: readonly string[];
}

/** The catalog partitions whose items hold quota holds (the uploads Lambda writes these and no other). */
export const HOLD_PARTITIONS = [CATALOG_PARTITIONS.hold, CATALOG_PARTITIONS.reserved, CATALOG_PARTITIONS.open].map((prefix) => `${prefix}*`);
/** File, tombstone and folder items: their partition is a folder path, which always ends in `/`. */
export const FOLDER_PARTITION = '*/';
/** Usage items, and file items (a file's partition is its folder path, which ends in `/`). */
export const COUNT_PARTITIONS = [`${CATALOG_PARTITIONS.usage}*`, FOLDER_PARTITION];
/**
 * The admin Lambda's writes: reconcile puts and removes files, tombstones and folders and sets usage
 * (lambdas/shared/catalog/reconcile.ts); a release updates one file item (scan-writer.ts). Never a
 * digest or a quota hold: those belong to the events, notify and uploads Lambdas.
 */
export const ADMIN_WRITE_PARTITIONS = [FOLDER_PARTITION, `${CATALOG_PARTITIONS.usage}*`];
/**
 * The events Lambda's reads and writes: files, tombstones and folders (entry-writer.ts, folder-entries.ts,
 * scan-writer.ts), usage (usage-counter.ts) and the pending digests (shared/notifications/pending-digest.ts).
 * Never a quota hold (#hold#, #reserved#, #open#).
 */
export const EVENTS_PARTITIONS = [FOLDER_PARTITION, `${CATALOG_PARTITIONS.usage}*`, `${CATALOG_PARTITIONS.digest}*`];

/**
 * uploads: query its endpoint's files from one index; keep the quota holds of uploads in progress (the
 * hold, reserved and open items, by partition); read usage and file items. It writes no file, folder,
 * usage or digest item.
 */
export function uploadsCatalogStatements(catalog: CatalogArns, indexName: string): PolicyStatement[] {
  return [
    new PolicyStatement({ sid: 'QueryOwnFiles', effect: Effect.ALLOW, actions: [...CATALOG_ACTIONS.uploadsFiles], resources: [catalog.index(indexName)] }),
    new PolicyStatement({ sid: 'KeepQuotaHolds', effect: Effect.ALLOW, actions: [...CATALOG_ACTIONS.uploadsHolds], resources: [catalog.table], conditions: leadingKeys(HOLD_PARTITIONS) }),
    new PolicyStatement({ sid: 'ReadUsageAndFiles', effect: Effect.ALLOW, actions: [...CATALOG_ACTIONS.uploadsCounts], resources: [catalog.table], conditions: leadingKeys(COUNT_PARTITIONS) }),
  ];
}

/** admin: read the table and every index; write files, folders and usage (reconcile, and a released file's scan state). */
export function adminCatalogStatements(catalog: CatalogArns): PolicyStatement[] {
  return [
    new PolicyStatement({ sid: 'ReadCatalog', effect: Effect.ALLOW, actions: [...CATALOG_ACTIONS.adminRead], resources: [catalog.table, ...catalog.indexNames.map(catalog.index)] }),
    new PolicyStatement({ sid: 'WriteCatalog', effect: Effect.ALLOW, actions: [...CATALOG_ACTIONS.adminWrite], resources: [catalog.table], conditions: leadingKeys(ADMIN_WRITE_PARTITIONS) }),
  ];
}

/**
 * events: HeadObject under uploads/ (its role is the one a bucket policy on unscanned objects must
 * exempt: Functions.eventsRole), ListBucket so that S3 answers HeadObject on a missing key with 404
 * rather than 403, and the catalog table's file, folder, usage and digest items (no index: it writes and
 * reads by key).
 */
export function eventsStatements(bucketArn: string, catalog: CatalogArns): PolicyStatement[] {
  return [
    new PolicyStatement({ sid: 'ReadUploadMetadata', effect: Effect.ALLOW, actions: ['s3:GetObject'], resources: [`${bucketArn}/${UPLOADS_PREFIX}*`] }),
    new PolicyStatement({
      sid: 'ListUploads',
      effect: Effect.ALLOW,
      actions: ['s3:ListBucket'],
      resources: [bucketArn],
      // IfExists: a HeadObject's "may it list?" check carries no prefix; a real listing must stay under uploads/.
      conditions: { StringLikeIfExists: { 's3:prefix': [`${UPLOADS_PREFIX}*`] } },
    }),
    new PolicyStatement({ sid: 'WriteCatalog', effect: Effect.ALLOW, actions: [...CATALOG_ACTIONS.events], resources: [catalog.table], conditions: leadingKeys(EVENTS_PARTITIONS) }),
    // The durable records the events Lambda makes: an infected file (lambdas/events/scan-result.ts) and a
    // file stored with one PUT (lambdas/events/single-put-audit.ts); write only, never read back.
    new PolicyStatement({ sid: 'WriteEventAudit', effect: Effect.ALLOW, actions: ['s3:PutObject'], resources: [`${bucketArn}/${AUDIT_PREFIX}*`] }),
  ];
}

/** Every S3 call the uploads Lambda makes, and the grant that covers it. */
export function uploadsStatements(bucketArn: string): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'UploadObjects',
      effect: Effect.ALLOW,
      // PutObject covers CreateMultipartUpload, UploadPart (presigned), CompleteMultipartUpload, presigned
      // POSTs and the reservation writes under uploads/.portal-pending/. No GetObject: a customer's files
      // are never read back (the listing is ListObjectsV2 = ListBucket).
      actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resources: [`${bucketArn}/${UPLOADS_PREFIX}*`],
    }),
    new PolicyStatement({
      sid: 'ReadReservations',
      effect: Effect.ALLOW,
      actions: ['s3:GetObject'],
      resources: [`${bucketArn}/${PENDING_PREFIX}*`],
    }),
    new PolicyStatement({
      sid: 'ReadEndpointRecords',
      effect: Effect.ALLOW,
      actions: ['s3:GetObject'],
      resources: [`${bucketArn}/${ENDPOINTS_PREFIX}*`],
    }),
    new PolicyStatement({
      sid: 'WriteAuditEvents',
      effect: Effect.ALLOW,
      // The audit trail of completed uploads (shared/audit-writer.ts): write only, with If-None-Match.
      actions: ['s3:PutObject'],
      resources: [`${bucketArn}/${AUDIT_PREFIX}*`],
    }),
    new PolicyStatement({
      sid: 'ListUploads',
      effect: Effect.ALLOW,
      actions: ['s3:ListBucket'],
      resources: [bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${UPLOADS_PREFIX}*`] } },
    }),
    new PolicyStatement({
      sid: 'ListMultipartUploads',
      effect: Effect.ALLOW,
      actions: ['s3:ListBucketMultipartUploads'],
      resources: [bucketArn],
      // IfExists: S3 does not document s3:prefix for this action; a plain StringLike on an absent key
      // would deny every call. Where the key is present it must lie under uploads/.
      conditions: { StringLikeIfExists: { 's3:prefix': [`${UPLOADS_PREFIX}*`] } },
    }),
  ];
}

/**
 * admin: read anything in this bucket (downloads, records, audit); write only the portal's own records;
 * delete files, reservations and endpoint records but never audit events; abort unfinished uploads
 * (the purge); list; the customer pool's logins.
 * DeleteObjects (the purge of an endpoint) is authorised per key as s3:DeleteObject; HeadObject as GetObject.
 */
export function adminStatements(bucketArn: string, customerPoolArn: string): PolicyStatement[] {
  return [
    new PolicyStatement({ sid: 'ReadObjects', effect: Effect.ALLOW, actions: ['s3:GetObject'], resources: [`${bucketArn}/*`] }),
    new PolicyStatement({ sid: 'WritePortalRecords', effect: Effect.ALLOW, actions: ['s3:PutObject'], resources: [`${bucketArn}/${PORTAL_PREFIX}*`] }),
    new PolicyStatement({
      sid: 'DeleteFilesAndRecords',
      effect: Effect.ALLOW,
      actions: ['s3:DeleteObject'],
      resources: [`${bucketArn}/${UPLOADS_PREFIX}*`, `${bucketArn}/${ENDPOINTS_PREFIX}*`, `${bucketArn}/${WEBHOOK_SECRETS_PREFIX}*`],
    }),
    new PolicyStatement({ sid: 'ListBucket', effect: Effect.ALLOW, actions: ['s3:ListBucket'], resources: [bucketArn] }),
    // Purging an endpoint aborts its unfinished uploads: listed, then aborted (their parts deleted).
    new PolicyStatement({
      sid: 'AbortCustomerUploads',
      effect: Effect.ALLOW,
      actions: ['s3:AbortMultipartUpload'],
      resources: [`${bucketArn}/${UPLOADS_PREFIX}*`],
    }),
    new PolicyStatement({
      sid: 'ListCustomerUploads',
      effect: Effect.ALLOW,
      actions: ['s3:ListBucketMultipartUploads'],
      resources: [bucketArn],
      // As the uploads Lambda's ListMultipartUploads: IfExists, since S3 does not document s3:prefix here.
      conditions: { StringLikeIfExists: { 's3:prefix': [`${UPLOADS_PREFIX}*`] } },
    }),
    new PolicyStatement({ sid: 'ManageLogins', effect: Effect.ALLOW, actions: [...ADMIN_COGNITO_ACTIONS], resources: [customerPoolArn] }),
    // Releasing a file that could not be scanned (lambdas/admin/file-release.ts): read its tags, write them back with the release tag.
    new PolicyStatement({ sid: 'TagReleasedFiles', effect: Effect.ALLOW, actions: ['s3:GetObjectTagging', 's3:PutObjectTagging'], resources: [`${bucketArn}/${UPLOADS_PREFIX}*`] }),
  ];
}

/** With a customer-managed key: encrypt (multipart create/upload) and decrypt (complete, download), via S3 only. */
export function kmsStatement(keyArn: string, region: string): PolicyStatement {
  return new PolicyStatement({
    sid: 'UseBucketKey',
    effect: Effect.ALLOW,
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    resources: [keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
  });
}

/** Every Lambda: write its own log group, nothing else (instead of AWSLambdaBasicExecutionRole's `*`). */
export function logStatement(logGroupArn: string): PolicyStatement {
  return new PolicyStatement({
    sid: 'WriteOwnLogs',
    effect: Effect.ALLOW,
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resources: [logGroupArn],
  });
}
