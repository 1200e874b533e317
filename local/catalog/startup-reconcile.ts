// A new (empty) catalog table next to a bucket that already holds files, i.e. a data folder from
// before the catalog: fill it with the same reconcile the admin console and `npm run reconcile` run.
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import { UPLOADS_PREFIX, isEndpointName } from '../../contract/bucket-layout.js';
import type { MalwareScanMode } from '../../contract/malware-scan.js';
import { sdkCatalogDb } from '../../lambdas/shared/catalog/catalog-db.js';
import { reconcileEndpoint, startProgress } from '../../lambdas/shared/catalog/reconcile.js';

export interface LocalReconcileInputs {
  s3Endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  bucket: string;
  catalog: { table: string; client: dynamodb.DynamoDBClient };
  /**
   * The portal's malware scanning: the state each file starts in. Reconcile's own default is `block`,
   * under which a file no scanner will ever look at (scanning off) would stay `pending` for good.
   */
  scanMode: MalwareScanMode;
  log: (line: string) => void;
}

/** Every endpoint folder under uploads/ (the reservations' `.portal-pending/` is none). */
export async function listEndpointFolders(s3: S3Client, bucket: string): Promise<string[]> {
  const endpoints: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: UPLOADS_PREFIX, Delimiter: '/', ContinuationToken: token }));
    for (const prefix of page.CommonPrefixes ?? []) {
      const name = prefix.Prefix?.slice(UPLOADS_PREFIX.length, -1) ?? '';
      if (isEndpointName(name)) endpoints.push(name);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return endpoints;
}

export async function reconcileLocalCatalog(inputs: LocalReconcileInputs): Promise<void> {
  const s3 = new S3Client({ endpoint: inputs.s3Endpoint, forcePathStyle: true, region: inputs.region, credentials: inputs.credentials, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  try {
    const endpoints = await listEndpointFolders(s3, inputs.bucket);
    if (endpoints.length === 0) return;
    const db = sdkCatalogDb(inputs.catalog.table, async () => ({ client: inputs.catalog.client, sdk: dynamodb }));
    inputs.log(`[catalog] new catalog table: reconciling ${endpoints.length} endpoint folder(s) from the bucket`);
    for (const endpoint of endpoints) {
      const { progress } = await reconcileEndpoint({ db, s3, bucket: inputs.bucket, now: () => new Date(), scanMode: inputs.scanMode }, startProgress(endpoint), Number.POSITIVE_INFINITY);
      inputs.log(`[catalog] ${endpoint}: ${progress.fileCount} files, ${progress.added} added`);
    }
  } finally {
    s3.destroy();
  }
}
