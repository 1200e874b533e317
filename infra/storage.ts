// The data bucket (customers' files, endpoint records, audit events; its events go to EventBridge) and the log bucket (S3 server
// access logs, ALB access logs, VPC flow logs). The data bucket outlives the stack.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  CfnBucket,
  BucketEncryption,
  HttpMethods,
  type LifecycleRule,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AUDIT_PREFIX, UPLOADS_PREFIX } from '../contract/bucket-layout.js';
import { PENDING_PREFIX } from '../contract/bucket-layout.js';
import { CORS_ALLOWED_HEADERS, CORS_ALLOWED_METHODS, CORS_EXPOSED_HEADERS, CORS_MAX_AGE_SECONDS, CORS_RULE_ID } from '../contract/bucket-cors.js';
import { type PortalConfig, portalUrl } from './config.js';

export type StorageConfig = Pick<
  PortalConfig,
  'domainName' | 'kmsKeyArn' | 'incompleteUploadDays' | 'uploadExpiryDays' | 'auditRetentionDays' | 'logRetentionDays'
>;

export interface StorageProps {
  readonly config: StorageConfig;
}


/** Key prefixes of the log bucket, one per log source. */
export const LOG_PREFIXES = { s3: 's3-access/', alb: 'alb', vpc: 'vpc-flow/' } as const;

export class Storage extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  /** The customer-managed key, when the config names one; null means SSE-S3. */
  readonly encryptionKey: IKey | null;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const { config } = props;

    // SSE-S3 only: ALB access logs cannot be delivered to a KMS-encrypted bucket.
    this.logBucket = new Bucket(this, 'LogBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(config.logRetentionDays) }],
      // Logs are evidence after an incident, including one that ends with deleting the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'LogBucket is the destination of all access logs; logging its own accesses into itself would loop.',
    });

    this.encryptionKey = config.kmsKeyArn ? Key.fromKeyArn(this, 'DataKey', config.kmsKeyArn) : null;

    this.bucket = new Bucket(this, 'DataBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      ...(this.encryptionKey
        ? { encryption: BucketEncryption.KMS, encryptionKey: this.encryptionKey, bucketKeyEnabled: true }
        : { encryption: BucketEncryption.S3_MANAGED }),
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      cors: [
        {
          id: CORS_RULE_ID,
          // Only the portal's own pages may talk to the bucket from a browser (the original allowed `*`).
          allowedOrigins: [portalUrl(config)],
          allowedMethods: CORS_ALLOWED_METHODS.map((method) => HttpMethods[method]),
          allowedHeaders: CORS_ALLOWED_HEADERS,
          exposedHeaders: CORS_EXPOSED_HEADERS,
          maxAge: CORS_MAX_AGE_SECONDS,
        },
      ],
      lifecycleRules: dataLifecycleRules(config),
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: LOG_PREFIXES.s3,
      // Customers' files must survive `cdk destroy`; an operator empties and deletes the bucket by hand.
      removalPolicy: RemovalPolicy.RETAIN,
      autoDeleteObjects: false,
    });
    for (const statement of auditWriteOnceStatements(this.bucket.bucketArn)) this.bucket.addToResourcePolicy(statement);
    // Every S3 event to EventBridge (event-pipeline.ts picks the catalog's), set on the bucket itself:
    // the Bucket's `eventBridgeEnabled` would add a custom resource Lambda with s3:PutBucketNotification on `*`.
    (this.bucket.node.defaultChild as CfnBucket).addPropertyOverride('NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled', true);
  }
}

/**
 * The audit trail is write-once, for every principal, admins and the account root included: an audit
 * object may only be created with `If-None-Match: *` (so an existing event can never be overwritten)
 * and never deleted by a request (the lifecycle rule expires events after auditRetentionDays; lifecycle
 * actions are not requests and no bucket policy applies to them). A bucket policy rather than S3 Object
 * Lock: Object Lock needs versioning on the data bucket, which would keep every overwritten or deleted
 * customer file (and bill it) until a noncurrent-version rule removes it, for the sake of one prefix.
 * `s3:ObjectCreationOperation` limits the first statement to requests that create an object, as AWS's
 * own "require conditional writes" example does.
 */
export function auditWriteOnceStatements(bucketArn: string): PolicyStatement[] {
  const audit = `${bucketArn}/${AUDIT_PREFIX}*`;
  return [
    new PolicyStatement({
      sid: 'AuditWriteOnceOnlyConditionalCreates',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [audit],
      conditions: { Null: { 's3:if-none-match': 'true' }, Bool: { 's3:ObjectCreationOperation': 'true' } },
    }),
    new PolicyStatement({
      sid: 'AuditWriteOnceNoDeletes',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectTagging', 's3:DeleteObjectTagging'],
      resources: [audit],
    }),
  ];
}

/** The data bucket's lifecycle: abandoned uploads and their reservations, optional upload expiry, audit retention. */
export function dataLifecycleRules(config: Pick<StorageConfig, 'incompleteUploadDays' | 'uploadExpiryDays' | 'auditRetentionDays'>): LifecycleRule[] {
  const rules: LifecycleRule[] = [
    // Parts of an abandoned upload are billed until the upload is aborted (the original kept them forever).
    { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(config.incompleteUploadDays) },
    // Upload reservations (lambdas/shared/upload-reservation.ts) outlive their multipart upload by a
    // day, so a key stays taken while its upload can still complete; the uploads role cannot delete them.
    { id: 'expire-upload-reservations', prefix: PENDING_PREFIX, expiration: Duration.days(config.incompleteUploadDays + 1) },
  ];
  if (config.uploadExpiryDays !== null) {
    rules.push({ id: 'expire-uploads', prefix: UPLOADS_PREFIX, expiration: Duration.days(config.uploadExpiryDays) });
  }
  rules.push({ id: 'expire-audit-events', prefix: AUDIT_PREFIX, expiration: Duration.days(config.auditRetentionDays) });
  return rules;
}
