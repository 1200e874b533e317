// `startLocalPortal`: the whole portal offline on loopback (S3 server, cognito-local, two IdPs, the
// ALB-like gateway invoking the real Lambda handlers in process). `npm start`, the integration and
// browser tests and the benchmark all start it through here.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FunctionName } from '../contract/lambda-env.js';
import type { S3EventBridgeEvent } from '../contract/s3-events.js';
import { s3BucketOrigins } from '../contract/bucket-layout.js';
import { ALB_SCOPES, SESSION_TIMEOUT_DEFAULTS, type RouteTarget } from '../contract/routes.js';
import { LOCAL_CATALOG_TABLE } from './catalog/catalog-table.js';
import { startCatalogServer } from './catalog/dynalite-server.js';
import { EventDelivery, type EventHandler } from './catalog/event-delivery.js';
import { reconcileLocalCatalog } from './catalog/startup-reconcile.js';
import { startCognitoLocal } from './cognito/cognito-local-process.js';
import { ensureCustomerPool } from './cognito/pool-setup.js';
import { createStoredPasswordCheck } from './cognito/stored-password.js';
import { createAlbTokenSigner, publicKeyPem } from './gateway/alb-token.js';
import { CALLBACK_PATH, createGatewayHandler } from './gateway/gateway.js';
import { createKeyServer } from './gateway/key-server.js';
import { LOCAL_ACCOUNT, LOCAL_REGION, type AlbHandler } from './gateway/lambda-target.js';
import { createOidcLogin } from './gateway/oidc-login.js';
import { localHandlerEnv } from './handler-env.js';
import { ADMIN_CLIENT_ID, createLocalIdps } from './idp/local-idps.js';
import { BIND_HOST, closeServer, createDeferredServer, listen } from './listen.js';
import { loadLocalSecrets } from './local-secrets.js';
import { DEFAULT_ADMIN_EMAIL, LOCAL_BUCKET, resolvePorts, type LocalPortalOptions } from './portal-options.js';
import { applyEnv, assertHandlersAccept, markHandlersLoaded, type EnvSnapshot } from './process-env.js';
import { startLocalS3, type S3ServerSwitch } from './s3-setup.js';
import { LocalQueues, type QueueHandler } from './notify/local-queues.js';
import { startLocalSes } from './notify/ses-server.js';
import { createSqsListener } from './notify/sqs-server.js';
import { DIGEST_MAX_RECEIVES, WEBHOOK_MAX_ATTEMPTS } from '../contract/notifications.js';
import { ScannerStandIn } from './scanner/scanner.js';
import { S3Client } from '@aws-sdk/client-s3';
import type { MalwareScanMode } from '../contract/malware-scan.js';
import { buildWeb, isWebBuilt } from './web-build.js';

export type { LocalPortalOptions } from './portal-options.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const LOCAL_ALB_ARN = `arn:aws:elasticloadbalancing:${LOCAL_REGION}:${LOCAL_ACCOUNT}:loadbalancer/app/local-portal/0123456789abcdef`;

export interface LocalPortal {
  /** The portal's one origin, e.g. http://localhost:3000. */
  url: string;
  adminUrl: string;
  /** Where the browser sends upload parts (the local S3 server, or the external one). */
  s3Url: string;
  bucket: string;
  adminCredentials: { email: string; password: string };
  /** The IdPs' issuers (= CUSTOMER_ISSUER / ADMIN_ISSUER) and the gateway's client ids there. */
  idps: { admin: { issuer: string; clientId: string }; customer: { issuer: string; clientId: string } };
  cognito: { endpoint: string | undefined; userPoolId: string; clientId: string };
  keysUrl: string;
  /** The file catalog in dynalite: DYNAMODB_ENDPOINT, CATALOG_TABLE, and a client for tests and tools. */
  catalog: { endpoint: string; table: string; client: DynamoDBClient };
  /** The S3 events (and the scanner's results) on their way to the events handler (tests hold, reorder, duplicate and fail them). */
  events: EventDelivery;
  /** The SES stand-in (its mailbox page and GET /store) and the notification queues. */
  notifications: { sesUrl: string; queues: LocalQueues; quietSeconds: number };
  /** The local S3 server's off and on switch (fault tests); null with an external S3. */
  s3Power: S3ServerSwitch | null;
  /** The deployment's malware scanning as the handlers see it (always 'off' with an external S3). */
  malwareScan: MalwareScanMode;
  /** The malware scanner stand-in (null with an external S3 or malwareScan off). */
  scanner: ScannerStandIn | null;
  /** Exactly what the Lambda handlers were given in process.env. */
  env: Record<string, string>;
  dataDir: string;
  close(): Promise<void>;
}

const handlerUrl = (target: FunctionName): string => pathToFileURL(join(REPO_ROOT, 'lambdas', target, 'handler.ts')).href;

async function loadHandler(target: RouteTarget): Promise<AlbHandler> {
  const module = (await import(handlerUrl(target))) as { handler?: AlbHandler };
  if (typeof module.handler !== 'function') throw new Error(`lambdas/${target}/handler.ts exports no handler function`);
  return module.handler;
}

export async function startLocalPortal(options: LocalPortalOptions): Promise<LocalPortal> {
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch((error: unknown) => console.error('[local portal] stop failed:', error));
  };
  try {
    const dataDir = resolve(options.dataDir);
    await mkdir(dataDir, { recursive: true });
    const secrets = await loadLocalSecrets(dataDir);
    const hostname = options.hostname ?? 'localhost';
    const ports = resolvePorts(options);
    const webRoot = join(REPO_ROOT, 'dist', 'web');
    if (options.buildWeb !== false && !options.handlers?.web && !isWebBuilt(webRoot)) await buildWeb(REPO_ROOT);

    // Listen first: with port 0 the origins are known only now, and everything below needs them.
    const gateway = createDeferredServer();
    const portalUrl = `http://${hostname}:${await listen(gateway.server, ports.gateway)}`;
    closers.push(() => closeServer(gateway.server));
    const keyServer = createKeyServer(new Map([[secrets.albKey.kid, publicKeyPem(secrets.albKey)]]));
    const keysUrl = `http://${BIND_HOST}:${await listen(keyServer, ports.keys)}`;
    closers.push(() => closeServer(keyServer));
    const adminIdpServer = createDeferredServer();
    const adminIssuer = `http://${hostname}:${await listen(adminIdpServer.server, ports.adminIdp)}`;
    closers.push(() => closeServer(adminIdpServer.server));
    const customerIdpServer = createDeferredServer();
    const customerIssuer = `http://${hostname}:${await listen(customerIdpServer.server, ports.customerIdp)}`;
    closers.push(() => closeServer(customerIdpServer.server));

    const region = LOCAL_REGION;
    const catalog = await startCatalogServer({ dataDir: join(dataDir, 'catalog'), port: ports.catalog, table: LOCAL_CATALOG_TABLE, region });
    closers.push(() => catalog.close());
    // The events handler loads on the first event, once the handlers' environment is in place.
    let envReady!: (env: Record<string, string>) => void;
    const whenEnvReady = new Promise<Record<string, string>>((resolve) => (envReady = resolve));
    const events = new EventDelivery({
      handler: async () => {
        markHandlersLoaded(await whenEnvReady);
        const module = (await import(handlerUrl('events'))) as { handler?: EventHandler };
        if (typeof module.handler !== 'function') throw new Error('lambdas/events/handler.ts exports no handler function');
        return module.handler;
      },
      log: (line) => console.warn(line),
    });
    closers.push(async () => events.close());

    // Notifications: SES stand-in, and the two queues delivering to the notify handler in process.
    const ses = await startLocalSes(ports.ses);
    closers.push(() => ses.close());
    const queues = new LocalQueues({
      queues: [
        { name: 'portal-digests', maxReceives: DIGEST_MAX_RECEIVES, visibilitySeconds: 30 },
        { name: 'portal-webhooks', maxReceives: WEBHOOK_MAX_ATTEMPTS, visibilitySeconds: 30 },
      ],
      handler: async () => {
        markHandlersLoaded(await whenEnvReady);
        const module = (await import(handlerUrl('notify'))) as { handler?: QueueHandler };
        if (typeof module.handler !== 'function') throw new Error('lambdas/notify/handler.ts exports no handler function');
        return module.handler;
      },
      retryScale: options.webhookRetryScale ?? 1,
      log: (line) => console.warn(line),
    });
    closers.push(async () => queues.close());
    const sqsServer = createDeferredServer();
    queues.baseUrl = `http://${BIND_HOST}:${await listen(sqsServer.server, ports.queues)}`;
    sqsServer.serve(createSqsListener(queues));
    closers.push(() => closeServer(sqsServer.server));
    const quietSeconds = options.notificationQuietSeconds ?? 60;

    let bucket: string;
    let s3Endpoint: string | undefined;
    let s3Url: string;
    let credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
    let s3Power: S3ServerSwitch | null = null;
    let scanner: ScannerStandIn | null = null;
    const malwareScan: MalwareScanMode = options.externalS3 ? 'off' : (options.malwareScan ?? 'block');
    if (options.externalS3) {
      bucket = options.externalS3.bucket;
      s3Endpoint = options.externalS3.endpoint;
      s3Url = s3Endpoint ?? `https://${bucket}.s3.${process.env.AWS_REGION ?? region}.amazonaws.com`;
    } else {
      const s3 = await startLocalS3({
        dataDir: join(dataDir, 's3'),
        port: ports.s3,
        bucket: LOCAL_BUCKET,
        portalOrigin: new URL(portalUrl).origin,
        secretAccessKey: secrets.s3SecretAccessKey,
        region,
        malwareScan,
        onEvent: (event: S3EventBridgeEvent) => {
          events.push(event);
          scanner?.onS3Event(event);
        },
      });
      closers.push(() => s3.close());
      if (malwareScan !== 'off') {
        const scannerClient = new S3Client({ region, endpoint: s3.url, forcePathStyle: true, credentials: s3.scannerCredentials, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
        scanner = new ScannerStandIn({
          s3: scannerClient,
          bucket: LOCAL_BUCKET,
          ...(options.scanDelayMs !== undefined ? { delayMs: options.scanDelayMs } : {}),
          ...(options.scanMaxObjectBytes !== undefined ? { maxObjectBytes: options.scanMaxObjectBytes } : {}),
          deliver: (event) => events.push(event),
          track: (work) => events.track(work),
          account: LOCAL_ACCOUNT,
          region,
          log: (line) => console.log(line),
        });
        const stopScanner = scanner;
        closers.push(async () => {
          stopScanner.close();
          scannerClient.destroy();
        });
      }
      bucket = LOCAL_BUCKET;
      s3Endpoint = s3.url;
      s3Url = s3.url;
      credentials = s3.credentials;
      s3Power = s3.power;
    }
    const s3OriginList = s3Endpoint ? [new URL(s3Endpoint).origin] : s3BucketOrigins(bucket, process.env.AWS_REGION ?? region);

    let cognitoEndpoint: string | undefined;
    let cognito: CognitoIdentityProviderClient;
    let pool: { userPoolId: string; clientId: string; clientSecret?: string };
    let verifyTemporaryPassword: ((username: string, password: string) => Promise<boolean>) | undefined;
    if (options.externalCognito) {
      cognitoEndpoint = options.externalCognito.endpoint;
      cognito = new CognitoIdentityProviderClient({ region: process.env.AWS_REGION ?? region, ...(cognitoEndpoint ? { endpoint: cognitoEndpoint } : {}) });
      pool = options.externalCognito;
    } else {
      const local = await startCognitoLocal({ cwd: join(dataDir, 'cognito'), port: ports.cognito, logFile: join(dataDir, 'logs', 'cognito-local.log') });
      closers.push(() => local.stop());
      cognitoEndpoint = local.url;
      // cognito-local accepts any credentials, but the SDK insists on having some.
      cognito = new CognitoIdentityProviderClient({ region, endpoint: local.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
      pool = await ensureCustomerPool(cognito, join(dataDir, 'cognito', 'portal-pool.json'), portalUrl);
      verifyTemporaryPassword = createStoredPasswordCheck(local.dbDir, pool.userPoolId);
    }
    closers.push(async () => cognito.destroy());

    const adminCredentials = { email: options.adminEmail ?? DEFAULT_ADMIN_EMAIL, password: options.adminPassword ?? secrets.adminPassword };
    // Between the gateway and the customer IdP only; equal to the app client secret when there is one.
    const customerOidcSecret = pool.clientSecret ?? randomBytes(24).toString('base64url');
    const idps = createLocalIdps({
      portalUrl,
      admin: { issuer: adminIssuer, keys: secrets.adminIdp, clientSecret: secrets.adminClientSecret, account: adminCredentials },
      customer: {
        issuer: customerIssuer,
        keys: secrets.customerIdp,
        cognito,
        userPoolId: pool.userPoolId,
        clientId: pool.clientId,
        cognitoClientSecret: pool.clientSecret,
        oidcClientSecret: customerOidcSecret,
        verifyTemporaryPassword,
      },
    });
    adminIdpServer.serve(idps.admin.listener);
    customerIdpServer.serve(idps.customer.listener);

    const env = localHandlerEnv({
      portalUrl,
      albArn: LOCAL_ALB_ARN,
      keysUrl,
      region,
      bucketName: bucket,
      s3Endpoint,
      s3Origins: s3OriginList,
      cognitoEndpoint,
      catalog: { endpoint: catalog.url, table: catalog.table },
      userPoolId: pool.userPoolId,
      customer: { issuer: customerIssuer, clientId: pool.clientId, logoutUrl: idps.customer.logoutUrl },
      admin: { issuer: adminIssuer, clientId: ADMIN_CLIENT_ID, logoutUrl: idps.admin.logoutUrl },
      // Only the dev admin: the local admin IdP knows no one else, and the Lambdas see what AWS would set.
      adminAllowList: [adminCredentials.email.toLowerCase()],
      webRoot,
      credentials,
      logLevel: options.logLevel,
      notifications: {
        sesEndpoint: ses.url,
        sqsEndpoint: queues.baseUrl,
        digestQueueUrl: queues.queueUrl('portal-digests'),
        webhookQueueUrl: queues.queueUrl('portal-webhooks'),
        sender: 'Upload portal <notifications@portal.localhost.example>',
        quietSeconds,
      },
      presignExpiresSeconds: options.presignExpiresSeconds,
      partSizeBytes: options.partSizeBytes,
      maxOpenUploadsPerLogin: options.maxOpenUploadsPerLogin,
      malwareScan,
    });
    assertHandlersAccept(env);
    const snapshot: EnvSnapshot = applyEnv(env);
    closers.push(async () => snapshot.restore());
    envReady(env);
    // A data folder from before the catalog (or one whose table definition changed): fill the new
    // table from the bucket, as `npm run reconcile` does for a deployment.
    if (catalog.created && !options.externalS3 && credentials) {
      await reconcileLocalCatalog({ s3Endpoint: s3Endpoint!, region, credentials, bucket, catalog, scanMode: malwareScan, log: (line) => console.log(line) });
    }

    const redirectUri = `${portalUrl}${CALLBACK_PATH}`;
    const target = (name: RouteTarget) => async () => {
      const stub = options.handlers?.[name];
      if (stub) return stub;
      markHandlersLoaded(env);
      return loadHandler(name);
    };
    gateway.serve(
      createGatewayHandler({
        portalUrl,
        logins: {
          admin: createOidcLogin({ audience: 'admin', issuer: adminIssuer, clientId: ADMIN_CLIENT_ID, clientSecret: secrets.adminClientSecret, scope: ALB_SCOPES }, redirectUri),
          customer: createOidcLogin({ audience: 'customer', issuer: customerIssuer, clientId: pool.clientId, clientSecret: customerOidcSecret, scope: ALB_SCOPES }, redirectUri),
        },
        targets: { web: target('web'), uploads: target('uploads'), admin: target('admin') },
        sessionKey: Buffer.from(secrets.sessionKey, 'base64'),
        signer: createAlbTokenSigner(secrets.albKey, LOCAL_ALB_ARN),
        sessionTimeoutSeconds: SESSION_TIMEOUT_DEFAULTS,
        log: options.accessLog,
      }),
    );

    return {
      url: portalUrl,
      adminUrl: `${portalUrl}/admin`,
      s3Url,
      s3Power,
      bucket,
      adminCredentials,
      idps: { admin: { issuer: adminIssuer, clientId: ADMIN_CLIENT_ID }, customer: { issuer: customerIssuer, clientId: pool.clientId } },
      cognito: { endpoint: cognitoEndpoint, userPoolId: pool.userPoolId, clientId: pool.clientId },
      keysUrl,
      catalog: { endpoint: catalog.url, table: catalog.table, client: catalog.client },
      events,
      notifications: { sesUrl: ses.url, queues, quietSeconds },
      malwareScan,
      scanner,
      env,
      dataDir,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
