// `npm run reconcile`: brings the file catalog back in line with the bucket (S3 is the source of
// truth), with the same code as the admin console's "Reconcile with the bucket", for every endpoint
// or the ones named. Run it once after upgrading a deployment from before the catalog (README,
// "Upgrading"), and after the alarm on the events' dead-letter queue fired.
//
//   BUCKET_NAME=<BucketName output> CATALOG_TABLE=<CatalogTableName output> [MALWARE_SCAN=block|tag|off] npm run reconcile [-- --endpoint acme ...]
//   npm run reconcile -- --local          # the running local portal (PORT, LOCAL_DATA_DIR as for npm start)
//
// AWS credentials and region come from the usual chain (AWS_PROFILE, SSO, a role); S3_ENDPOINT and
// DYNAMODB_ENDPOINT point at stand-ins. MALWARE_SCAN is the deployment's malwareScan (default block): with
// scanning on, a file new to the catalog takes the verdict in its object's GuardDuty tag, or waits as pending. Exit code 0 when every endpoint was reconciled, 1 otherwise.
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import { ENDPOINTS_PREFIX, isEndpointName } from '../contract/bucket-layout.js';
import { LAMBDA_ENV } from '../contract/lambda-env.js';
import { DEFAULT_MALWARE_SCAN, type MalwareScanMode } from '../contract/malware-scan.js';
import { sdkCatalogDb } from '../lambdas/shared/catalog/catalog-db.js';
import { reconcileEndpoint, startProgress } from '../lambdas/shared/catalog/reconcile.js';
import { LOCAL_CATALOG_TABLE } from '../local/catalog/catalog-table.js';
import { listEndpointFolders } from '../local/catalog/startup-reconcile.js';
import { readJsonFile } from '../local/data-dir.js';
import { LOCAL_REGION } from '../local/gateway/lambda-target.js';
import type { LocalSecrets } from '../local/local-secrets.js';
import { LOCAL_BUCKET, portalOptionsFromEnv, resolvePorts } from '../local/portal-options.js';
import { LOCAL_S3_ACCESS_KEY_ID } from '../local/s3-setup.js';

interface Target {
  bucket: string;
  table: string;
  scanMode: MalwareScanMode;
  s3: S3Client;
  dynamo: dynamodb.DynamoDBClient;
}

function usage(message: string): never {
  console.error(`${message}\nUsage: BUCKET_NAME=... CATALOG_TABLE=... npm run reconcile [-- --endpoint NAME ...]\n       npm run reconcile -- --local [--endpoint NAME ...]`);
  process.exit(2);
}

async function localTarget(): Promise<Target> {
  const options = portalOptionsFromEnv();
  const ports = resolvePorts(options);
  const secrets = await readJsonFile<LocalSecrets>(join(options.dataDir, 'secrets.json'));
  if (!secrets) usage(`No local portal data in ${options.dataDir} (start it with npm start first)`);
  const credentials = { accessKeyId: LOCAL_S3_ACCESS_KEY_ID, secretAccessKey: secrets.s3SecretAccessKey };
  return {
    bucket: LOCAL_BUCKET,
    table: LOCAL_CATALOG_TABLE,
    scanMode: options.malwareScan ?? DEFAULT_MALWARE_SCAN,
    s3: new S3Client({ endpoint: `http://127.0.0.1:${ports.s3}`, forcePathStyle: true, region: LOCAL_REGION, credentials, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }),
    dynamo: new dynamodb.DynamoDBClient({ endpoint: `http://127.0.0.1:${ports.catalog}`, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  };
}

function awsTarget(env: NodeJS.ProcessEnv): Target {
  if (!env.BUCKET_NAME || !env.CATALOG_TABLE) usage('BUCKET_NAME and CATALOG_TABLE are required (the stack outputs BucketName and CatalogTableName)');
  let scanMode: MalwareScanMode;
  try {
    scanMode = LAMBDA_ENV.MALWARE_SCAN.parse(env.MALWARE_SCAN);
  } catch (error) {
    usage(`MALWARE_SCAN ${(error as Error).message} (the deployment's malwareScan)`);
  }
  return {
    bucket: env.BUCKET_NAME,
    table: env.CATALOG_TABLE,
    scanMode,
    s3: new S3Client({ ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT, forcePathStyle: true } : {}), requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }),
    dynamo: new dynamodb.DynamoDBClient(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {}),
  };
}

/** Every endpoint with a folder or a record (one whose files are all gone still gets its counters zeroed). */
async function allEndpoints(s3: S3Client, bucket: string): Promise<string[]> {
  const names = new Set(await listEndpointFolders(s3, bucket));
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: ENDPOINTS_PREFIX, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      const name = object.Key?.slice(ENDPOINTS_PREFIX.length).replace(/\.json$/, '') ?? '';
      if (isEndpointName(name)) names.add(name);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return [...names].sort();
}

async function main(argv: string[]): Promise<number> {
  const named: string[] = [];
  let local = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--local') local = true;
    else if (argv[i] === '--endpoint' && argv[i + 1]) named.push(argv[++i]!);
    else usage(`Unknown argument ${argv[i]}`);
  }
  const bad = named.filter((name) => !isEndpointName(name));
  if (bad.length) usage(`Not an endpoint name: ${bad.join(', ')}`);
  const target = local ? await localTarget() : awsTarget(process.env);
  const db = sdkCatalogDb(target.table, async () => ({ client: target.dynamo, sdk: dynamodb }));
  let failed = 0;
  try {
    const endpoints = named.length ? named : await allEndpoints(target.s3, target.bucket);
    console.log(`Reconciling ${endpoints.length} endpoint(s) of ${target.bucket} with catalog ${target.table}`);
    for (const endpoint of endpoints) {
      try {
        const { progress } = await reconcileEndpoint({ db, s3: target.s3, bucket: target.bucket, now: () => new Date(), scanMode: target.scanMode }, startProgress(endpoint), Number.POSITIVE_INFINITY);
        console.log(`${endpoint}: ${progress.fileCount} files (${progress.totalBytes} bytes); ${progress.added} added, ${progress.repaired} repaired, ${progress.removed} removed`);
      } catch (error) {
        failed++;
        console.error(`${endpoint}: failed: ${(error as Error).message}`);
      }
    }
  } finally {
    target.s3.destroy();
    target.dynamo.destroy();
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('reconcile failed:', error);
    process.exit(1);
  },
);
