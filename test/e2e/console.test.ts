// One endpoint's life in the admin console, as an admin goes through it: quotas set in Settings and
// shown to the customer with what is left, a second login added and removed, the catalog reconciled,
// the audit trail read and exported, the endpoint disabled (its customer refused) and deleted.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { card, eventually, firstSignIn, sendFiles } from './page-steps.js';
import { CUSTOMER_PASSWORD, E2eSuite } from './suite.js';

const ENDPOINT = 'e2e-console-life';
const SECOND_LOGIN = `second@${ENDPOINT}.example`;
const suite = E2eSuite.forThisFile();

/** The customer page's "Space left", read after a reload (the page reads its limits once, on load). */
async function spaceLeft(page: Page): Promise<string> {
  await page.reload();
  return (await page.locator('.limits div', { has: page.locator('dt', { hasText: 'Space left' }) }).locator('dd').textContent()) ?? '';
}

describe('the admin console over one endpoint', () => {
  it('sets quotas the customer sees, adds and removes a login, reconciles, exports the audit trail, disables and deletes the endpoint', async () => {
    const { portal } = suite;
    const login = await suite.createEndpoint(ENDPOINT);
    const { page: admin } = await suite.adminSession();
    const endpointPage = `${portal.url}/admin/endpoints/${ENDPOINT}`;
    await admin.goto(endpointPage);

    // Quotas, saved in Settings.
    const settings = card(admin, 'Settings');
    await settings.getByLabel('Quota (all files together)').fill('10 MB');
    await settings.getByLabel('Quota (number of files)').fill('3');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await settings.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();

    // The customer sees them with what is left, and one upload later, less.
    const { page } = await suite.sessionForTest();
    await firstSignIn(page, portal, login, CUSTOMER_PASSWORD);
    expect(await spaceLeft(page)).toBe('10 MB of 10 MB, 3 of 3 files left');
    const file = await suite.testFile('tiny');
    await sendFiles(page, [file.path]);
    await portal.events.idle();
    await expect.poll(() => spaceLeft(page), { timeout: 60_000, interval: 1000 }).toMatch(/ of 10 MB, 2 of 3 files left$/);

    // A second login: its sign-in details shown once, then removed after confirming.
    await admin.reload();
    const logins = card(admin, 'Logins');
    await logins.getByLabel('Login e-mail').fill(SECOND_LOGIN);
    await logins.getByRole('button', { name: 'Add login' }).click();
    await admin.getByRole('heading', { name: `Sign-in details for ${SECOND_LOGIN}` }).waitFor();
    await logins.getByRole('button', { name: `Remove login ${SECOND_LOGIN}` }).click();
    await logins.getByRole('button', { name: `Remove ${SECOND_LOGIN}` }).click();
    await eventually(() => logins.getByRole('button', { name: `Remove login ${SECOND_LOGIN}` }).count()).toBe(0);
    expect(await logins.getByRole('button', { name: `Remove login ${login.email}` }).count()).toBe(1);

    // The catalog reconciled with the bucket: the one file, nothing to repair.
    const catalog = card(admin, 'File catalog');
    await catalog.getByRole('button', { name: 'Reconcile with the bucket' }).click();
    await catalog.getByRole('status').filter({ hasText: /^Done: 1 files checked, 0 added, 0 repaired, 0 removed; 1 files, / }).waitFor();

    // The audit trail of the endpoint lists each of these actions, and exports them as CSV.
    await admin.goto(`${portal.url}/admin/audit?endpoint=${ENDPOINT}`);
    await admin.getByRole('heading', { name: `Audit log of ${ENDPOINT}` }).waitFor();
    const actions = admin.locator('td[data-label="Action"]');
    for (const action of ['Endpoint created', 'Endpoint changed', 'Login added', 'Login removed', 'Catalog reconciled']) {
      await eventually(async () => (await actions.allTextContents()).includes(action)).toBe(true);
    }
    const download = admin.waitForEvent('download');
    await admin.getByRole('button', { name: 'Export CSV' }).click();
    const csv = await readFile(await (await download).path(), 'utf8');
    const [header, ...rows] = csv.trim().split(/\r?\n/);
    expect(header).toContain('action');
    for (const action of ['endpoint.created', 'endpoint.updated', 'login.added', 'login.removed', 'catalog.reconciled']) {
      expect(rows.some((row) => row.includes(action)), action).toBe(true);
    }
    expect(rows.every((row) => row.includes(ENDPOINT))).toBe(true);

    // Disabled: the customer's page refuses within the endpoint record's cache time.
    await admin.goto(endpointPage);
    await card(admin, 'Settings').getByRole('button', { name: 'Disable endpoint' }).click();
    await card(admin, 'Settings').getByRole('status').filter({ hasText: 'Endpoint disabled: its logins can no longer upload.' }).waitFor();
    await expect
      .poll(
        async () => {
          await page.reload();
          return (await page.getByRole('alert').allTextContents()).join(' ');
        },
        { timeout: 60_000, interval: 2000 },
      )
      .toContain('This upload endpoint has been disabled.');

    // Deleted after typing its name; its files are kept.
    const danger = card(admin, 'Delete endpoint');
    await danger.getByLabel(`Type ${ENDPOINT} to confirm`).fill(ENDPOINT);
    await danger.getByRole('button', { name: 'Delete endpoint' }).click();
    await admin.getByText(`Endpoint ${ENDPOINT} deleted. Its files were kept.`).waitFor();
    await admin.getByRole('heading', { name: 'Endpoints' }).waitFor();
    expect(await admin.getByRole('link', { name: ENDPOINT, exact: true }).count()).toBe(0);
  });
});
