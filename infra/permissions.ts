// Least-privilege IAM statements for each Lambda, as plain functions of the resource ARNs so the
// exact grants are easy to read and to test. No `s3:*`, no `*` resources, prefixes everywhere.
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { ENDPOINTS_PREFIX, UPLOADS_PREFIX } from '../lambdas/shared/storage-layout.js';

/**
 * The Cognito calls the admin API makes on the customer pool (logins: create, read, list, enable,
 * disable, reset, delete, bind to an endpoint, sign out everywhere). A call not listed here fails in
 * AWS with AccessDenied: add it here (and to the infra test) when the admin API starts using it.
 */
export const ADMIN_COGNITO_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminDeleteUser',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminResetUserPassword',
  'cognito-idp:AdminSetUserPassword',
  'cognito-idp:AdminUpdateUserAttributes',
  'cognito-idp:AdminUserGlobalSignOut',
  'cognito-idp:ListUsers',
] as const;

/**
 * Why each prefix wildcard is the narrowest grant possible (cdk-nag AwsSolutions-IAM5 acknowledgments),
 * by statement sid. A statement with a wildcard resource and no entry here fails the infra tests.
 */
export const WILDCARD_REASONS: Readonly<Record<string, string>> = {
  UploadObjects:
    'object keys are chosen per upload at run time, so the grant is the uploads/ prefix of the data bucket; the handler further confines each caller to uploads/<endpoint>/.',
  ReadEndpointRecords: 'read-only access to the endpoint records, one object per endpoint named at run time, under _portal/endpoints/ of the data bucket.',
  ManageObjects:
    'the admin API manages customer files, endpoint records and audit events, which are spread over the whole data bucket; no other bucket is reachable.',
};

/** uploads: the multipart control plane for `uploads/*`, and reading endpoint records. */
export function uploadsStatements(bucketArn: string): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'UploadObjects',
      effect: Effect.ALLOW,
      // PutObject covers CreateMultipartUpload, UploadPart (presigned) and CompleteMultipartUpload.
      actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resources: [`${bucketArn}/${UPLOADS_PREFIX}*`],
    }),
    new PolicyStatement({
      sid: 'ReadEndpointRecords',
      effect: Effect.ALLOW,
      actions: ['s3:GetObject'],
      resources: [`${bucketArn}/${ENDPOINTS_PREFIX}*`],
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

/** admin: objects anywhere in this bucket (files, records, audit), listing, and the customer pool's logins. */
export function adminStatements(bucketArn: string, customerPoolArn: string): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'ManageObjects',
      effect: Effect.ALLOW,
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: [`${bucketArn}/*`],
    }),
    new PolicyStatement({ sid: 'ListBucket', effect: Effect.ALLOW, actions: ['s3:ListBucket'], resources: [bucketArn] }),
    new PolicyStatement({ sid: 'ManageLogins', effect: Effect.ALLOW, actions: [...ADMIN_COGNITO_ACTIONS], resources: [customerPoolArn] }),
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
