// Figure 5b: catalog lag in the local portal, delivered as `npm start` delivers it: the local S3
// server's Object Created event goes through the in-process EventBridge stand-in
// (local/catalog/event-delivery.ts) to the events Lambda's handler, which reads the object
// (HeadObject) and writes its catalog entry. Timed from just before the PutObject is sent (so the
// upload's own round trip counts against the target) until the admin listing, asked through the
// gateway as the console asks it, first shows the file. Objects go one at a time.
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { FileListing } from '../contract/api/admin.js';
import { customerFileKey } from '../contract/bucket-layout.js';
import { buildObjectMetadata } from '../lambdas/shared/object-metadata.js';
import type { BrowserClient } from '../test/support/local-portal.js';
import { percentile } from './stats.js';

export const LAG_ENDPOINT = 'bench-lag';
/** Between two looks at the listing: short against the 1 s target, long enough not to starve the events handler of CPU. */
const POLL_MS = 20;
const GIVE_UP_MS = 30_000;

export interface LagResult {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  lagMs: number[];
  /** The first object's lag, not counted: a warm-up (the events handler loads on the portal's first S3 event, which may have been the bench endpoint's record). */
  firstMs: number;
  /** Listing requests the measured samples made. */
  polls: number;
  pollMs: number;
}

export async function measureCatalogLag(input: { portalUrl: string; admin: BrowserClient; s3: S3Client; bucket: string; samples: number }): Promise<LagResult> {
  const query = new URLSearchParams({ endpoint: LAG_ENDPOINT, scope: 'endpoint', sort: 'time', order: 'desc', pageSize: '50' });
  const listed = async (key: string): Promise<boolean> => {
    const response = await input.admin.fetch(`${input.portalUrl}/admin/api/files?${query.toString()}`);
    const text = await response.text();
    if (response.status !== 200) throw new Error(`admin listing answered ${response.status}: ${text.slice(0, 300)}`);
    return (JSON.parse(text) as FileListing).files.some((file) => file.key === key);
  };
  let polls = 0;
  const lagOf = async (i: number): Promise<number> => {
    const name = `lag-${String(i).padStart(4, '0')}.txt`;
    const key = customerFileKey(LAG_ENDPOINT, name);
    const started = performance.now();
    await input.s3.send(
      new PutObjectCommand({
        Bucket: input.bucket,
        Key: key,
        Body: `catalog lag sample ${i}\n`,
        ContentType: 'text/plain',
        Metadata: buildObjectMetadata({ originalName: name, uploadedBy: 'bench-customer@example.com' }, name),
      }),
    );
    for (;;) {
      polls++;
      if (await listed(key)) return performance.now() - started;
      if (performance.now() - started > GIVE_UP_MS) throw new Error(`${key} was not in the admin listing ${GIVE_UP_MS} ms after its upload`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };
  const firstMs = await lagOf(0);
  polls = 0;
  const lagMs: number[] = [];
  for (let i = 1; i <= input.samples; i++) lagMs.push(await lagOf(i));
  return {
    samples: lagMs.length,
    p50Ms: percentile(lagMs, 50),
    p95Ms: percentile(lagMs, 95),
    maxMs: Math.max(...lagMs),
    lagMs: lagMs.map((ms) => Math.round(ms)),
    firstMs: Math.round(firstMs),
    polls,
    pollMs: POLL_MS,
  };
}
