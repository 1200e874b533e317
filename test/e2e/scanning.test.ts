// Malware scanning in the browser, through the local portal with the scanner stand-in and the local
// S3 server enforcing the `block` bucket policy: a file with the EICAR test signature is marked
// infected in the admin console, offered no download, and refused by S3 also through a presigned GET
// signed by hand with the admin Lambda's credentials; a clean file becomes downloadable after its scan
// and not before (the scanner's delay holds the verdict back). The customer sees "being checked",
// then "received" (or "refused: malware found"). The endpoint's admin recipients, set in the console,
// get the "malware found" alert e-mail (in the local SES stand-in's mailbox).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readMailbox } from '../../local/notify/ses-server.js';
import { EICAR_SIGNATURE } from '../../local/scanner/eicar.js';
import { presignedGet } from '../support/portal-api.js';
import { card, eventually, sendFiles, setAdminRecipients } from './page-steps.js';
import { E2eSuite } from './suite.js';

const suite = E2eSuite.forThisFile();

/** A presigned GET signed with the Lambdas' own credentials (locally the admin Lambda's): S3's status. */
const presignedStatus = async (key: string): Promise<number> => (await presignedGet(suite.s3, suite.portal.bucket, key)).status;

async function fileRowIn(page: Page, endpoint: string, name: string) {
  await page.goto(`${suite.portal.url}/admin/endpoints/${endpoint}/files`);
  await page.getByRole('heading', { name: `Files of ${endpoint}` }).waitFor();
  return page.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
}

/** The scan state the console shows for a file, after a refresh of the listing. */
async function consoleScanState(page: Page, name: string): Promise<string | null> {
  await page.getByRole('button', { name: 'Refresh' }).click();
  const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
  if ((await row.count()) === 0) return null;
  return row.locator('[data-scan-state]').getAttribute('data-scan-state');
}

async function customerStatus(page: Page, name: string): Promise<string | null> {
  await page.reload();
  const row = card(page, 'Received files').getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
  await row.first().waitFor({ timeout: 10_000 }).catch(() => undefined);
  return (await row.count()) ? row.locator('[data-scan-state]').textContent() : null;
}

describe('malware scanning (block)', () => {
  it('marks a file with the EICAR signature infected, alerts the admins, offers no download, and S3 refuses it even to a presigned GET signed with the admin Lambda\'s credentials', async () => {
    const customer = await suite.customerPageForTest();
    const page = await suite.pageForTest((await suite.adminSession()).context);
    await setAdminRecipients(page, suite.portal, customer.endpoint, ['security@scan.example']);
    const name = 'eicar-test-file.txt';
    const path = join(suite.workDir, name);
    await writeFile(path, Buffer.concat([EICAR_SIGNATURE, Buffer.from('\r\n')]));
    await sendFiles(customer.page, [path]);

    // The alert goes at once (no quiet period), to the recipients the admin set.
    const alerts = async () => (await readMailbox(suite.portal.notifications.sesUrl)).filter((m) => m.subject.includes(`ALERT ${customer.endpoint}: malware found in ${name}`));
    await eventually(async () => (await alerts()).length).toBe(1);
    const [alert] = await alerts();
    expect(alert!.destination.to).toEqual(['security@scan.example']);
    expect(alert!.body.text).toContain('EICAR-Test-File');
    expect(alert!.body.text).toContain(`Key: ${customer.keyOf(name)}`);
    expect(alert!.body.text).toContain(`Uploaded by: ${customer.email}`);
    expect(alert!.body.text).toContain(`${suite.portal.url}/admin/endpoints/${customer.endpoint}/files`);

    await fileRowIn(page, customer.endpoint, name);
    await eventually(() => consoleScanState(page, name)).toBe('infected');
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
    await expect(row.getByRole('link', { name: `Download ${name}` }).count()).resolves.toBe(0);
    await expect(row.getByRole('button', { name: `Copy share link for ${name}` }).count()).resolves.toBe(0);
    await expect(row.locator('[data-blocked-reason]').textContent()).resolves.toMatch(/Malware was found \(EICAR-Test-File \(not a virus\)\)/);

    const key = customer.keyOf(name);
    // The admin API refuses too, with the catalogue's code...
    const api = await page.request.get(`${suite.portal.url}/admin/api/files/download?key=${encodeURIComponent(key)}`, { maxRedirects: 0 });
    expect(api.status()).toBe(409);
    expect((await api.json()).error.code).toBe('file_infected');
    // ...and S3 itself, whoever signs.
    expect(await presignedStatus(key)).toBe(403);

    // The browser's scan-state filter finds it, and only infected files.
    const search = page.getByRole('search', { name: 'Search files' });
    await search.getByLabel('Malware scan').selectOption('infected');
    await search.getByRole('button', { name: 'Search' }).click();
    await eventually(async () => page.locator('tbody [data-scan-state]').evaluateAll((cells) => [...new Set(cells.map((c) => c.getAttribute('data-scan-state')))])).toEqual(['infected']);

    await eventually(() => customerStatus(customer.page, name)).toBe('Refused: malware found');
  });

  it('makes a clean file downloadable after its scan, not before', async () => {
    const scanner = suite.portal.scanner!;
    scanner.delayMs = 6_000;
    try {
      const customer = await suite.customerPageForTest();
      const name = 'clean-after-scan.txt';
      const path = join(suite.workDir, name);
      await writeFile(path, 'nothing to see here\n'.repeat(100));
      await sendFiles(customer.page, [path]);
      const key = customer.keyOf(name);

      // Before the verdict: listed as being checked, no download offered, S3 refuses a presigned GET.
      const page = await suite.pageForTest((await suite.adminSession()).context);
      await fileRowIn(page, customer.endpoint, name);
      await eventually(() => consoleScanState(page, name)).toBe('pending');
      const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
      await expect(row.getByRole('link', { name: `Download ${name}` }).count()).resolves.toBe(0);
      await expect(row.locator('[data-blocked-reason]').textContent()).resolves.toMatch(/Still being checked/);
      expect(await presignedStatus(key)).toBe(403);
      expect(await customerStatus(customer.page, name)).toBe('Received, being checked');

      // After it: clean, downloadable through the console and by a presigned GET.
      await eventually(() => consoleScanState(page, name)).toBe('clean');
      const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: `Download ${name}` }).click()]);
      expect(download.suggestedFilename()).toBe(name);
      expect(await presignedStatus(key)).toBe(200);
      await eventually(() => customerStatus(customer.page, name)).toBe('Received');
    } finally {
      scanner.delayMs = 0;
    }
  });
});
