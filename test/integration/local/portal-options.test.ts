// `npm start`'s settings from the environment, and the handler environment built from them.
import { describe, expect, it } from 'vitest';
import { localHandlerEnv } from '../../../local/handler-env.js';
import { portalOptionsFromEnv, resolvePorts } from '../../../local/portal-options.js';

describe('portalOptionsFromEnv', () => {
  it('defaults to port 3000 and .local-data with local stand-ins', () => {
    const options = portalOptionsFromEnv({});
    expect(options.port).toBe(3000);
    expect(options.externalS3 ?? options.externalCognito).toBeUndefined();
    expect(options.dataDir).toMatch(/\.local-data$/);
    expect(resolvePorts(options)).toEqual({ gateway: 3000, s3: 3001, adminIdp: 3002, customerIdp: 3003, cognito: 3004, keys: 3005, catalog: 3006, ses: 3007, queues: 3008 });
  });

  it('uses ephemeral ports everywhere with PORT=0, unless a port is given', () => {
    expect(resolvePorts(portalOptionsFromEnv({ PORT: '0', LOCAL_S3_PORT: '9100' }))).toEqual({ gateway: 0, s3: 9100, adminIdp: 0, customerIdp: 0, cognito: 0, keys: 0, catalog: 0, ses: 0, queues: 0 });
  });

  it('points at an external S3 (MinIO) and Cognito when told to', () => {
    const options = portalOptionsFromEnv({
      BUCKET_NAME: 'my-bucket',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      USER_POOL_ID: 'eu-west-1_abc',
      LOCAL_COGNITO_CLIENT_ID: 'client',
    });
    expect(options.externalS3).toEqual({ bucket: 'my-bucket', endpoint: 'http://127.0.0.1:9000' });
    expect(options.externalCognito).toMatchObject({ userPoolId: 'eu-west-1_abc', clientId: 'client', endpoint: undefined });
  });

  it('reports every bad setting at once', () => {
    expect(() => portalOptionsFromEnv({ PORT: 'x', S3_ENDPOINT: 'http://minio', USER_POOL_ID: 'p' })).toThrow(/PORT[\s\S]*S3_ENDPOINT needs BUCKET_NAME[\s\S]*LOCAL_COGNITO_CLIENT_ID/);
  });
});

describe('localHandlerEnv', () => {
  const env = localHandlerEnv({
    portalUrl: 'http://localhost:3000',
    albArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/local-portal/0123456789abcdef',
    keysUrl: 'http://127.0.0.1:3005',
    region: 'us-east-1',
    bucketName: 'portal-local',
    s3Endpoint: 'http://127.0.0.1:3001',
    s3Origins: ['http://127.0.0.1:3001'],
    cognitoEndpoint: 'http://127.0.0.1:3004',
    catalog: { endpoint: 'http://127.0.0.1:3006', table: 'portal-catalog' },
    userPoolId: 'local_abc',
    customer: { issuer: 'http://localhost:3003', clientId: 'cust', logoutUrl: 'http://localhost:3003/logout?x' },
    admin: { issuer: 'http://localhost:3002', clientId: 'adm', logoutUrl: 'http://localhost:3002/session/end?x' },
    adminAllowList: ['dev@example.com'],
    webRoot: '/repo/dist/web',
    credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
    notifications: {
      sesEndpoint: 'http://127.0.0.1:3007',
      sqsEndpoint: 'http://127.0.0.1:3008',
      digestQueueUrl: 'http://127.0.0.1:3008/123456789012/portal-digests',
      webhookQueueUrl: 'http://127.0.0.1:3008/123456789012/portal-webhooks',
      sender: 'notifications@portal.localhost.example',
      quietSeconds: 60,
    },
  });

  it('sets the contract variables of every handler, pointing at the local stand-ins', () => {
    expect(env).toMatchObject({
      ALB_ARN: expect.stringContaining(':loadbalancer/app/local-portal/'),
      ALB_KEYS_URL: 'http://127.0.0.1:3005',
      CUSTOMER_ISSUER: 'http://localhost:3003',
      CUSTOMER_CLIENT_ID: 'cust',
      ADMIN_ISSUER: 'http://localhost:3002',
      ADMIN_CLIENT_ID: 'adm',
      ADMIN_ALLOWED_EMAILS: 'dev@example.com',
      BUCKET_NAME: 'portal-local',
      PORTAL_URL: 'http://localhost:3000',
      S3_ENDPOINT: 'http://127.0.0.1:3001',
      COGNITO_ENDPOINT: 'http://127.0.0.1:3004',
      USER_POOL_ID: 'local_abc',
      S3_ORIGINS: 'http://127.0.0.1:3001',
      CUSTOMER_LOGOUT_URL: 'http://localhost:3003/logout?x',
      ADMIN_LOGOUT_URL: 'http://localhost:3002/session/end?x',
      WEB_ROOT: '/repo/dist/web',
      AWS_ACCESS_KEY_ID: 'AK',
      AWS_SECRET_ACCESS_KEY: 'SK',
      AWS_REGION: 'us-east-1',
      PRESIGN_EXPIRES_SECONDS: '600',
      UPLOAD_CONCURRENCY: '6',
      COGNITO_SEND_INVITE: 'false',
    });
    // One process hosts every handler, each with its own default service name.
    expect(env.POWERTOOLS_SERVICE_NAME).toBeUndefined();
    expect(env.NODE_OPTIONS).toBeUndefined();
  });
});
