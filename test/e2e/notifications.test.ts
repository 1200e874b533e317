// Notifications through the pages: the admin sets the endpoint's recipients in the console, the
// customer uploads through the widget, and after the (short, for this run) quiet period one digest
// e-mail naming the file is in the local SES stand-in's mailbox.
import { describe, expect, it } from 'vitest';
import { readMailbox } from '../../local/notify/ses-server.js';
import { card, eventually, firstSignIn, sendFiles, setAdminRecipients } from './page-steps.js';
import { CUSTOMER_PASSWORD, E2eSuite } from './suite.js';

const QUIET_SECONDS = 3;
const ENDPOINT = 'e2e-notify';
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
});
