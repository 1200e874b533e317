// The browser end-to-end suite: one headless Chromium driven by playwright-core, through the
// ALB-like gateway with the real pages, Lambda handlers, IdPs, cognito-local and S3 server.
// An admin creates an endpoint in the console; a customer signs in, sets a new password and uploads
// with the real Uppy widget straight into the local S3 server; the admin browses and downloads.
// Then pause/resume, reload mid-upload, a failing completion, cancel, and a customer knocking at
// /admin. Every test stands alone (any one passes by itself, in any order): what it needs comes from
// the fixtures in suite.ts, memoised once per run; each upload test has a clean widget and its own
// file names. Test files (one of 200 MiB) are generated in a temp folder and deleted afterwards.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSha256, PartPutRecorder } from '../support/browser.js';
import { BrowserClient, signInCustomer } from '../support/local-portal.js';
import { headObject, incompleteUploads, listKeys, storedChecksum } from '../support/portal-api.js';
import { apiResponse, chooseAgainAndResume, eventually, firstSignIn, openCustomerPage, recordMultipartCalls, sendFiles, signInToConsole, startUpload, startUploadHoldingParts, startUploadToReload, uploadsDone } from './page-steps.js';
import { CUSTOMER_PASSWORD, customerEmailOf, E2eSuite, type TestFile } from './suite.js';

const suite = E2eSuite.forThisFile();

describe('browser end to end through the local portal', () => {
  it('lets an admin sign in at /admin, create an endpoint and read its temporary credentials', async () => {
    const { page } = await suite.sessionForTest();
    await signInToConsole(page, suite.portal);
    const endpoint = 'e2e-console';
    const email = customerEmailOf(endpoint);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New endpoint' }).click();
    await page.getByLabel('Endpoint name').fill(endpoint);
    await page.getByLabel('Customer e-mail').fill(email);
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    await page.getByRole('heading', { name: `Endpoint ${endpoint} created` }).waitFor();

    const credential = (label: string) => page.locator('.credentials-list > div', { has: page.locator('dt', { hasText: label }) }).locator('code');
    expect(await credential('Username').textContent()).toBe(email);
    expect([suite.portal.url, `${suite.portal.url}/`]).toContain(await credential('Portal URL').textContent());
    const temporaryPassword = (await credential('Temporary password').textContent()) ?? '';
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(16);
    // The password shown is the customer's: the hosted UI takes it and asks for a new one.
    const afterPassword = await signInCustomer(new BrowserClient(), suite.portal, email, temporaryPassword);
    expect(afterPassword.body).toMatch(/<form[^>]*action="[^"]*\/new-password"/);
  });

  it('lets the customer sign in with the temporary password and choose a new one', async () => {
    const login = await suite.createEndpoint('e2e-first-sign-in');
    const { page } = await suite.sessionForTest();
    // Checks each step: the hosted UI's page, the New password step, landing on the customer page as this customer.
    await firstSignIn(page, suite.portal, login, CUSTOMER_PASSWORD);
  });

  it('uploads three files, the 200 MiB one in parts, and the bucket holds exactly their bytes', async () => {
    // The upload through the widget, until the page lists the files, is the fixture (done once per
    // run: the file browser test needs the same files); here, what the page sent and what S3 holds.
    const { customer, files, parts, smallPuts, multipartCalls } = await suite.uploadedFiles();
    // 200 MiB in parts of 16 MiB (the API's minimum part size): 13 parts, each stored once.
    expect(parts.stored()).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(new Set(parts.puts.map((p) => p.uploadId)).size).toBe(1);
    // The two small files: one presigned PUT each, with the file's checksum, never replacing an object.
    expect(smallPuts.map((p) => [p.status, p.headers['if-none-match'], p.headers['x-amz-checksum-crc64nvme']])).toEqual([
      [200, '*', expect.stringMatching(/^[A-Za-z0-9+/]{11}=$/)],
      [200, '*', expect.stringMatching(/^[A-Za-z0-9+/]{11}=$/)],
    ]);
    // The create signed the first parts (those hashed by then); a batch signs the rest when the
    // hasher was not through the file yet; no single-part signing.
    expect(multipartCalls[0]).toBe('POST /api/s3/multipart');
    expect(multipartCalls.at(-1)).toBe('POST /api/s3/multipart/:id/complete');
    expect(multipartCalls.slice(1, -1).every((call) => call === 'POST /api/s3/multipart/:id/batch')).toBe(true);
    expect(multipartCalls.length).toBeLessThanOrEqual(4);
    for (const file of [files.large, files.small, files.tiny]) await suite.expectStored(file, customer.keyOf(file.name));
    expect((await headObject(suite.s3, suite.portal.bucket, customer.keyOf(files.large.name))).ETag).toMatch(/-13"$/);
    expect(await incompleteUploads(suite.s3, suite.portal.bucket, customer.prefix)).toEqual([]);
  });

  it('shows the files to the admin in the file browser with the checksums S3 keeps, and downloads them under their original names', async () => {
    const { customer, files } = await suite.uploadedFiles();
    const page = await suite.pageForTest((await suite.adminSession()).context);
    await page.goto(`${suite.portal.url}/admin/endpoints/${customer.endpoint}/files`);
    await page.getByRole('heading', { name: `Files of ${customer.endpoint}` }).waitFor();
    for (const file of [files.large, files.small, files.tiny]) await page.getByRole('cell', { name: file.name, exact: true }).waitFor();
    expect(await page.getByRole('cell', { name: customer.email }).count()).toBe(3);

    // Each row's checksum is the one S3 keeps for the object (HeadObject, checksum mode), shown as
    // `CRC64NVME <base64>` with its type in the tooltip: the 200 MiB multipart one a full-object CRC too.
    for (const file of [files.large, files.small, files.tiny]) {
      const stored = await storedChecksum(suite.s3, suite.portal.bucket, customer.keyOf(file.name));
      expect(stored, file.name).toEqual({ crc64nvme: expect.stringMatching(/^[A-Za-z0-9+/]{11}=$/), type: 'FULL_OBJECT' });
      const cell = page.getByRole('row').filter({ has: page.getByRole('cell', { name: file.name, exact: true }) }).locator('td[data-label="Checksum"]');
      expect(await cell.textContent(), file.name).toBe(`CRC64NVME ${stored.crc64nvme}`);
      expect(await cell.locator('span').getAttribute('title'), file.name).toBe(`CRC64NVME FULL_OBJECT ${stored.crc64nvme}`);
    }

    // The non-ASCII name exercises the RFC 5987 `filename*` of the presigned GET's Content-Disposition.
    for (const file of [files.small, files.tiny]) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: `Download ${file.name}` }).click()]);
      expect(download.suggestedFilename()).toBe(file.name);
      const saved = join(suite.workDir, `downloaded-${file.size}`);
      await download.saveAs(saved);
      expect(await fileSha256(saved), file.name).toBe(file.sha256);
    }
  });

  it("lists a customer's upload in the admin's file browser from the catalog: original name and uploader, sorted and searched", async () => {
    const { page: customerPage, email, endpoint } = await suite.customerPageForTest();
    // The colon is refused in keys (Windows cannot save it), so the key differs from the original name shown.
    const alpha = await suite.alias('small', 'catalog alpha: report.pdf');
    const zeta = await suite.alias('tiny', 'catalog-zeta.txt');
    await sendFiles(customerPage, [alpha.path, zeta.path]);

    const page = await suite.pageForTest((await suite.adminSession()).context);
    await page.goto(`${suite.portal.url}/admin/endpoints/${endpoint}/files`);
    await page.getByRole('heading', { name: `Files of ${endpoint}` }).waitFor();
    const row = (file: TestFile) => page.getByRole('row').filter({ has: page.getByRole('cell', { name: file.name, exact: true }) });
    // The catalog follows S3's events: refresh until both are listed.
    await eventually(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return (await row(alpha).count()) + (await row(zeta).count());
    }).toBe(2);
    for (const file of [alpha, zeta]) await expect(row(file).getByRole('cell', { name: email, exact: true }).count()).resolves.toBe(1);

    // Sorted by the catalog: largest first, then smallest first.
    const positions = async (): Promise<[number, number]> => {
      const names = await page.locator('tbody td.name:first-child').allTextContents();
      return [names.findIndex((n) => n.startsWith(alpha.name)), names.findIndex((n) => n.startsWith(zeta.name))];
    };
    await page.getByRole('button', { name: /^Size/ }).click();
    await page.getByRole('columnheader', { name: /Size/ }).and(page.locator('[aria-sort="descending"]')).waitFor();
    await eventually(async () => {
      const [a, z] = await positions();
      return a >= 0 && z >= 0 && a < z;
    }).toBe(true);
    await page.getByRole('button', { name: /^Size/ }).click();
    await page.getByRole('columnheader', { name: /Size/ }).and(page.locator('[aria-sort="ascending"]')).waitFor();
    await eventually(async () => {
      const [a, z] = await positions();
      return a >= 0 && z >= 0 && z < a;
    }).toBe(true);

    // Searched by name: the start of the name, then any part of it.
    const search = page.getByRole('search', { name: 'Search files' });
    await search.getByLabel('Name').fill('Catalog alpha');
    await search.getByRole('button', { name: 'Search' }).click();
    await eventually(async () => (await row(zeta).count()) === 0 && (await row(alpha).count()) === 1).toBe(true);
    await search.getByLabel('Name').fill('ZETA');
    await search.getByLabel('Match').selectOption('contains');
    await search.getByRole('button', { name: 'Search' }).click();
    await eventually(async () => (await row(alpha).count()) === 0 && (await row(zeta).count()) === 1).toBe(true);
    await page.getByRole('status').filter({ hasText: /Searched \d[\d,]* names in \d/ }).waitFor();
  });

  it('pauses and resumes a multipart upload without sending stored parts again', async () => {
    const { page, keyOf } = await suite.customerPageForTest();
    const file = await suite.alias('medium', 'pause-resume.bin');
    // Parts 1-2 go through; the rest wait at the gate, so the pause lands mid-upload on any machine.
    const { parts, gate, upload, signedAlong } = await startUploadHoldingParts(page, suite.portal.s3Url, [3, 4, 5, 6, 7, 8], file.path);
    // The create signed at least the parts sent at once (6), and every part hashed by then.
    expect(signedAlong).toEqual(Array.from({ length: signedAlong.length }, (_, i) => i + 1));
    expect(signedAlong.length).toBeGreaterThanOrEqual(6);
    await eventually(() => parts.stored(upload.uploadId)).toEqual([1, 2]);
    await eventually(() => gate.heldCount).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByRole('button', { name: 'Resume', exact: true }).waitFor();
    await gate.uninstall(); // the held parts were aborted by the pause: they fail, nothing is sent
    const sentWhilePaused = parts.puts.length;
    await page.waitForTimeout(1_000);
    expect(parts.puts.length).toBe(sentWhilePaused);
    expect(await incompleteUploads(suite.s3, suite.portal.bucket, upload.key)).toEqual([upload]);

    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await uploadsDone(page, '1 of 1 file');
    expect(parts.stored(upload.uploadId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // Parts 1 and 2 were sent once, before the pause; only the parts S3 did not hold went again.
    for (const n of [1, 2]) expect(parts.puts.filter((p) => p.partNumber === n), `part ${n}`).toHaveLength(1);
    expect(upload.key).toBe(keyOf(file.name));
    await suite.expectStored(file, keyOf(file.name));
  });

  it('resumes after a page reload without sending the parts S3 already holds', async () => {
    const { page } = await suite.customerPageForTest();
    const file = await suite.alias('medium', 'reload-resume.bin');
    const creates: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/s3/multipart' && creates.push(r.url()));
    const { parts, gate, upload } = await startUploadToReload(page, suite.portal.s3Url, file.path);

    const sentBeforeReload = parts.puts.length;
    const createsBeforeReload = creates.length;
    const listed = apiResponse(page, 'GET', /^\/api\/s3\/multipart\/[^/]+$/);
    await page.reload();
    await gate.uninstall(); // the held requests died with the old document
    await page.getByRole('heading', { name: /Send files to/ }).waitFor();
    // Golden Retriever brought the upload back, but a browser cannot keep a 120 MiB file across a
    // reload: the person selects it again (as the page says), then resumes.
    await page.getByText('We could not fully recover 1 file').waitFor();
    await chooseAgainAndResume(page, file.path);
    const listing = await listed;
    const listedParts = ((await listing.json()) as { PartNumber: number }[]).map((p) => p.PartNumber);
    expect(new URL(listing.url()).searchParams.get('key')).toBe(upload.key);
    expect(listedParts).toEqual([1, 2, 3]);
    await uploadsDone(page, '1 of 1 file');

    const afterReload = parts.puts.slice(sentBeforeReload);
    expect(afterReload.every((p) => p.uploadId === upload.uploadId)).toBe(true);
    expect([...new Set(afterReload.map((p) => p.partNumber))].sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8]);
    expect(creates.length).toBe(createsBeforeReload); // the same multipart upload, not a new one
    await suite.expectStored(file, upload.key);
  });

  it('keeps the parts when completing fails: a 503 is retried, and after a refusal the retry sends no part again', async () => {
    const { page, prefix } = await suite.customerPageForTest();
    const file = await suite.alias('medium', 'complete-fails.bin');
    const parts = new PartPutRecorder(page, suite.portal.s3Url);
    const calls = recordMultipartCalls(page, suite.portal.url);
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
    const { upload } = await startUpload(page, file.path);
    const retry = page.locator('.uppy-StatusBar').getByRole('button', { name: 'Retry upload' });
    await retry.waitFor({ timeout: 120_000 });
    const allParts = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(completes).toEqual([503, 409]);
    expect(parts.stored(upload.uploadId)).toEqual(allParts);
    expect(await incompleteUploads(suite.s3, suite.portal.bucket, upload.key)).toEqual([upload]); // nothing deleted

    const sentBeforeRetry = parts.puts.length;
    const listed = apiResponse(page, 'GET', /^\/api\/s3\/multipart\/[^/]+$/);
    await retry.click();
    expect(((await (await listed).json()) as { PartNumber: number }[]).map((p) => p.PartNumber)).toEqual(allParts);
    await uploadsDone(page, '1 of 1 file');
    await page.unroute(completeRoute);
    expect(completes).toEqual([503, 409, 200]);
    expect(parts.puts.length).toBe(sentBeforeRetry); // S3 held every part: none went again
    expect(calls.filter((c) => c.startsWith('DELETE '))).toEqual([]);
    expect(calls.filter((c) => c === 'POST /api/s3/multipart')).toHaveLength(1); // the same upload, not a new one
    await suite.expectStored(file, upload.key);
    expect(await incompleteUploads(suite.s3, suite.portal.bucket, prefix)).toEqual([]);
  });

  it('ends as stored, not failed, when S3 completed the file but the answer was lost (a 502 on the way back)', async () => {
    const { page, prefix } = await suite.customerPageForTest();
    const file = await suite.alias('medium', 'complete-answer-lost.bin');
    const calls = recordMultipartCalls(page, suite.portal.url);
    const completes: number[] = [];
    const completeRoute = '**/api/s3/multipart/*/complete*';
    await page.route(completeRoute, async (route) => {
      // The first completion reaches the API and S3 stores the file; the ALB's 502 replaces its answer.
      const answer = await route.fetch();
      const lost = completes.length === 0;
      completes.push(lost ? 502 : answer.status());
      await (lost ? route.fulfill({ status: 502, contentType: 'text/html', body: '<html><body>502 Bad Gateway</body></html>' }) : route.fulfill({ response: answer }));
    });
    const { upload } = await startUpload(page, file.path);
    await uploadsDone(page, '1 of 1 file');
    await page.unroute(completeRoute);
    expect(completes).toEqual([502, 200]);
    expect(calls.filter((c) => c === 'POST /api/s3/multipart')).toHaveLength(1); // not sent again as a new file
    await suite.expectStored(file, upload.key);
    expect((await listKeys(suite.s3, suite.portal.bucket, prefix)).filter((k) => k.includes('complete-answer-lost'))).toEqual([upload.key]);
    expect(await incompleteUploads(suite.s3, suite.portal.bucket, prefix)).toEqual([]);
  });

  it('cancels a multipart upload and leaves no incomplete upload behind', async () => {
    const { page, prefix } = await suite.customerPageForTest();
    const file = await suite.alias('medium', 'cancelled.bin');
    const { parts, gate, upload } = await startUploadHoldingParts(page, suite.portal.s3Url, [2, 3, 4, 5, 6, 7, 8], file.path);
    await eventually(() => parts.stored(upload.uploadId)).toEqual([1]);
    expect(await incompleteUploads(suite.s3, suite.portal.bucket, prefix)).toEqual([upload]);

    const aborted = apiResponse(page, 'DELETE', /^\/api\/s3\/multipart\//);
    await page.locator('.uppy-StatusBar').getByRole('button', { name: 'Cancel' }).click();
    expect((await aborted).status()).toBe(200);
    await gate.uninstall();
    expect(await incompleteUploads(suite.s3, suite.portal.bucket, prefix)).toEqual([]);
    expect(await listKeys(suite.s3, suite.portal.bucket, upload.key)).toEqual([]);
  });

  it('sends a customer who opens /admin to the admin IdP, and the admin API refuses its session', async () => {
    const { page, context, email } = await suite.customerPageForTest();
    await page.goto(`${suite.portal.url}/admin`);
    expect(page.url().startsWith(suite.portal.idps.admin.issuer)).toBe(true);
    // The customer's credentials mean nothing there.
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(CUSTOMER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(page.url().startsWith(suite.portal.idps.admin.issuer)).toBe(true);

    const api = await context.request.get(`${suite.portal.url}/admin/api/endpoints`, { maxRedirects: 0 });
    expect([401, 403]).toContain(api.status());
    // Also from the customer's own page, with its session cookie.
    await openCustomerPage(page, suite.portal.url);
    const fromPage = await page.evaluate(async () => {
      const response = await fetch('/admin/api/endpoints', { headers: { 'x-requested-with': 'portal' } });
      const create = await fetch('/admin/api/endpoints', { method: 'POST', headers: { 'content-type': 'application/json', 'x-requested-with': 'portal' }, body: JSON.stringify({ name: 'stolen', customerEmail: 'x@example.com' }) });
      return [response.status, create.status];
    });
    for (const status of fromPage) expect([401, 403]).toContain(status);
    expect(await listKeys(suite.s3, suite.portal.bucket, '_portal/endpoints/stolen')).toEqual([]);
  });
});
