// Functions: runtime, architecture, bundles, log retention and the environment the contract lists.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTION_ENV } from '../../../contract/lambda-env.js';
import { WEB_BUNDLE_DIR } from '../../../infra/web-pages.js';
import { type Synth, logicalIdOf, resourcesOfType } from '../synth.js';

/**
 * The variables the stack sets, written out here independently of infra/function-environment.ts: each
 * function gets only what it reads (contract/lambda-env.ts), so the web Lambda, which verifies no
 * identity and touches no data, gets no identity or bucket settings.
 */
const LOGGING = ['LOG_LEVEL', 'POWERTOOLS_SERVICE_NAME'];
const IDENTITY = ['ALB_ARN', 'CUSTOMER_ISSUER', 'CUSTOMER_CLIENT_ID', 'ADMIN_ISSUER', 'ADMIN_CLIENT_ID', 'ADMIN_ALLOWED_EMAILS', 'ADMIN_REQUIRE_EMAIL_VERIFIED'];
export const CONTRACT_ENV = {
  web: [...LOGGING, 'CUSTOMER_LOGOUT_URL', 'ADMIN_LOGOUT_URL', 'S3_ORIGINS'],
  // The only function with a Powertools Metrics.
  uploads: [...LOGGING, ...IDENTITY, 'POWERTOOLS_METRICS_NAMESPACE', 'BUCKET_NAME', 'CATALOG_TABLE', 'PRESIGN_EXPIRES_SECONDS', 'UPLOAD_CONCURRENCY', 'MULTIPART_THRESHOLD_BYTES', 'MIN_PART_SIZE_BYTES', 'MAX_OPEN_UPLOADS_PER_LOGIN', 'INCOMPLETE_UPLOAD_DAYS'],
  admin: [...LOGGING, ...IDENTITY, 'BUCKET_NAME', 'CATALOG_TABLE', 'PORTAL_URL', 'USER_POOL_ID', 'DOWNLOAD_EXPIRES_SECONDS', 'COGNITO_SEND_INVITE', 'MALWARE_SCAN'],
  // Not behind the ALB: no identity to verify.
  events: [...LOGGING, 'BUCKET_NAME', 'CATALOG_TABLE', 'MALWARE_SCAN', 'DIGEST_QUEUE_URL', 'NOTIFICATION_QUIET_SECONDS'],
  // Behind SQS; never WEBHOOK_ALLOW_LOOPBACK_HTTP (local only).
  notify: [...LOGGING, 'BUCKET_NAME', 'CATALOG_TABLE', 'PORTAL_URL', 'DIGEST_QUEUE_URL', 'WEBHOOK_QUEUE_URL', 'NOTIFICATION_QUIET_SECONDS'],
} as const;
/** Set only when the config names a sender. */
const SENDER_ENV: Partial<Record<keyof typeof CONTRACT_ENV, string[]>> = { admin: ['NOTIFICATION_SENDER'], notify: ['NOTIFICATION_SENDER'] };
/** Allowed beyond the contract: ALB_KEYS_URL only when configured, and source-mapped stack traces. */
const EXTRA_ENV = ['NODE_OPTIONS'];

export type FunctionName = keyof typeof CONTRACT_ENV;
export const NAMES = Object.keys(CONTRACT_ENV) as FunctionName[];

export const functionProps = (synth: Synth, name: FunctionName): Record<string, unknown> =>
  resourcesOfType(synth, 'AWS::Lambda::Function')[logicalIdOf(synth.stack, synth.stack.functions.byName[name])]!.Properties!;

export const environmentOf = (synth: Synth, name: FunctionName): Record<string, unknown> =>
  (functionProps(synth, name).Environment as { Variables: Record<string, unknown> }).Variables;

export function functionChecks(get: () => Synth): void {
  describe('functions', () => {
    it('are exactly web, uploads, admin, events and notify', () => {
      get().template.resourceCountIs('AWS::Lambda::Function', 5);
    });

    it.each(NAMES)('%s: Node.js 24, arm64, ESM bundle entry, own log group with the configured retention', (name) => {
      const props = functionProps(get(), name);
      expect(props).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler' });
      const logGroupId = (props.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(resourcesOfType(get(), 'AWS::Logs::LogGroup')[logGroupId]!.Properties).toMatchObject({ RetentionInDays: get().config.logRetentionDays });
    });

    it.each(NAMES)('%s: reserved concurrency as the config says (none when it says null)', (name) => {
      const reserved = get().config.reservedConcurrency?.[name];
      expect(functionProps(get(), name).ReservedConcurrentExecutions).toBe(reserved);
    });

    it.each(NAMES)('%s: environment is exactly what the contract lists', (name) => {
      const keys = Object.keys(environmentOf(get(), name)).filter((key) => !EXTRA_ENV.includes(key));
      const expected = [
        ...CONTRACT_ENV[name],
        ...(get().config.albKeysUrl && (name === 'uploads' || name === 'admin') ? ['ALB_KEYS_URL'] : []),
        ...(get().config.notificationSender ? (SENDER_ENV[name] ?? []) : []),
      ];
      expect(keys.sort()).toEqual([...expected].sort());
      // And each is one the function's parser reads.
      for (const key of Object.keys(environmentOf(get(), name))) expect(FUNCTION_ENV[name] as readonly string[], key).toContain(key);
    });

    it('wires the environment values to the stack\'s resources and the config', () => {
      const { stack, config } = get();
      const bucket = { Ref: logicalIdOf(stack, stack.storage.bucket) };
      const alb = { Ref: logicalIdOf(stack, stack.loadBalancer.alb) };
      for (const name of NAMES) expect(environmentOf(get(), name)).toMatchObject({ POWERTOOLS_SERVICE_NAME: `portal-${name}` });
      const table = { Ref: logicalIdOf(stack, stack.catalog.table) };
      for (const name of ['uploads', 'admin', 'events'] as const) expect(environmentOf(get(), name)).toMatchObject({ CATALOG_TABLE: table, BUCKET_NAME: bucket });
      for (const name of ['uploads', 'admin'] as const) {
        expect(environmentOf(get(), name)).toMatchObject({
          ALB_ARN: alb,
          BUCKET_NAME: bucket,
          CUSTOMER_CLIENT_ID: { Ref: logicalIdOf(stack, stack.identity.customer.albClient) },
        });
        expect(JSON.stringify(environmentOf(get(), name).CUSTOMER_ISSUER)).toContain(logicalIdOf(stack, stack.identity.customer.userPool));
      }
      expect(environmentOf(get(), 'uploads')).toMatchObject({
        PRESIGN_EXPIRES_SECONDS: String(config.presignExpiresSeconds),
        UPLOAD_CONCURRENCY: String(config.uploadConcurrency),
        // Quota holds of uploads the lifecycle rule aborted are released after it.
        MAX_OPEN_UPLOADS_PER_LOGIN: String(config.maxOpenUploadsPerLogin),
        INCOMPLETE_UPLOAD_DAYS: String(config.incompleteUploadDays),
      });
      expect(environmentOf(get(), 'admin')).toMatchObject({
        USER_POOL_ID: { Ref: logicalIdOf(stack, stack.identity.customer.userPool) },
        DOWNLOAD_EXPIRES_SECONDS: String(config.downloadExpiresSeconds),
        COGNITO_SEND_INVITE: String(config.sendInvitationEmail),
        PORTAL_URL: `https://${config.domainName}`,
      });
      // The admin allow-list, on both Lambdas that admins call (absent = the Lambdas refuse every admin).
      const allowed = config.adminAllowList === null ? '*' : config.adminAllowList.join(',');
      for (const name of ['uploads', 'admin'] as const) expect(environmentOf(get(), name).ADMIN_ALLOWED_EMAILS, name).toBe(allowed);
      expect(environmentOf(get(), 'web').ADMIN_ALLOWED_EMAILS).toBeUndefined();
      expect(JSON.stringify(environmentOf(get(), 'web').CUSTOMER_LOGOUT_URL)).toContain('/logout?client_id=');
      expect(JSON.stringify(environmentOf(get(), 'web').S3_ORIGINS)).toContain(`.s3.${config.region}.amazonaws.com`);
    });
  });
}

/** Only meaningful when the synth bundled the functions (not with CDK's bundling skip). */
export function bundleChecks(get: () => Synth): void {
  const assetDir = (name: FunctionName): string => {
    const key = ((functionProps(get(), name).Code as { S3Key: string }).S3Key).replace(/\.zip$/, '');
    return path.join(get().outdir, `asset.${key}`);
  };
  const bundle = (name: FunctionName) => readFileSync(path.join(assetDir(name), 'index.mjs'), 'utf8');

  describe('bundles', () => {
    it.each(NAMES)('%s: minified ESM with the createRequire banner and a source map', (name) => {
      const code = bundle(name);
      expect(code.startsWith('import { createRequire')).toBe(true);
      expect(existsSync(path.join(assetDir(name), 'index.mjs.map'))).toBe(true);
      expect(code).toMatch(/^\/\/# sourceMappingURL=index\.mjs\.map$/m);
      // Minified: few, long lines.
      expect(code.split('\n').length).toBeLessThan(100);
    });

    it.each(['uploads', 'admin', 'events'] as const)('%s: bundles AWS SDK v3 (nothing imported from the runtime), never aws-sdk v2', (name) => {
      const code = bundle(name);
      expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
      // The SigV4a signers only appear inside the SDK's error messages ("register the package by calling require(...)").
      const optional = ['@aws-sdk/signature-v4-crt', '@aws-sdk/signature-v4a'];
      const required = [...code.matchAll(/require\(["'](@aws-sdk\/[^"']+)["']\)/g)].map((m) => m[1]);
      expect(required.filter((name) => !optional.includes(name!))).toEqual([]);
      expect(code).not.toMatch(/require\(["']aws-sdk["']\)|from\s*["']aws-sdk["']/);
      expect(code).toContain('aws-sdk-js');
    });

    it('web: holds the pages Vite built during the synth (both pages, every file they load, precompressed)', () => {
      const pages = path.join(assetDir('web'), WEB_BUNDLE_DIR);
      for (const page of ['index.html', 'admin/index.html', 'signed-out.html']) expect(existsSync(path.join(pages, page)), page).toBe(true);
      for (const page of ['index.html', 'admin/index.html']) {
        const html = readFileSync(path.join(pages, page), 'utf8');
        const urls = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]!);
        expect(urls.filter((url) => url.endsWith('.js')).length, page).toBeGreaterThan(0);
        for (const url of urls) {
          // The console loads the shared build output through /admin/assets/ (lambdas/web/app.ts).
          const file = path.join(pages, url.replace(/^\/admin\/assets\//, '/assets/'));
          expect(existsSync(file), url).toBe(true);
          // The Vite build's ALB step ran on the bundle's folder: it precompresses before it checks sizes.
          if (url.endsWith('.js')) expect(existsSync(`${file}.br`), `${url}.br`).toBe(true);
        }
      }
    });
  });
}
