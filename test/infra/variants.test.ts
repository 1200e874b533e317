// The other config branches in one synth without bundling (CDK's bundling skip, as `cdk destroy` does):
// an admin Cognito pool with an invited first admin, a DNS-validated certificate with an alias record,
// a KMS key, upload expiry, customer MFA off, a GovCloud-style ALB keys URL, no reserved concurrency, no
// web ACL, an alarm topic, and malware scanning `tag` (scanned and tagged, reads not gated; `block` is the example
// config's, `off` has its own synth in malware-scan-off.test.ts).
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIES } from '../../contract/routes.js';
import { UPLOADS_PREFIX } from '../../contract/bucket-layout.js';
import { environmentOf, functionChecks } from './stack/functions.checks.js';
import { customerPoolChecks } from './stack/identity.checks.js';
import { listenerRuleChecks, loadBalancerChecks } from './stack/load-balancer.checks.js';
import { alarmChecks } from './stack/alarms.checks.js';
import { nagChecks } from './stack/nag.checks.js';
import { malwareScanChecks } from './stack/malware-scan.checks.js';
import { bySid, permissionChecks, statementsOf } from './stack/permissions.checks.js';
import { type Synth, exampleConfig, logicalIdOf, resourcesOfType, synthPortal } from './synth.js';

const KMS_KEY = 'arn:aws:kms:eu-west-1:111111111111:key/22222222-2222-2222-2222-222222222222';
const ALB_KEYS_URL = 'https://s3-eu-west-1.amazonaws.com/example-alb-keys';
const ALARM_TOPIC = 'arn:aws:sns:eu-west-1:111111111111:portal-operators';

let synth: Synth | undefined;
const get = (): Synth => {
  if (!synth) throw new Error('synth failed in beforeAll');
  return synth;
};

beforeAll(() => {
  const config = exampleConfig({
    adminIdp: undefined,
    firstAdminEmail: 'first.admin@example.com',
    // Unset: the admin pool's default, everyone in the pool.
    adminAllowList: undefined,
    certificateArn: undefined,
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    hostedZoneName: 'example.com',
    kmsKeyArn: KMS_KEY,
    uploadExpiryDays: 30,
    mfa: 'off',
    albKeysUrl: ALB_KEYS_URL,
    stackName: 'UploadPortalVariant',
    // An account with a small concurrency quota: no reservations at all.
    reservedConcurrency: null,
    waf: false,
    // No sender: e-mail is off, and synth says so once.
    notificationSender: null,
    malwareScan: 'tag',
    // The operators' topic: every alarm notifies it.
    alarmTopicArn: ALARM_TOPIC,
  });
  synth = synthPortal({ config, bundle: false });
});
afterAll(() => synth?.dispose());

describe('portal stack (admin Cognito pool, hosted zone, KMS, malwareScan tag)', () => {
  it('without notificationSender: no SES grant, no sender variable, and one warning saying e-mail is off', () => {
    expect(JSON.stringify(statementsOf(get(), 'notify'))).not.toContain('ses:');
    expect(environmentOf(get(), 'notify').NOTIFICATION_SENDER).toBeUndefined();
    const warnings = get().app.synth().getStackArtifact(get().stack.artifactId).messages.filter((m) => JSON.stringify(m.entry.data).includes('notificationSender is not set'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.level).toBe('warning');
  });

  // The construct-independent checks hold for this config too (rules now use the admin pool).
  customerPoolChecks(get);
  loadBalancerChecks(get);
  listenerRuleChecks(get);
  functionChecks(get);
  permissionChecks(get);
  nagChecks(get);
  malwareScanChecks(get, 'tag');
  alarmChecks(get, ALARM_TOPIC);

  it('has no web ACL when the config turns it off', () => {
    get().template.resourceCountIs('AWS::WAFv2::WebACL', 0);
  });

  describe('admins\' Cognito pool', () => {
    const adminPool = () => {
      const admin = get().stack.identity.admin;
      if (admin.kind !== 'cognito') throw new Error('expected an admin pool');
      return admin.pool;
    };

    it('is a second pool: admin-created users only, MFA required whatever the customer setting', () => {
      get().template.resourceCountIs('AWS::Cognito::UserPool', 2);
      const pool = resourcesOfType(get(), 'AWS::Cognito::UserPool')[logicalIdOf(get().stack, adminPool().userPool)]!;
      expect(pool.Properties).toMatchObject({ AdminCreateUserConfig: { AllowAdminCreateUserOnly: true }, MfaConfiguration: 'ON', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] });
      expect(pool.DeletionPolicy).toBe('Retain');
    });

    it('invites the first admin by e-mail', () => {
      get().template.hasResourceProperties('AWS::Cognito::UserPoolUser', {
        UserPoolId: { Ref: logicalIdOf(get().stack, adminPool().userPool) },
        Username: 'first.admin@example.com',
        DesiredDeliveryMediums: ['EMAIL'],
        UserAttributes: Match.arrayWith([{ Name: 'email', Value: 'first.admin@example.com' }, { Name: 'email_verified', Value: 'true' }]),
      });
    });

    it('has its own hosted-UI domain and an ALB client like the customers\' one', () => {
      get().template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: `${get().config.cognitoDomainPrefix}-admin` });
      get().template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        UserPoolId: { Ref: logicalIdOf(get().stack, adminPool().userPool) },
        GenerateSecret: true,
        AllowedOAuthFlows: ['code'],
        CallbackURLs: [`https://${get().config.domainName}/oauth2/idpresponse`],
      });
    });

    it('signs admins in with authenticate-cognito on the admin pool and the admin session cookie', () => {
      const rules = Object.values(resourcesOfType(get(), 'AWS::ElasticLoadBalancingV2::ListenerRule'));
      const adminPoolArn = { 'Fn::GetAtt': [logicalIdOf(get().stack, adminPool().userPool), 'Arn'] };
      const adminRules = rules.filter((rule) => JSON.stringify(rule).includes(SESSION_COOKIES.admin + '"'));
      expect(adminRules.length).toBeGreaterThan(0);
      for (const rule of adminRules) {
        expect(rule.Properties?.Actions).toContainEqual(
          expect.objectContaining({ Type: 'authenticate-cognito', AuthenticateCognitoConfig: expect.objectContaining({ UserPoolArn: adminPoolArn, SessionTimeout: get().config.adminSessionTimeoutSeconds }) }),
        );
      }
      expect(JSON.stringify(rules)).not.toContain('authenticate-oidc');
    });

    it('gives the Lambdas the admin pool as ADMIN_ISSUER / ADMIN_CLIENT_ID and its logout URL', () => {
      for (const name of ['uploads', 'admin'] as const) {
        const env = environmentOf(get(), name);
        expect(JSON.stringify(env.ADMIN_ISSUER)).toContain(logicalIdOf(get().stack, adminPool().userPool));
        expect(env.ADMIN_CLIENT_ID).toEqual({ Ref: logicalIdOf(get().stack, adminPool().albClient) });
      }
      expect(JSON.stringify(environmentOf(get(), 'web').ADMIN_LOGOUT_URL)).toContain(logicalIdOf(get().stack, adminPool().domain));
    });

    it('lets every admin of the pool in (ADMIN_ALLOWED_EMAILS=*): the pool holds only invited admins', () => {
      expect(get().config.adminAllowList).toBeNull();
      for (const name of ['uploads', 'admin'] as const) expect(environmentOf(get(), name).ADMIN_ALLOWED_EMAILS).toBe('*');
    });

    it('outputs the admin pool id', () => {
      expect(Object.keys(get().template.toJSON().Outputs as object)).toContain('AdminUserPoolId');
    });
  });

  describe('certificate in a hosted zone', () => {
    it('creates a DNS-validated certificate in the zone and serves it', () => {
      get().template.hasResourceProperties('AWS::CertificateManager::Certificate', {
        DomainName: get().config.domainName,
        ValidationMethod: 'DNS',
        DomainValidationOptions: [{ DomainName: get().config.domainName, HostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
      });
      get().template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 443,
        Certificates: [{ CertificateArn: { Ref: Match.stringLikeRegexp('Certificate') } }],
      });
    });

    it('points an alias record for the portal domain at the ALB', () => {
      get().template.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: `${get().config.domainName}.`,
        Type: 'A',
        HostedZoneId: 'Z0123456789ABCDEFGHIJ',
        AliasTarget: Match.objectLike({ DNSName: Match.anyValue() }),
      });
    });
  });

  describe('KMS, expiry, MFA and keys URL options', () => {
    it('encrypts the data bucket with the configured KMS key and a bucket key', () => {
      const bucket = resourcesOfType(get(), 'AWS::S3::Bucket')[logicalIdOf(get().stack, get().stack.storage.bucket)]!;
      expect(bucket.Properties?.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KMS_KEY } }],
      });
    });

    it('lets uploads, admin and events (not web) use the key, through S3 only', () => {
      // events: it writes audit events (file.infected, a single PUT's upload.completed) into the bucket.
      for (const name of ['uploads', 'admin', 'events'] as const) {
        expect(bySid(statementsOf(get(), name)).UseBucketKey, name).toEqual({
          Sid: 'UseBucketKey',
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: KMS_KEY,
          Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
        });
      }
      expect(bySid(statementsOf(get(), 'web')).UseBucketKey).toBeUndefined();
    });

    it('expires uploaded files after uploadExpiryDays', () => {
      get().template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: { Rules: Match.arrayWith([{ Id: 'expire-uploads', Status: 'Enabled', Prefix: UPLOADS_PREFIX, ExpirationInDays: 30 }]) },
      });
    });

    it('turns customer MFA off when configured (acknowledged for cdk-nag with the config key as reason)', () => {
      get().template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'OFF', UserPoolAddOns: Match.absent() });
      const pool = get().stack.identity.customer.userPool;
      const acks = pool.node.metadata.map((entry) => JSON.stringify(entry.data)).join();
      expect(acks).toContain('AwsSolutions-COG2');
      expect(acks).toContain('key mfa');
    });

    it('passes ALB_KEYS_URL to every Lambda that verifies identity', () => {
      for (const name of ['uploads', 'admin'] as const) expect(environmentOf(get(), name).ALB_KEYS_URL).toBe(ALB_KEYS_URL);
      expect(environmentOf(get(), 'web').ALB_KEYS_URL).toBeUndefined();
    });
  });
});
