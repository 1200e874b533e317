// A diagnostic next to figure 1: what this Chromium can send on its own. The same file from the same
// portal page (so the same origin, CORS and cookies), but no Uppy and no portal API: Node creates the
// multipart upload and presigns every part with getSignedUrl, the page PUTs the slices with plain XHR
// (what @uppy/aws-s3 uses), as many at once as the portal's page would, and Node completes. The gap
// between this and the page shows the page's own overhead; the gap between this and lib-storage is
// the browser's.
import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, UploadPartCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Browser } from 'playwright-core';

export interface RawUploadInput {
  browser: Browser;
  portalUrl: string;
  cookies: { name: string; value: string; url: string }[];
  s3: S3Client;
  bucket: string;
  file: string;
  fileBytes: number;
  partSize: number;
  concurrency: number;
  timeoutMs: number;
}

// In-page code as a string: functions passed to page.evaluate would carry tsx's `__name` helper.
const PAGE_UPLOAD = `async ({ urls, partSize, concurrency }) => {
  const file = document.getElementById('bench-raw-file').files[0];
  const etags = new Array(urls.length);
  let next = 0;
  const put = (url, body) => new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.upload.onprogress = () => {};
    xhr.onload = () => (xhr.status === 200 ? resolve(xhr.getResponseHeader('etag')) : reject(new Error('PUT answered ' + xhr.status)));
    xhr.onerror = () => reject(new Error('PUT failed'));
    xhr.send(body);
  });
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < urls.length; i = next++) etags[i] = await put(urls[i], file.slice(i * partSize, (i + 1) * partSize));
  }));
  return etags;
}`;

export async function uploadRawInBrowser(input: RawUploadInput): Promise<{ ms: number; key: string }> {
  const context = await input.browser.newContext();
  try {
    await context.addCookies(input.cookies);
    const page = await context.newPage();
    page.setDefaultTimeout(input.timeoutMs);
    await page.goto(`${input.portalUrl}/`);
    await page.evaluate(`(() => { const i = document.createElement('input'); i.type = 'file'; i.id = 'bench-raw-file'; document.body.append(i); })()`);
    await page.setInputFiles('#bench-raw-file', input.file);

    const key = `bench-reference/raw-browser-${Date.now()}.bin`;
    const parts = Math.max(1, Math.ceil(input.fileBytes / input.partSize));
    const started = performance.now();
    const { UploadId } = await input.s3.send(new CreateMultipartUploadCommand({ Bucket: input.bucket, Key: key }));
    const urls = await Promise.all(
      Array.from({ length: parts }, (_, i) =>
        getSignedUrl(input.s3, new UploadPartCommand({ Bucket: input.bucket, Key: key, UploadId, PartNumber: i + 1 }), { expiresIn: 3600 }),
      ),
    );
    const args = JSON.stringify({ urls, partSize: input.partSize, concurrency: input.concurrency });
    const etags = await page.evaluate<string[]>(`(${PAGE_UPLOAD})(${args})`);
    await input.s3.send(
      new CompleteMultipartUploadCommand({ Bucket: input.bucket, Key: key, UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) } }),
    );
    return { ms: performance.now() - started, key };
  } finally {
    await context.close();
  }
}
