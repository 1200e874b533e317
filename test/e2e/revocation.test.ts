// Revocation in the browser: a customer is signed in; an admin resets the login's password in the
// console; within 60 s the customer's page (whose ALB session cookie still works) is refused by the
// uploads API with 401 session_revoked, says so and offers to sign out; signing in again with the new
// temporary password works. What carries the proof is the customer IdP's Cognito-shaped access token
// (auth_time), which the gateway forwards as the ALB does.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiResponse, firstSignIn } from './page-steps.js';
import { CUSTOMER_PASSWORD, E2eSuite } from './suite.js';

/** The bound the requirement sets; the uploads Lambda's endpoint-record cache (30 s) keeps within it. */
const REVOCATION_BOUND_MS = 60_000;

const suite = E2eSuite.forThisFile();

/** Reloads the page and returns what its /api/me call got. */
async function reloadMe(page: Page): Promise<{ status: number; code?: string }> {
  const me = apiResponse(page, 'GET', /^\/api\/me$/);
  await page.reload();
  const response = await me;
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
  return { status: response.status(), code: body.error?.code };
}

describe('a password reset ends the old session', () => {
  it("refuses the customer's old session within 60 s of the reset, tells them to sign out, and lets the new password in", async () => {
    const endpoint = 'e2e-revoke';
    const login = await suite.createEndpoint(endpoint);
    const { page } = await suite.sessionForTest();
    await firstSignIn(page, suite.portal, login, CUSTOMER_PASSWORD);
    expect(await reloadMe(page)).toEqual({ status: 200, code: undefined });

    // The admin resets the password in the console.
    const adminPage = await suite.pageForTest((await suite.adminSession()).context);
    await adminPage.goto(`${suite.portal.url}/admin/endpoints/${endpoint}`);
    await adminPage.getByRole('button', { name: `Reset password of ${login.email}` }).click();
    const credentials = adminPage.locator('section.credentials', { has: adminPage.getByRole('heading', { name: `New temporary password for ${login.email}` }) });
    const temporaryPassword = (await credentials.locator('.credentials-list > div', { has: adminPage.locator('dt', { hasText: 'Temporary password' }) }).locator('code').textContent()) ?? '';
    const resetAt = Date.now();
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(16);

    // The old session: the page keeps loading (its ALB cookie is valid) until the API refuses it.
    let refused = await reloadMe(page);
    while (refused.status === 200 && Date.now() - resetAt < REVOCATION_BOUND_MS) {
      await page.waitForTimeout(2_000);
      refused = await reloadMe(page);
    }
    expect(refused).toEqual({ status: 401, code: 'session_revoked' });
    expect(Date.now() - resetAt).toBeLessThan(REVOCATION_BOUND_MS);

    // The page says why and offers the way out: signing out (a "sign in again" would land on the same session).
    const banner = page.getByRole('alert').filter({ has: page.getByRole('link', { name: 'Sign out' }) });
    await expect.poll(() => banner.textContent()).toMatch(/password was reset/);
    await banner.getByRole('link', { name: 'Sign out' }).click();
    await page.waitForURL(`${suite.portal.url}/signed-out`);

    // Signing in again asks for the password (the IdP session ended too) and takes the new temporary one.
    await firstSignIn(page, suite.portal, { email: login.email, temporaryPassword }, 'E2e-After-Reset-Pw-88!');
    expect(await reloadMe(page)).toEqual({ status: 200, code: undefined });
  });
});
