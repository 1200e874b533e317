// Part-sign calls under load: `count` single-part sign calls (GET /api/s3/multipart/:id/:part, the plain
// protocol's) sent at once as the signed-in customer through the local gateway, each timed from send to
// answer; every one must answer 200. The reference is the same calls sent one after another, so the
// ratio says what queueing under a burst costs on this machine. Loopback only.
import { routePath } from '../contract/api/route.js';
import { UPLOADS_ROUTES } from '../contract/api/uploads.js';
import type { BenchSession } from './portal-session.js';
import { percentile } from './stats.js';

export interface ConcurrentSigningResult {
  count: number;
  errors: number;
  /** Statuses other than 200, with how often each came (network failures as 0). */
  failures: Record<string, number>;
  concurrent: { p50Ms: number; p99Ms: number; wallMs: number };
  sequential: { p50Ms: number; p99Ms: number };
}

export async function measureConcurrentSigning(session: BenchSession, count: number): Promise<ConcurrentSigningResult> {
  const { customer, portal } = session;
  // The portal's own part size (BENCH_PART_MB, else its default): the upload is cut by the plan it
  // gives, so a size declared in other parts would have fewer than `count` of them to sign.
  const partSize = session.uploadSettings.minPartSizeBytes;
  // A stock client's upload (no checksums), declared large enough for exactly `count` parts.
  const created = await customer.fetch(`${portal.url}${UPLOADS_ROUTES.createMultipart.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: new URL(portal.url).origin },
    body: JSON.stringify({ filename: 'sign-burst.bin', type: 'application/octet-stream', metadata: { size: String(count * partSize) } }),
  });
  if (created.status !== 200) throw new Error(`creating the sign-burst upload: ${created.status} ${await created.text()}`);
  const { key, uploadId } = (await created.json()) as { key: string; uploadId: string };
  const sign = async (partNumber: number): Promise<{ ms: number; status: number }> => {
    const url = `${portal.url}${routePath(UPLOADS_ROUTES.signPart, { uploadId, partNumber: String(partNumber) })}?key=${encodeURIComponent(key)}`;
    const start = performance.now();
    try {
      const response = await customer.fetch(url);
      await response.arrayBuffer();
      return { ms: performance.now() - start, status: response.status };
    } catch {
      return { ms: performance.now() - start, status: 0 };
    }
  };
  try {
    const sequential: number[] = [];
    for (let n = 1; n <= count; n++) sequential.push((await sign(n)).ms);
    const wallStart = performance.now();
    const burst = await Promise.all(Array.from({ length: count }, (_, i) => sign(i + 1)));
    const wallMs = performance.now() - wallStart;
    const failures: Record<string, number> = {};
    for (const { status } of burst) if (status !== 200) failures[status] = (failures[status] ?? 0) + 1;
    const times = burst.map((b) => b.ms);
    return {
      count,
      errors: burst.filter((b) => b.status !== 200).length,
      failures,
      concurrent: { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), wallMs },
      sequential: { p50Ms: percentile(sequential, 50), p99Ms: percentile(sequential, 99) },
    };
  } finally {
    await customer.fetch(`${portal.url}${routePath(UPLOADS_ROUTES.abortMultipart, { uploadId })}?key=${encodeURIComponent(key)}`, { method: 'DELETE', headers: { origin: new URL(portal.url).origin } });
  }
}
