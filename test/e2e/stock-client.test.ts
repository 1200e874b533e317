// A stock Uppy 5 client (@uppy/core with @uppy/aws-s3, nothing of the portal's page) pointed at the
// portal's /api as its Companion endpoint still uploads: a small file through GET /api/s3/params (a
// presigned PUT, sent with the headers the answer lists) and a large one through the multipart
// routes. It runs in the signed-in customer's browser, where its requests carry the ALB session
// cookie as any page of the portal's origin would; it sends no checksum and no size of its own.
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { METADATA } from '../../contract/bucket-layout.js';
import { headObject, MiB, objectSha256 } from '../support/portal-api.js';
import { bundleStockUppy } from './stock-client/bundle.js';
import { E2eSuite } from './suite.js';

const suite = E2eSuite.forThisFile();

/** Byte i of a test file: the same pattern in the page (built there) and here (the expected digest). */
const patternBytes = (size: number): Buffer => Buffer.from(Uint8Array.from({ length: size }, (_, i) => (i * 31 + (i >> 12)) & 0xff));

interface StockResult {
  successful: { name: string; uploadURL: string | undefined }[];
  failed: { name: string; error: string }[];
  /** Every request the client sent to the portal's API (method and path). */
  apiCalls: string[];
}

/** Loads the stock client into `page` and uploads `files` (built in the page from patternBytes) with the plugin's defaults, but for which files go multipart. */
async function uploadWithStockClient(page: Page, files: { name: string; size: number; multipart: boolean }[]): Promise<StockResult> {
  // Evaluated, not added as a <script>: the page's CSP allows no inline script, and the protocol's
  // evaluation is not page script.
  await page.evaluate(await bundleStockUppy());
  return page.evaluate(async (wanted) => {
    const apiCalls: string[] = [];
    const fetchOf = window.fetch.bind(window);
    window.fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input), location.href);
      if (url.origin === location.origin && url.pathname.startsWith('/api/')) apiCalls.push(`${init?.method ?? 'GET'} ${url.pathname}`);
      return fetchOf(input, init);
    };
    const { Uppy, AwsS3 } = (window as unknown as { StockUppy: { Uppy: new (opts?: object) => StockUppyCore; AwsS3: unknown } }).StockUppy;
    const multipart = new Set(wanted.filter((f) => f.multipart).map((f) => f.name));
    const uppy = new Uppy({ autoProceed: false }).use(AwsS3, { endpoint: `${location.origin}/api`, shouldUseMultipart: (file: { name: string }) => multipart.has(file.name) });
    for (const f of wanted) {
      const data = Uint8Array.from({ length: f.size }, (_, i) => (i * 31 + (i >> 12)) & 0xff);
      uppy.addFile({ name: f.name, type: 'application/octet-stream', data: new File([data], f.name, { type: 'application/octet-stream' }) });
    }
    const result = await uppy.upload();
    return {
      successful: (result?.successful ?? []).map((f) => ({ name: f.name, uploadURL: f.uploadURL })),
      failed: (result?.failed ?? []).map((f) => ({ name: f.name, error: String(f.error) })),
      apiCalls,
    };

    interface StockUppyCore {
      use(plugin: unknown, opts: object): StockUppyCore;
      addFile(file: object): string;
      upload(): Promise<{ successful?: { name: string; uploadURL?: string }[]; failed?: { name: string; error?: unknown }[] } | undefined>;
    }
  }, files);
}

describe('a stock @uppy/aws-s3 5 client', () => {
  it('uploads a small file through /api/s3/params and a large one in parts, stored byte for byte under the customer\'s folder with their names', async () => {
    const { page, keyOf } = await suite.customerPageForTest();
    const small = { name: 'stock small.txt', size: 2 * MiB + 3, multipart: false };
    const large = { name: 'stock-large.bin', size: 12 * MiB + 5, multipart: true };

    const result = await uploadWithStockClient(page, [small, large]);

    expect(result.failed).toEqual([]);
    expect(result.successful.map((f) => f.name).sort()).toEqual([large.name, small.name].sort());
    // The plain Companion protocol: the small file's parameters, the large file's create, part signing and completion.
    expect(result.apiCalls).toContain('GET /api/s3/params');
    expect(result.apiCalls).toContain('POST /api/s3/multipart');
    expect(result.apiCalls.some((call) => /^POST \/api\/s3\/multipart\/[^/]+\/complete$/.test(call))).toBe(true);
    for (const file of [small, large]) {
      const expected = createHash('sha256').update(patternBytes(file.size)).digest('hex');
      expect(await objectSha256(suite.s3, suite.portal.bucket, keyOf(file.name)), file.name).toEqual({ sha256: expected, size: file.size });
      const head = await headObject(suite.s3, suite.portal.bucket, keyOf(file.name));
      expect(head.Metadata?.[METADATA.originalName], file.name).toBe(encodeURIComponent(file.name));
    }
  });
});
