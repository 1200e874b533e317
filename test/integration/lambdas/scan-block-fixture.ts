// The world of the tests that release files scanning could not clear: the local portal with malware
// scanning `block` (its S3 server enforces the bucket policy's scan-tag condition), the admin signed
// in, one endpoint, and an S3 client with the Lambdas' credentials. A file is downloaded two ways, a
// presigned GET straight from S3 and the admin API's download (302 to S3): both are checked together.
import type { S3Client } from '@aws-sdk/client-s3';
import { expect } from 'vitest';
import type { AuditEvent, FileEntry } from '../../../contract/api/admin.js';
import { auditTrail } from '../../support/audit.js';
import { startTestPortal, type LocalPortalOptions, type TestPortal } from '../../support/local-portal.js';
import { bucketClient, createEndpoint, listedFile, presignedGet, signedInAdmin, type ApiResponse, type PortalApi } from '../../support/portal-api.js';

export interface ScanBlockWorld {
  portal: TestPortal;
  admin: PortalApi;
  s3: S3Client;
  endpoint: string;
  /** The file at `key` as the admin API lists it across the endpoint. */
  fileOf(key: string): Promise<FileEntry | undefined>;
  /** The admin API's release of `key` (POST /admin/api/files/release), answered as is. */
  release(key: string, reason: string): Promise<ApiResponse<FileEntry>>;
  /** The file.released events of `key` in the endpoint's audit trail. */
  releasedAudits(key: string): Promise<AuditEvent[]>;
  /** Expects both downloads of `key` refused: S3's presigned GET 403, the admin API's 409 scan_not_released. */
  expectDownloadsRefused(key: string): Promise<void>;
  /** Expects both downloads of `key` to answer exactly `data`. */
  expectDownloadsReturn(key: string, data: Buffer): Promise<void>;
  close(): Promise<void>;
}

/** Starts the portal (scanning `block`, plus `options`), signs the admin in and creates `endpoint`. */
export async function startScanBlockWorld(endpoint: { name: string; customerEmail: string }, options: Partial<LocalPortalOptions> = {}): Promise<ScanBlockWorld> {
  const portal = await startTestPortal({ malwareScan: 'block', ...options });
  const s3 = bucketClient(portal);
  try {
    const admin = await signedInAdmin(portal);
    await createEndpoint(admin, endpoint);
    return worldOf(portal, admin, s3, endpoint.name);
  } catch (error) {
    s3.destroy();
    await portal.stop();
    throw error;
  }
}

function worldOf(portal: TestPortal, admin: PortalApi, s3: S3Client, endpoint: string): ScanBlockWorld {
  return {
    portal,
    admin,
    s3,
    endpoint,
    fileOf: (key) => listedFile(admin, endpoint, key),
    release: (key, reason) => admin.call<FileEntry>('POST', '/admin/api/files/release', { key, reason }),
    releasedAudits: async (key) => (await auditTrail(admin, { endpoint })).filter((e) => e.action === 'file.released' && e.target === key),
    async expectDownloadsRefused(key) {
      expect((await presignedGet(s3, portal.bucket, key)).status, `presigned GET of ${key}`).toBe(403);
      const download = await admin.get('/admin/api/files/download', { key });
      expect([download.status, download.body.error.code], `admin download of ${key}`).toEqual([409, 'scan_not_released']);
    },
    async expectDownloadsReturn(key, data) {
      const direct = await presignedGet(s3, portal.bucket, key);
      expect(direct.status, `presigned GET of ${key}`).toBe(200);
      expect(direct.body.equals(data)).toBe(true);
      const download = await admin.get('/admin/api/files/download', { key });
      expect(download.status, JSON.stringify(download.body)).toBe(302);
      const viaPortal = await fetch(download.headers.get('location')!);
      expect(viaPortal.status, `the admin download's presigned GET of ${key}`).toBe(200);
      expect(Buffer.from(await viaPortal.arrayBuffer()).equals(data)).toBe(true);
    },
    async close() {
      s3.destroy();
      await portal.stop();
    },
  };
}
