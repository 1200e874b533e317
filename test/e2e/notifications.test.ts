// Notifications through the pages: the admin sets the endpoint's recipients in the console, the
// customer uploads through the widget, and after the (short, for this run) quiet period one digest
// e-mail naming the file is in the local SES stand-in's mailbox. The admin sets a webhook in the
// console: an invalid URL is refused in words, each signing secret is shown once (after saving, after
// rotating, never after a reload), and the webhook the portal then sends is signed with the secret
// shown last.
import { Webhook } from 'standardwebhooks';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ADMIN_ROUTES, type NotificationSettings } from '../../contract/api/admin.js';
import { routePath } from '../../contract/api/route.js';
import type { WebhookBody } from '../../contract/notifications.js';
import { readMailbox } from '../../local/notify/ses-server.js';
import { signedInAdmin } from '../support/portal-api.js';
import { card, eventually, firstSignIn, sendFiles, setAdminRecipients } from './page-steps.js';
import { CUSTOMER_PASSWORD, E2eSuite } from './suite.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

const QUIET_SECONDS = 3;
const ENDPOINT = 'e2e-notify';
const WEBHOOK_ENDPOINT = 'e2e-webhook';
const suite = E2eSuite.forThisFile({ notificationQuietSeconds: QUIET_SECONDS });

describe('notifications in the browser', () => {
  it('sends one digest e-mail to the recipients the admin set in the console after the customer uploads', async () => {
    const { portal } = suite;
    const login = await suite.createEndpoint(ENDPOINT);

    const { page: adminPage } = await suite.adminSession();
    await setAdminRecipients(adminPage, portal, ENDPOINT, ['ops@notify.example', 'security@notify.example']);
    const section = card(adminPage, 'Notifications');
    await adminPage.reload();
    await expect.poll(() => section.getByLabel(/Admin recipients/).inputValue(), { timeout: 30_000 }).toBe('ops@notify.example\nsecurity@notify.example');

    const { page } = await suite.sessionForTest();
    await firstSignIn(page, portal, login, CUSTOMER_PASSWORD);
    const file = await suite.testFile('tiny');
    await sendFiles(page, [file.path]);

    const digests = async () => (await readMailbox(portal.notifications.sesUrl)).filter((m) => m.subject.includes(ENDPOINT));
    await eventually(async () => (await digests()).length).toBe(1);
    const [mail] = await digests();
    expect(mail!.destination.to).toEqual(['ops@notify.example', 'security@notify.example']);
    expect(mail!.subject).toContain('1 file received');
    expect(mail!.body.text).toContain(file.name);
    expect(mail!.body.text).toContain(login.email);
    // The mailbox page `npm start` prints answers.
    expect((await fetch(`${portal.notifications.sesUrl}/`)).status).toBe(200);
  });

  it('takes a webhook URL in the console, shows each signing secret once, and the webhook arrives signed with the secret shown last', async () => {
    const { portal } = suite;
    const receiver = await startWebhookReceiver();
    onTestFinished(() => receiver.close());
    const login = await suite.createEndpoint(WEBHOOK_ENDPOINT);
    const admin = await signedInAdmin(portal);
    const stored = async () => (await admin.get<NotificationSettings>(routePath(ADMIN_ROUTES.getNotifications, { name: WEBHOOK_ENDPOINT }))).body;

    const { context } = await suite.adminSession();
    // The Copy button writes the clipboard; the test reads it back.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: portal.url });
    const page = await suite.pageForTest(context);
    await page.goto(`${portal.url}/admin/endpoints/${WEBHOOK_ENDPOINT}`);
    const section = card(page, 'Notifications');
    const webhookUrl = section.getByLabel(/Webhook URL/);
    const save = section.getByRole('button', { name: 'Save notifications' });
    const rotate = section.getByRole('button', { name: 'Rotate signing secret' });
    const secretBox = section.getByRole('status', { name: 'Webhook signing secret' });
    const shownSecret = async () => (await secretBox.locator('code').textContent()) ?? '';
    await webhookUrl.waitFor(); // the form appears once the stored settings are in
    expect(await rotate.count()).toBe(0); // no webhook yet: nothing to rotate

    // A private address: the server refuses it, the console says why in words, nothing is stored.
    await webhookUrl.fill('https://10.0.0.5/hook');
    await save.click();
    await section.getByRole('alert').filter({ hasText: 'Enter an https webhook URL on a public address, without a user name or password.' }).waitFor();
    expect(await secretBox.count()).toBe(0);
    expect(await rotate.count()).toBe(0);
    expect((await stored()).webhook).toBeNull();

    // The receiver's URL (loopback http: the local portal allows it): saved, and its secret shown once.
    const hookUrl = `${receiver.url}/portal-hook`;
    await webhookUrl.fill(hookUrl);
    await save.click();
    await section.getByRole('status').filter({ hasText: 'Notification settings saved.' }).waitFor();
    const firstSecret = await shownSecret();
    expect(firstSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect((await stored()).webhook).toEqual({ url: hookUrl, secretCreatedAt: expect.any(String) });
    await section.getByText(/^Signing secret made /).waitFor();

    // Rotating shows a new secret, different from the first.
    await rotate.click();
    await section.getByRole('status').filter({ hasText: 'A new signing secret was made; the old one no longer signs.' }).waitFor();
    const rotatedSecret = await shownSecret();
    expect(rotatedSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(rotatedSecret).not.toBe(firstSecret);
    // What the admin hands to the receiver: the Copy button copies the secret shown.
    await secretBox.getByRole('button', { name: 'Copy the signing secret' }).click();
    await secretBox.getByText('Copy the signing secret: copied').waitFor({ state: 'attached' });
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(rotatedSecret);

    // After a reload the stored webhook is shown, its secret never again.
    await page.reload();
    await expect.poll(() => webhookUrl.inputValue(), { timeout: 30_000 }).toBe(hookUrl);
    await rotate.waitFor();
    expect(await secretBox.count()).toBe(0);
    expect(await page.content()).not.toContain('whsec_');

    // What the console showed is what the portal signs with: the customer's upload arrives at the
    // receiver signed with the rotated secret, which the first one no longer verifies.
    const { page: customerPage } = await suite.sessionForTest();
    await firstSignIn(customerPage, portal, login, CUSTOMER_PASSWORD);
    const file = await suite.testFile('tiny');
    await sendFiles(customerPage, [file.path]);
    await eventually(() => receiver.deliveries.length).toBeGreaterThan(0);
    const [delivery] = receiver.deliveries;
    expect(delivery!.path).toBe('/portal-hook');
    const body = new Webhook(rotatedSecret).verify(delivery!.body, delivery!.headers) as WebhookBody<'files.received'>;
    expect(body).toMatchObject({ type: 'files.received', data: { endpoint: WEBHOOK_ENDPOINT, fileCount: 1, totalBytes: file.size, uploaders: [login.email] } });
    expect(body.data.files.map((f) => f.name)).toEqual([file.name]);
    expect(() => new Webhook(firstSecret).verify(delivery!.body, delivery!.headers)).toThrow();
  });
});
