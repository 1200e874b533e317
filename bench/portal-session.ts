// The portal the browser figures run against: the local portal on ephemeral ports in the bench's
// temp folder, an endpoint created by the dev admin through the admin API, and its customer signed
// in (temporary password, then a new one) at the local hosted UI, as a person would.
import { BrowserClient, signInAdmin, signInCustomer } from '../test/support/local-portal.js';
import { startLocalPortal, type LocalPortal } from '../local/portal.js';
import type { UploadSettings } from '../contract/api/uploads.js';
import { MiB } from '../contract/limits.js';

export const UPLOAD_ENDPOINT = 'bench-upload';
const CUSTOMER_EMAIL = 'bench-customer@example.com';
const CUSTOMER_PASSWORD = 'Bench-Portal-Password-9!';

export interface BenchSession {
  portal: LocalPortal;
  admin: BrowserClient;
  customer: BrowserClient;
  /** What /api/me tells the customer page: concurrency, thresholds, part sizes. */
  uploadSettings: UploadSettings;
}

export interface BenchPortalOptions {
  dataDir: string;
  /** Smaller multipart threshold and part size (MiB), for smoke runs on tiny files (the local portal's `partSizeBytes`). */
  partMiB?: number;
}

async function expectStatus(response: Response, status: number, what: string): Promise<unknown> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status}: ${text.slice(0, 500)}`);
  return text ? (JSON.parse(text) as unknown) : null;
}

export async function startBenchPortal(options: BenchPortalOptions): Promise<LocalPortal> {
  return startLocalPortal({ dataDir: options.dataDir, port: 0, logLevel: 'ERROR', ...(options.partMiB === undefined ? {} : { partSizeBytes: options.partMiB * MiB }) });
}

export async function openBenchSession(portal: LocalPortal): Promise<BenchSession> {
  const admin = new BrowserClient();
  await signInAdmin(admin, portal);
  const created = (await expectStatus(
    await admin.fetch(`${portal.url}/admin/api/endpoints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: new URL(portal.url).origin },
      body: JSON.stringify({ name: UPLOAD_ENDPOINT, customerEmail: CUSTOMER_EMAIL }),
    }),
    201,
    'creating the bench endpoint',
  )) as { login: { temporaryPassword: string } };

  const customer = new BrowserClient();
  await signInCustomer(customer, portal, CUSTOMER_EMAIL, created.login.temporaryPassword, CUSTOMER_PASSWORD, '/');
  const me = (await expectStatus(await customer.fetch(`${portal.url}/api/me`), 200, 'the customer session (/api/me)')) as {
    upload: UploadSettings;
    endpoint: { name: string } | null;
  };
  if (me.endpoint?.name !== UPLOAD_ENDPOINT) throw new Error(`/api/me names endpoint ${me.endpoint?.name}, expected ${UPLOAD_ENDPOINT}`);
  return { portal, admin, customer, uploadSettings: me.upload };
}

/** The customer's cookies for the portal's host, as Playwright takes them. */
export function browserCookies(session: BenchSession): { name: string; value: string; url: string }[] {
  const host = new URL(session.portal.url).hostname;
  return [...session.customer.cookies(host)].map(([name, value]) => ({ name, value, url: session.portal.url }));
}
