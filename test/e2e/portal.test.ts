// The browser end-to-end suite (issue 6): one headless Chromium driven by playwright-core, through
// the ALB-like gateway with the real pages, Lambda handlers, IdPs, cognito-local and S3 server.
// An admin creates an endpoint in the console; its customer signs in, sets a new password and
// uploads with the real Uppy widget straight into the local S3 server; the admin browses and
// downloads. Then pause/resume, reload mid-upload, a failing completion, cancel, and a customer
// knocking at /admin.
// Test files (one of 200 MiB) are generated in a temp folder and deleted afterwards.
import { mkdtemp, rm, link } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSha256, launchChromium, PartGate, PartPutRecorder, writeTestFile } from '../support/browser.js';
import { startTestPortal, type TestPortal } from '../support/local-portal.js';
import { bucketClient, headObject, incompleteUploads, listKeys, MiB, objectSha256 } from '../support/portal-api.js';

const ENDPOINT = 'e2e-acme';
const CUSTOMER_EMAIL = 'uploads@e2e-acme.example';
const CUSTOMER_PASSWORD = 'E2e-Customer-Pw-77!';
const PREFIX = `uploads/${ENDPOINT}/`;

let portal: TestPortal;
let browser: Browser;
let s3: S3Client;
let workDir: string;
let admin: { context: BrowserContext; page: Page };
let customer: { context: BrowserContext; page: Page };
let temporaryPassword = '';

interface TestFile {
  path: string;
  name: string;
  size: number;
  sha256: string;
}
const files: Record<'large' | 'small' | 'tiny' | 'medium', TestFile> = {} as never;

async function makeFile(id: keyof typeof files, name: string, size: number): Promise<void> {
  const path = join(workDir, name);
  files[id] = { path, name, size, sha256: await writeTestFile(path, size) };
}

/** The same bytes under another name (a hard link: instant, no extra disk). */
async function alias(file: TestFile, name: string): Promise<TestFile> {
  const path = join(workDir, name);
  await link(file.path, path);
  return { ...file, path, name };
}

beforeAll(async () => {
  browser = await launchChromium(); // first: without Chromium, fail at once with how to install it
  // Builds dist/web only when it is missing (startLocalPortal's own check).
  portal = await startTestPortal({ buildWeb: true });
  s3 = bucketClient(portal);
  workDir = await mkdtemp(join(tmpdir(), 'portal-e2e-'));
  await makeFile('large', 'large-200MiB.bin', 200 * MiB + 12_345);
  await makeFile('medium', 'medium-120MiB.bin', 120 * MiB + 777);
  await makeFile('small', 'small report.pdf', 3 * MiB + 5);
  await makeFile('tiny', 'tiny-ünïcode.txt', 2_000);
  admin = await newSession();
  customer = await newSession();
});

afterAll(async () => {
  await browser?.close();
  s3?.destroy();
  await portal?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

async function newSession(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return { context, page };
}

const uppyInput = (page: Page) => page.locator('input.uppy-Dashboard-input[type="file"]:not([webkitdirectory])').first();
/** The next API response matching; a test that fails before awaiting it leaves no unhandled rejection behind. */
function apiResponse(page: Page, method: string, pattern: RegExp): Promise<Response> {
  const response = page.waitForResponse((r: Response) => r.request().method() === method && pattern.test(new URL(r.url()).pathname), { timeout: 60_000 });
  response.catch(() => undefined);
  return response;
}
const keyOf = (name: string) => `${PREFIX}${name}`;

/** Every multipart API call the page sends, as `METHOD /api/s3/multipart/:id/...` (upload ids replaced). */
function recordMultipartCalls(page: Page): string[] {
  const calls: string[] = [];
  page.on('request', (r) => r.url().startsWith(`${portal.url}/api/s3/multipart`) && calls.push(`${r.method()} ${new URL(r.url()).pathname.replace(/multipart\/[^/]+/, 'multipart/:id')}`));
  return calls;
}

/** The upload a create answered with: its ids, and the first parts' URLs the page asked for along with it. */
async function createdUpload(created: Promise<Response>): Promise<{ upload: { key: string; uploadId: string }; signedAlong: number[] }> {
  const { key, uploadId, presignedUrls } = (await (await created).json()) as { key: string; uploadId: string; presignedUrls?: Record<string, string> };
  return { upload: { key, uploadId }, signedAlong: Object.keys(presignedUrls ?? {}).map(Number).sort((a, b) => a - b) };
}

async function expectStored(file: TestFile, key = keyOf(file.name)): Promise<void> {
  expect(await objectSha256(s3, portal.bucket, key), file.name).toEqual({ sha256: file.sha256, size: file.size });
}

/** `expect.poll` with room for a busy machine (its default gives up after one second). */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 60_000, interval: 100 });

/**
 * Opens the customer page with a clean widget: Golden Retriever keeps Uppy's state per origin
 * (localStorage and IndexedDB), so it is wiped from a page of the same origin that runs no Uppy.
 */
async function openCustomerPage(): Promise<void> {
  const { page } = customer;
  await page.goto(`${portal.url}/healthz`);
  await page.evaluate(async () => {
    for (const key of Object.keys(localStorage)) if (key.startsWith('uppyState:')) localStorage.removeItem(key);
    const names = (await indexedDB.databases()).map((db) => db.name).filter((name): name is string => Boolean(name));
    await Promise.all(names.map((name) => new Promise((done) => Object.assign(indexedDB.deleteDatabase(name), { onsuccess: done, onerror: done, onblocked: done }))));
  });
  await page.goto(portal.url);
  await page.getByRole('heading', { name: /Send files to/ }).waitFor();
  await uppyInput(page).waitFor({ state: 'attached' });
}

/** Adds files as a person would: through the Dashboard's file input ("Add more files" first when files are listed). */
async function addFiles(page: Page, paths: string[]): Promise<void> {
  if ((await uppyInput(page).count()) === 0) await page.getByRole('button', { name: 'Add more files' }).click();
  await uppyInput(page).setInputFiles(paths);
}

describe('browser end to end through the local portal', () => {
  it('lets an admin sign in at /admin, create an endpoint and read its temporary credentials', async () => {
    const { page } = admin;
    await page.goto(`${portal.url}/admin`);
    expect(page.url().startsWith(portal.idps.admin.issuer)).toBe(true);
    await page.getByLabel('Email').fill(portal.adminCredentials.email);
    await page.getByLabel('Password').fill(portal.adminCredentials.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Endpoints' }).waitFor();
    expect(new URL(page.url()).origin).toBe(new URL(portal.url).origin);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New endpoint' }).click();
    await page.getByLabel('Endpoint name').fill(ENDPOINT);
    await page.getByLabel('Customer e-mail').fill(CUSTOMER_EMAIL);
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    await page.getByRole('heading', { name: `Endpoint ${ENDPOINT} created` }).waitFor();

    const credential = (label: string) => page.locator('.credentials-list > div', { has: page.locator('dt', { hasText: label }) }).locator('code');
    expect(await credential('Username').textContent()).toBe(CUSTOMER_EMAIL);
    expect([portal.url, `${portal.url}/`]).toContain(await credential('Portal URL').textContent());
    temporaryPassword = (await credential('Temporary password').textContent()) ?? '';
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(16);
  });

  it('lets the customer sign in with the temporary password and choose a new one', async () => {
    const { page } = customer;
    await page.goto(portal.url);
    expect(page.url().startsWith(portal.idps.customer.issuer)).toBe(true);
    await page.getByLabel('Email').fill(CUSTOMER_EMAIL);
    await page.getByLabel('Password').fill(temporaryPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('New password').fill(CUSTOMER_PASSWORD);
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.getByRole('heading', { name: /Send files to/ }).waitFor();
    expect(page.url()).toBe(`${portal.url}/`);
    await eventually(() => page.locator('.topbar-user').textContent()).toContain(CUSTOMER_EMAIL);
  });

  it('uploads three files, the 200 MiB one in parts, and the bucket holds exactly their bytes', async () => {
    const { page } = customer;
    const parts = new PartPutRecorder(page, portal.s3Url);
    const posts: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && r.url().startsWith(portal.s3Url) && posts.push(r.url()));
    const multipartCalls = recordMultipartCalls(page);
    await addFiles(page, [files.large.path, files.small.path, files.tiny.path]);
    await page.getByRole('button', { name: 'Upload 3 files' }).click();
    await page.locator('[data-testid="total-progress"]').filter({ hasText: '3 of 3 files' }).waitFor({ timeout: 180_000 });

    // 200 MiB in parts of 16 MiB (the API's minimum part size): 13 parts, each stored once.
    expect(parts.stored()).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(new Set(parts.puts.map((p) => p.uploadId)).size).toBe(1);
    expect(posts).toHaveLength(2); // the two small files: one presigned POST each
    // The create signed all 13 part URLs: no batch call, no single-part signing.
    expect(multipartCalls).toEqual(['POST /api/s3/multipart', 'POST /api/s3/multipart/:id/complete']);
    await expectStored(files.large);
    await expectStored(files.small);
    await expectStored(files.tiny);
    expect((await headObject(s3, portal.bucket, keyOf(files.large.name))).ETag).toMatch(/-13"$/);
    expect(await incompleteUploads(s3, portal.bucket, PREFIX)).toEqual([]);
    // The page lists what arrived.
    await page.locator('section', { has: page.getByRole('heading', { name: 'Received files' }) }).getByRole('cell', { name: files.large.name }).waitFor();
  });

  it('shows the files to the admin in the file browser, and downloads them under their original names', async () => {
    const { page } = admin;
    await page.goto(`${portal.url}/admin/endpoints/${ENDPOINT}/files`);
    await page.getByRole('heading', { name: `Files of ${ENDPOINT}` }).waitFor();
    for (const file of [files.large, files.small, files.tiny]) await page.getByRole('cell', { name: file.name, exact: true }).waitFor();
    expect(await page.getByRole('cell', { name: CUSTOMER_EMAIL }).count()).toBe(3);

    // The non-ASCII name exercises the RFC 5987 `filename*` of the presigned GET's Content-Disposition.
    for (const file of [files.small, files.tiny]) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: `Download ${file.name}` }).click()]);
      expect(download.suggestedFilename()).toBe(file.name);
      const saved = join(workDir, `downloaded-${file.size}`);
      await download.saveAs(saved);
      expect(await fileSha256(saved), file.name).toBe(file.sha256);
    }
  });

  it('pauses and resumes a multipart upload without sending stored parts again', async () => {
    const { page } = customer;
    await openCustomerPage();
    const file = await alias(files.medium, 'pause-resume.bin');
    const parts = new PartPutRecorder(page, portal.s3Url);
    // Parts 1-2 go through; the rest wait at the gate, so the pause lands mid-upload on any machine.
    const gate = await new PartGate(page, portal.s3Url, [3, 4, 5, 6, 7, 8]).install();
    const created = apiResponse(page, 'POST', /^\/api\/s3\/multipart$/);
    await addFiles(page, [file.path]);
    await page.getByRole('button', { name: 'Upload 1 file' }).click();
    const { upload, signedAlong } = await createdUpload(created);
    expect(signedAlong).toEqual([1, 2, 3, 4, 5, 6, 7, 8]); // the page asked for every part's URL with the create
    await eventually(() => parts.stored(upload.uploadId)).toEqual([1, 2]);
    await eventually(() => gate.heldCount).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByRole('button', { name: 'Resume', exact: true }).waitFor();
    await gate.uninstall(); // the held parts were aborted by the pause: they fail, nothing is sent
    const sentWhilePaused = parts.puts.length;
    await page.waitForTimeout(1_000);
    expect(parts.puts.length).toBe(sentWhilePaused);
    expect(await incompleteUploads(s3, portal.bucket, upload.key)).toEqual([upload]);

    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await page.locator('[data-testid="total-progress"]').filter({ hasText: '1 of 1 file' }).waitFor({ timeout: 120_000 });
    expect(parts.stored(upload.uploadId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // Parts 1 and 2 were sent once, before the pause; only the parts S3 did not hold went again.
    for (const n of [1, 2]) expect(parts.puts.filter((p) => p.partNumber === n), `part ${n}`).toHaveLength(1);
    expect(upload.key).toBe(keyOf(file.name));
    await expectStored(file);
  });

  it('resumes after a page reload without sending the parts S3 already holds', async () => {
    const { page } = customer;
    await openCustomerPage();
    const file = await alias(files.medium, 'reload-resume.bin');
    const parts = new PartPutRecorder(page, portal.s3Url);
    const gate = await new PartGate(page, portal.s3Url, [4, 5, 6, 7, 8]).install();
    const creates: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/s3/multipart' && creates.push(r.url()));
    const created = apiResponse(page, 'POST', /^\/api\/s3\/multipart$/);
    await addFiles(page, [file.path]);
    await page.getByRole('button', { name: 'Upload 1 file' }).click();
    const { upload } = await createdUpload(created);
    await eventually(() => parts.stored(upload.uploadId)).toEqual([1, 2, 3]);
    await eventually(() => gate.heldCount).toBe(5); // parts 4-8 all started, all held
    // Golden Retriever saves Uppy's state (with the upload id) to localStorage, throttled.
    await eventually(() => page.evaluate((id) => Object.keys(localStorage).some((k) => k.startsWith('uppyState:') && localStorage.getItem(k)!.includes(id)), upload.uploadId)).toBe(true);

    const sentBeforeReload = parts.puts.length;
    const createsBeforeReload = creates.length;
    const listed = apiResponse(page, 'GET', /^\/api\/s3\/multipart\/[^/]+$/);
    await page.reload();
    await gate.uninstall(); // the held requests died with the old document
    await page.getByRole('heading', { name: /Send files to/ }).waitFor();
    // Golden Retriever brought the upload back, but a browser cannot keep a 120 MiB file across a
    // reload: the person selects it again (as the page says), then resumes.
    await page.getByText('We could not fully recover 1 file').waitFor();
    await addFiles(page, [file.path]);
    await page.getByText('We restored all files').waitFor();
    await page.getByRole('button', { name: 'Upload 1 file' }).click();
    const listing = await listed;
    const listedParts = ((await listing.json()) as { PartNumber: number }[]).map((p) => p.PartNumber);
    expect(new URL(listing.url()).searchParams.get('key')).toBe(upload.key);
    expect(listedParts).toEqual([1, 2, 3]);
    await page.locator('[data-testid="total-progress"]').filter({ hasText: '1 of 1 file' }).waitFor({ timeout: 120_000 });

    const afterReload = parts.puts.slice(sentBeforeReload);
    expect(afterReload.every((p) => p.uploadId === upload.uploadId)).toBe(true);
    expect([...new Set(afterReload.map((p) => p.partNumber))].sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8]);
    expect(creates.length).toBe(createsBeforeReload); // the same multipart upload, not a new one
    await expectStored(file, upload.key);
  });

  it('keeps the parts when completing fails: a 503 is retried, and after a refusal the retry sends no part again', async () => {
    const { page } = customer;
    await openCustomerPage();
    const file = await alias(files.medium, 'complete-fails.bin');
    const parts = new PartPutRecorder(page, portal.s3Url);
    const calls = recordMultipartCalls(page);
    // The first completion meets the ALB's 503 (the page sends it again by itself), the second a
    // refusal of the completion checks (the file fails); later ones reach the API.
    const answers = [
      { status: 503, contentType: 'text/html', body: '<html><body>503 Service Temporarily Unavailable</body></html>' },
      { status: 409, contentType: 'application/json', body: JSON.stringify({ error: { code: 'parts_missing', message: 'S3 does not hold part 8 yet' } }) },
    ];
    const completes: number[] = [];
    const completeRoute = '**/api/s3/multipart/*/complete*';
    await page.route(completeRoute, async (route) => {
      const answer = answers.shift();
      completes.push(answer?.status ?? 200);
      await (answer ? route.fulfill(answer) : route.continue());
    });
    const created = apiResponse(page, 'POST', /^\/api\/s3\/multipart$/);
    await addFiles(page, [file.path]);
    await page.getByRole('button', { name: 'Upload 1 file' }).click();
    const { upload } = await createdUpload(created);
    const retry = page.locator('.uppy-StatusBar').getByRole('button', { name: 'Retry upload' });
    await retry.waitFor({ timeout: 120_000 });
    const allParts = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(completes).toEqual([503, 409]);
    expect(parts.stored(upload.uploadId)).toEqual(allParts);
    expect(await incompleteUploads(s3, portal.bucket, upload.key)).toEqual([upload]); // nothing deleted

    const sentBeforeRetry = parts.puts.length;
    const listed = apiResponse(page, 'GET', /^\/api\/s3\/multipart\/[^/]+$/);
    await retry.click();
    expect(((await (await listed).json()) as { PartNumber: number }[]).map((p) => p.PartNumber)).toEqual(allParts);
    await page.locator('[data-testid="total-progress"]').filter({ hasText: '1 of 1 file' }).waitFor({ timeout: 120_000 });
    await page.unroute(completeRoute);
    expect(completes).toEqual([503, 409, 200]);
    expect(parts.puts.length).toBe(sentBeforeRetry); // S3 held every part: none went again
    expect(calls.filter((c) => c.startsWith('DELETE '))).toEqual([]);
    expect(calls.filter((c) => c === 'POST /api/s3/multipart')).toHaveLength(1); // the same upload, not a new one
    await expectStored(file, upload.key);
    expect(await incompleteUploads(s3, portal.bucket, PREFIX)).toEqual([]);
  });

  it('ends as stored, not failed, when S3 completed the file but the answer was lost (a 502 on the way back)', async () => {
    const { page } = customer;
    await openCustomerPage();
    const file = await alias(files.medium, 'complete-answer-lost.bin');
    const calls = recordMultipartCalls(page);
    const completes: number[] = [];
    const completeRoute = '**/api/s3/multipart/*/complete*';
    await page.route(completeRoute, async (route) => {
      // The first completion reaches the API and S3 stores the file; the ALB's 502 replaces its answer.
      const answer = await route.fetch();
      const lost = completes.length === 0;
      completes.push(lost ? 502 : answer.status());
      await (lost ? route.fulfill({ status: 502, contentType: 'text/html', body: '<html><body>502 Bad Gateway</body></html>' }) : route.fulfill({ response: answer }));
    });
    const created = apiResponse(page, 'POST', /^\/api\/s3\/multipart$/);
    await addFiles(page, [file.path]);
    await page.getByRole('button', { name: 'Upload 1 file' }).click();
    const { upload } = await createdUpload(created);
    await page.locator('[data-testid="total-progress"]').filter({ hasText: '1 of 1 file' }).waitFor({ timeout: 120_000 });
    await page.unroute(completeRoute);
    expect(completes).toEqual([502, 200]);
    expect(calls.filter((c) => c === 'POST /api/s3/multipart')).toHaveLength(1); // not sent again as a new file
    await expectStored(file, upload.key);
    expect((await listKeys(s3, portal.bucket, PREFIX)).filter((k) => k.includes('complete-answer-lost'))).toEqual([upload.key]);
    expect(await incompleteUploads(s3, portal.bucket, PREFIX)).toEqual([]);
  });

  it('cancels a multipart upload and leaves no incomplete upload behind', async () => {
    const { page } = customer;
    await openCustomerPage();
    const file = await alias(files.medium, 'cancelled.bin');
    const parts = new PartPutRecorder(page, portal.s3Url);
    const gate = await new PartGate(page, portal.s3Url, [2, 3, 4, 5, 6, 7, 8]).install();
    const created = apiResponse(page, 'POST', /^\/api\/s3\/multipart$/);
    await addFiles(page, [file.path]);
    await page.getByRole('button', { name: 'Upload 1 file' }).click();
    const { upload } = await createdUpload(created);
    await eventually(() => parts.stored(upload.uploadId)).toEqual([1]);
    expect(await incompleteUploads(s3, portal.bucket, PREFIX)).toEqual([upload]);

    const aborted = apiResponse(page, 'DELETE', /^\/api\/s3\/multipart\//);
    await page.locator('.uppy-StatusBar').getByRole('button', { name: 'Cancel' }).click();
    expect((await aborted).status()).toBe(200);
    await gate.uninstall();
    expect(await incompleteUploads(s3, portal.bucket, PREFIX)).toEqual([]);
    expect(await listKeys(s3, portal.bucket, upload.key)).toEqual([]);
  });

  it('sends a customer who opens /admin to the admin IdP, and the admin API refuses its session', async () => {
    const { page, context } = customer;
    await page.goto(`${portal.url}/admin`);
    expect(page.url().startsWith(portal.idps.admin.issuer)).toBe(true);
    // The customer's credentials mean nothing there.
    await page.getByLabel('Email').fill(CUSTOMER_EMAIL);
    await page.getByLabel('Password').fill(CUSTOMER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(page.url().startsWith(portal.idps.admin.issuer)).toBe(true);

    const api = await context.request.get(`${portal.url}/admin/api/endpoints`, { maxRedirects: 0 });
    expect([401, 403]).toContain(api.status());
    // Also from the customer's own page, with its session cookie.
    await openCustomerPage();
    const fromPage = await page.evaluate(async () => {
      const response = await fetch('/admin/api/endpoints', { headers: { 'x-requested-with': 'portal' } });
      const create = await fetch('/admin/api/endpoints', { method: 'POST', headers: { 'content-type': 'application/json', 'x-requested-with': 'portal' }, body: JSON.stringify({ name: 'stolen', customerEmail: 'x@example.com' }) });
      return [response.status, create.status];
    });
    for (const status of fromPage) expect([401, 403]).toContain(status);
    expect(await listKeys(s3, portal.bucket, '_portal/endpoints/stolen')).toEqual([]);
  });
});
