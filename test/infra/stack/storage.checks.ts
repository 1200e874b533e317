// Storage: the data bucket and the log bucket. Both: no public access, TLS only, encrypted. The data
// bucket: CORS for the portal only, lifecycle rules, a write-once audit trail, events to EventBridge,
// kept when the stack goes; the log bucket: access logs, expired after logRetentionDays.
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { AUDIT_PREFIX, UPLOADS_PREFIX } from '../../../contract/bucket-layout.js';
import { PENDING_PREFIX } from '../../../contract/bucket-layout.js';
import { type Synth, logicalIdOf, resourcesOfType } from '../synth.js';

export function storageChecks(get: () => Synth): void {
  const ids = () => {
    const { stack } = get();
    return { data: logicalIdOf(stack, stack.storage.bucket), log: logicalIdOf(stack, stack.storage.logBucket) };
  };
  const bucket = (id: string) => resourcesOfType(get(), 'AWS::S3::Bucket')[id]!;

  describe('storage', () => {
    it('has exactly a data bucket and a log bucket', () => {
      get().template.resourceCountIs('AWS::S3::Bucket', 2);
    });

    it('blocks all public access on both buckets', () => {
      for (const id of Object.values(ids())) {
        expect(bucket(id).Properties?.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
      }
    });

    it('denies every non-TLS request to both buckets', () => {
      for (const id of Object.values(ids())) {
        get().template.hasResourceProperties('AWS::S3::BucketPolicy', {
          Bucket: { Ref: id },
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        });
      }
    });

    it('encrypts with S3-managed keys when no KMS key is configured', () => {
      expect(get().config.kmsKeyArn).toBeNull();
      for (const id of Object.values(ids())) {
        expect(bucket(id).Properties?.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
      }
    });

    it('allows CORS only from the portal origin, with the multipart methods and the checksum and If-None-Match headers, and exposes ETag and the checksum', () => {
      const rules = (bucket(ids().data).Properties?.CorsConfiguration as { CorsRules: Record<string, string[]>[] }).CorsRules;
      expect(rules).toHaveLength(1);
      const rule = rules[0]!;
      expect(rule.AllowedOrigins).toEqual([`https://${get().config.domainName}`]);
      expect([...rule.AllowedMethods!].sort()).toEqual(['GET', 'HEAD', 'POST', 'PUT']);
      expect(rule.ExposedHeaders).toContain('ETag');
      // The page reads the checksum S3 verified, and a small file's PUT sends If-None-Match: *.
      expect(rule.ExposedHeaders).toEqual(expect.arrayContaining(['x-amz-checksum-crc64nvme', 'x-amz-checksum-type']));
      expect(rule.AllowedHeaders).toEqual(expect.arrayContaining(['Content-Type', 'If-None-Match', 'x-amz-*']));
      expect(rule.AllowedHeaders).not.toContain('*');
      expect(JSON.stringify(rules)).not.toMatch(/"\*"|http:\/\//);
    });

    it('aborts incomplete multipart uploads after the configured days, bucket-wide', () => {
      get().template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            { Id: 'abort-incomplete-multipart-uploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: get().config.incompleteUploadDays } },
          ]),
        },
      });
    });

    it('keeps uploads by default (no expiry rule on uploads/), and expires audit events after auditRetentionDays', () => {
      const rules = (bucket(ids().data).Properties?.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
      expect(rules.find((rule) => rule.Prefix === UPLOADS_PREFIX)).toBeUndefined();
      expect(rules).toContainEqual({ Id: 'expire-audit-events', Status: 'Enabled', Prefix: AUDIT_PREFIX, ExpirationInDays: get().config.auditRetentionDays });
      expect(rules).toContainEqual({ Id: 'expire-upload-reservations', Status: 'Enabled', Prefix: PENDING_PREFIX, ExpirationInDays: get().config.incompleteUploadDays + 1 });
    });

    it('sends server access logs to the log bucket, which expires logs after logRetentionDays', () => {
      const { data, log } = ids();
      expect(bucket(data).Properties?.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: log }, LogFilePrefix: 's3-access/' });
      expect(bucket(log).Properties?.LifecycleConfiguration).toEqual({
        Rules: [{ Id: 'expire-logs', Status: 'Enabled', ExpirationInDays: get().config.logRetentionDays }],
      });
    });

    it('makes the audit trail write-once for everyone: creates only with If-None-Match, no deletes or tag changes', () => {
      const policies = Object.values(get().template.findResources('AWS::S3::BucketPolicy')).filter((p) => JSON.stringify(p.Properties?.Bucket) === JSON.stringify({ Ref: ids().data }));
      const statements = policies.flatMap((p) => (p.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement);
      const auditResource = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [ids().data, 'Arn'] }, `/${AUDIT_PREFIX}*`]] };
      expect(statements).toContainEqual({
        Sid: 'AuditWriteOnceOnlyConditionalCreates',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Resource: auditResource,
        Condition: { Null: { 's3:if-none-match': 'true' }, Bool: { 's3:ObjectCreationOperation': 'true' } },
      });
      expect(statements).toContainEqual(expect.objectContaining({
        Sid: 'AuditWriteOnceNoDeletes',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: expect.arrayContaining(['s3:DeleteObject', 's3:DeleteObjectVersion']),
        Resource: auditResource,
      }));
    });

    it('sends the data bucket\'s events to EventBridge on the bucket itself (no notification custom resource)', () => {
      expect(bucket(ids().data).Properties?.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
      expect(bucket(ids().log).Properties?.NotificationConfiguration).toBeUndefined();
      expect(get().template.findResources('Custom::S3BucketNotifications')).toEqual({});
    });

    it('retains the data bucket when the stack is deleted, and never auto-deletes its objects', () => {
      const data = bucket(ids().data);
      expect(data.DeletionPolicy).toBe('Retain');
      expect(data.UpdateReplacePolicy).toBe('Retain');
      expect(get().template.findResources('Custom::S3AutoDeleteObjects')).toEqual({});
    });
  });
}
