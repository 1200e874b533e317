// `npm run reconcile` as an operator runs it against a deployment: environment variables name the
// bucket and table, S3_ENDPOINT and DYNAMODB_ENDPOINT point at the stand-ins. A folder written before
// the catalog existed is indexed, a stale entry removed, and a bad argument refused with usage.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEndpointUsage } from '../../../lambdas/shared/catalog/catalog-reads.js';
import { fileKey, readEntry } from '../../../lambdas/shared/catalog/catalog-items.js';
import { catalogPath } from '../../../lambdas/shared/catalog/catalog-path.js';
import { CREDS, REGION } from '../s3-server/helpers.js';
import { BUCKET, startCatalogWorld, type CatalogWorld } from './fixture.js';

const run = promisify(execFile);
let w: CatalogWorld;
beforeAll(async () => {
  w = await startCatalogWorld();
});
afterAll(async () => w?.close());

async function reconcileCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    BUCKET_NAME: BUCKET,
    CATALOG_TABLE: w.catalog.table,
    S3_ENDPOINT: w.s3Server.server.url,
    DYNAMODB_ENDPOINT: w.catalog.url,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: CREDS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey,
  };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'bin/reconcile.ts', ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('npm run reconcile', () => {
  it('indexes a folder from before the catalog and removes a stale entry, then reports each endpoint', async () => {
    await w.upload('uploads/cli-acme/a.txt', 'aaa');
    await w.upload('uploads/cli-acme/docs/b.txt', 'bbbbb');
    const stale = await w.upload('uploads/cli-acme/gone.txt', 'x');
    await w.handle(stale);
    await w.remove('uploads/cli-acme/gone.txt'); // its Object Deleted event is never handled

    const result = await reconcileCli(['--endpoint', 'cli-acme']);
    expect(result.stderr).not.toContain('failed');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('cli-acme: 2 files (8 bytes); 2 added, 0 repaired, 1 removed');
    expect(await readEndpointUsage(w.db, 'cli-acme')).toMatchObject({ fileCount: 2, totalBytes: 8 });
    expect(readEntry((await w.db.get(fileKey(catalogPath('uploads/cli-acme/gone.txt')!)))!)).toMatchObject({ kind: 'deleted' });
    expect(readEntry((await w.db.get(fileKey(catalogPath('uploads/cli-acme/docs/b.txt')!)))!)).toMatchObject({ kind: 'file' });
  });

  it('refuses an endpoint name that is not one, with the usage and exit code 2', async () => {
    const result = await reconcileCli(['--endpoint', '../other']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Not an endpoint name: ../other');
    expect(result.stderr).toContain('Usage:');
  });

  it('refuses to run without the bucket and table named', async () => {
    const result = await run(process.execPath, ['--import', 'tsx', 'bin/reconcile.ts'], { env: { PATH: process.env.PATH }, timeout: 60_000 }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('BUCKET_NAME and CATALOG_TABLE are required');
  });
});
