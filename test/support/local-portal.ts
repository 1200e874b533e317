// Test helpers around `startLocalPortal`: a portal on ephemeral ports in a throw-away data folder,
// and a browser-like HTTP client (cookie jar, manual redirects, form posts) that signs in at the
// local IdPs' pages exactly as a person would, without a browser.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ALBEvent } from 'aws-lambda';
import { S3_MIN_PART_BYTES } from '../../contract/limits.js';
import { startLocalPortal, type LocalPortal, type LocalPortalOptions } from '../../local/portal.js';

export type { LocalPortal, LocalPortalOptions } from '../../local/portal.js';

export interface TestPortal extends LocalPortal {
  /** Stops the portal and deletes its data folder (unless the test passed its own dataDir). */
  stop(): Promise<void>;
}

/**
 * For tests that send multipart files of a few MiB: the portal cuts them in S3's smallest parts, as
 * the page would with this setting (the deployment's default part size is larger).
 */
export const SMALL_PARTS: Partial<LocalPortalOptions> = { partSizeBytes: S3_MIN_PART_BYTES };

/**
 * One portal per test file: the Lambda handlers run in process and read process.env once. Ports are
 * ephemeral, pages are not built (run `npm run build:web` first if a test needs them), and the
 * handlers log errors only.
 */
export async function startTestPortal(options: Partial<LocalPortalOptions> = {}): Promise<TestPortal> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'local-portal-')));
  // Scans answer at once (tests that watch a file before its scan set a delay of their own).
  const portal = await startLocalPortal({ port: 0, buildWeb: false, logLevel: 'ERROR', scanDelayMs: 0, ...options, dataDir });
  return {
    ...portal,
    async stop() {
      await portal.close();
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The ports a running portal listens on, as options: a restart on the same data folder must use the
 * same ones, since the handlers read process.env (which names them) only once per test file.
 */
export function portsOf(portal: LocalPortal): Partial<LocalPortalOptions> {
  const portOf = (url: string) => Number(new URL(url).port);
  return {
    port: portOf(portal.url),
    s3Port: portOf(portal.s3Url),
    adminIdpPort: portOf(portal.idps.admin.issuer),
    customerIdpPort: portOf(portal.idps.customer.issuer),
    cognitoPort: portOf(portal.cognito.endpoint!), // cognito-local: these tests run no external Cognito
    keysPort: portOf(portal.keysUrl),
    catalogPort: portOf(portal.catalog.endpoint),
    sesPort: portOf(portal.notifications.sesUrl),
    queuePort: portOf(portal.notifications.queues.baseUrl),
  };
}

interface StoredCookie {
  value: string;
  path: string;
}

export interface Page {
  status: number;
  url: string;
  headers: Headers;
  body: string;
}

/**
 * Cookies are kept per host name, ignoring the port, as browsers do: the portal and both IdPs share
 * `localhost`, which is why their cookie names must not collide.
 */
export class BrowserClient {
  private readonly jar = new Map<string, Map<string, StoredCookie>>();

  cookies(host = 'localhost'): Map<string, string> {
    return new Map([...(this.jar.get(host) ?? new Map<string, StoredCookie>())].map(([name, c]) => [name, c.value]));
  }

  setCookie(host: string, name: string, value: string, path = '/'): void {
    let cookies = this.jar.get(host);
    if (!cookies) this.jar.set(host, (cookies = new Map()));
    cookies.set(name, { value, path });
  }

  /** Forgets a cookie, e.g. the portal session, to see what the IdP does on the next sign-in. */
  deleteCookie(host: string, name: string): void {
    this.jar.get(host)?.delete(name);
  }

  private cookieHeader(url: URL): string | undefined {
    const cookies = [...(this.jar.get(url.hostname) ?? new Map<string, StoredCookie>())].filter(([, c]) => url.pathname.startsWith(c.path));
    return cookies.length ? cookies.map(([name, c]) => `${name}=${c.value}`).join('; ') : undefined;
  }

  private store(url: URL, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      const attr = (key: string) => attrs.find((a) => a.toLowerCase().startsWith(`${key}=`))?.split('=')[1];
      const expired = attr('max-age') === '0' || (attr('expires') !== undefined && Date.parse(attr('expires')!) <= Date.now());
      if (expired) this.jar.get(url.hostname)?.delete(name);
      else this.setCookie(url.hostname, name, value, attr('path') ?? '/');
    }
  }

  /** One request, no redirect following. */
  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(target);
    if (cookie && !headers.has('cookie')) headers.set('cookie', cookie);
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    this.store(target, response);
    return response;
  }

  /** Follows redirects like a browser (a 302/303 after a POST becomes a GET) and reads the last body. */
  async navigate(url: string | URL, init: RequestInit = {}, maxRedirects = 10): Promise<Page> {
    let current = new URL(url);
    let request = init;
    for (let hop = 0; ; hop += 1) {
      const response = await this.fetch(current, request);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        if (hop >= maxRedirects) throw new Error(`Too many redirects at ${current.href}`);
        await response.arrayBuffer();
        current = new URL(location, current);
        request = response.status === 307 || response.status === 308 ? request : { headers: init.headers };
        continue;
      }
      return { status: response.status, url: current.href, headers: response.headers, body: await response.text() };
    }
  }

  /** Submits the (first) form of `page` whose action matches, as a browser would. */
  async submitForm(page: Page, fields: Record<string, string>, actionPattern: RegExp = /./): Promise<Page> {
    const forms = [...page.body.matchAll(/<form[^>]*\baction="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
    const form = forms.find((m) => actionPattern.test(m[1]!));
    if (!form) throw new Error(`No form matching ${actionPattern} at ${page.url} (status ${page.status}):\n${page.body.slice(0, 500)}`);
    const hidden = Object.fromEntries([...form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const action = new URL(form[1]!.replace(/&amp;/g, '&'), page.url);
    return this.navigate(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...hidden, ...fields }).toString(),
    });
  }
}

/** An ALB event's headers, last value of each (what the Lambdas' identity verifier takes). */
export function headersOf(event: ALBEvent): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) if (values?.length) headers[name] = values[values.length - 1]!;
  return headers;
}

/** The error box the IdP pages show (`role="alert"`), as text. */
export function alertText(page: Page): string | undefined {
  const match = /<div class="error" role="alert">([\s\S]*?)<\/div>/.exec(page.body);
  return match?.[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Opens `path` (default the admin console) and signs in at the admin IdP; returns the page it lands on. */
export async function signInAdmin(client: BrowserClient, portal: LocalPortal, path = '/admin', credentials = portal.adminCredentials): Promise<Page> {
  const signInPage = await client.navigate(new URL(path, portal.url));
  if (!signInPage.url.startsWith(portal.idps.admin.issuer)) return signInPage;
  return client.submitForm(signInPage, { email: credentials.email, password: credentials.password }, /\/login$/);
}

/**
 * Opens `path` (default the customer page) and signs in at the customers' hosted UI; with
 * `newPassword`, also answers the first sign-in's New password step.
 */
export async function signInCustomer(client: BrowserClient, portal: LocalPortal, email: string, password: string, newPassword?: string, path = '/'): Promise<Page> {
  const signInPage = await client.navigate(new URL(path, portal.url));
  if (!signInPage.url.startsWith(portal.idps.customer.issuer)) return signInPage;
  const afterPassword = await client.submitForm(signInPage, { email, password }, /\/login$/);
  if (newPassword === undefined || !/\/new-password"/.test(afterPassword.body)) return afterPassword;
  return client.submitForm(afterPassword, { newPassword }, /\/new-password$/);
}
