// The browser suite's shared world: ONE local portal and ONE headless Chromium per file run, the
// test files (generated on first use in a temp folder, deleted at the end), and the fixtures the
// tests build on. A fixture that several tests need is memoised (`once`): whichever test asks first
// does the step, the others reuse it, so every test passes alone and in any order. A test that is
// ABOUT a step (signing in, creating an endpoint, uploading) does it itself, through the pages.
import { link, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { onTestFinished } from 'vitest';
import type { CreateEndpointRequest, CreateEndpointResult, LoginCredentials } from '../../contract/api/admin.js';
import { launchChromium, PartPutRecorder, writeTestFile } from '../support/browser.js';
import { startTestPortal, type TestPortal } from '../support/local-portal.js';
import { once, oncePerKey } from '../support/once.js';
import { bucketClient, MiB } from '../support/portal-api.js';
import { addFiles, firstSignIn, recordMultipartCalls, signInToConsole, uploadsDone, uppyInput } from './page-steps.js';

/** The password every customer of this suite chooses at first sign-in; satisfies the pool's policy. */
export const CUSTOMER_PASSWORD = 'E2e-Customer-Pw-77!';
export const customerEmailOf = (endpoint: string): string => `uploads@${endpoint}.example`;
/** The endpoint whose customer uploads the three files (`uploadedFiles`); no other test writes there. */
export const UPLOADS_ENDPOINT = 'e2e-acme';

export interface Session {
  context: BrowserContext;
  page: Page;
}

export interface Customer extends Session {
  endpoint: string;
  email: string;
  /** The endpoint's folder in the bucket, `uploads/<endpoint>/`. */
  prefix: string;
  /** The key a file of this name is stored under. */
  keyOf(name: string): string;
}

export interface TestFile {
  path: string;
  name: string;
  size: number;
  sha256: string;
}

const TEST_FILES = {
  large: { name: 'large-200MiB.bin', size: 200 * MiB + 12_345 },
  medium: { name: 'medium-120MiB.bin', size: 120 * MiB + 777 },
  small: { name: 'small report.pdf', size: 3 * MiB + 5 },
  tiny: { name: 'tiny-ünïcode.txt', size: 2_000 },
} as const;
export type TestFileId = keyof typeof TEST_FILES;

/** The three files uploaded through the widget at once, and everything the page sent for them. */
export interface UploadedFiles {
  customer: Omit<Customer, 'context' | 'page'>;
  files: Record<'large' | 'small' | 'tiny', TestFile>;
  /** The part PUTs the page sent to S3. */
  parts: PartPutRecorder;
  /** The presigned POSTs the page sent to S3 (small files), by URL. */
  posts: string[];
  /** The multipart API calls the page sent (see `recordMultipartCalls`). */
  multipartCalls: string[];
}

export class E2eSuite {
  private constructor(
    readonly portal: TestPortal,
    readonly browser: Browser,
    readonly s3: S3Client,
    readonly workDir: string,
  ) {}

  static async start(): Promise<E2eSuite> {
    const browser = await launchChromium(); // first: without Chromium, fail at once with how to install it
    try {
      // Builds dist/web only when it is missing (startLocalPortal's own check).
      const portal = await startTestPortal({ buildWeb: true });
      return new E2eSuite(portal, browser, bucketClient(portal), await mkdtemp(join(tmpdir(), 'portal-e2e-')));
    } catch (error) {
      await browser.close();
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.browser.close();
    this.s3.destroy();
    await this.portal.stop();
    await rm(this.workDir, { recursive: true, force: true });
  }

  /** A test file on disk (random-ish bytes, see `writeTestFile`), generated once, on first use. */
  readonly testFile = oncePerKey(async (id: TestFileId): Promise<TestFile> => {
    const { name, size } = TEST_FILES[id];
    const path = join(this.workDir, name);
    return { path, name, size, sha256: await writeTestFile(path, size) };
  });

  /** A test file's bytes under another name (a hard link: instant, no extra disk). */
  async alias(id: TestFileId, name: string): Promise<TestFile> {
    const file = await this.testFile(id);
    const path = join(this.workDir, name);
    await link(file.path, path);
    return { ...file, path, name };
  }

  /** A fresh browser context (its own cookies and storage: an empty widget) with one page, closed when the current test finishes. */
  async sessionForTest(): Promise<Session> {
    const session = await this.newSession();
    onTestFinished(() => session.context.close());
    return session;
  }

  /** A new tab in `context`, closed when the current test finishes. */
  async pageForTest(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    onTestFinished(() => page.close());
    return page;
  }

  /** Fixture: a context where the admin signed in at the console through the admin IdP's page. */
  readonly adminSession = once(async (): Promise<Session> => {
    const session = await this.newSession();
    await signInToConsole(session.page, this.portal);
    return session;
  });

  /** A new endpoint (unique `name`) and its first login, created through the admin API from the admin's signed-in context. */
  async createEndpoint(name: string): Promise<LoginCredentials> {
    const { context } = await this.adminSession();
    const request: CreateEndpointRequest = { name, customerEmail: customerEmailOf(name) };
    // The console's fetch sends this same-origin proof with every state-changing call.
    const response = await context.request.post(`${this.portal.url}/admin/api/endpoints`, { data: request, headers: { 'x-requested-with': 'portal' } });
    if (response.status() !== 201) throw new Error(`create endpoint ${name}: ${response.status()} ${await response.text()}`);
    return ((await response.json()) as CreateEndpointResult).login;
  }

  /**
   * The customer of a new endpoint (unique `endpoint`), signed in for the first time through the
   * page (temporary password, then CUSTOMER_PASSWORD), on the customer page with an empty widget;
   * its context is closed when the current test finishes.
   */
  async customerForTest(endpoint: string): Promise<Customer> {
    const customer = await this.newCustomer(endpoint);
    onTestFinished(() => customer.context.close());
    return customer;
  }

  /**
   * Fixture: the three files (large, small, tiny) uploaded at once through the widget by the customer
   * of UPLOADS_ENDPOINT, until the page says 3 of 3 and lists them; with what the page sent.
   */
  readonly uploadedFiles = once(async (): Promise<UploadedFiles> => {
    const [large, small, tiny] = await Promise.all([this.testFile('large'), this.testFile('small'), this.testFile('tiny')]);
    const { context, page, ...customer } = await this.newCustomer(UPLOADS_ENDPOINT);
    const parts = new PartPutRecorder(page, this.portal.s3Url);
    const posts: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && r.url().startsWith(this.portal.s3Url) && posts.push(r.url()));
    const multipartCalls = recordMultipartCalls(page, this.portal.url);
    await addFiles(page, [large.path, small.path, tiny.path]);
    await page.getByRole('button', { name: 'Upload 3 files' }).click();
    await uploadsDone(page, '3 of 3 files', 180_000);
    // The page lists what arrived.
    await page.locator('section', { has: page.getByRole('heading', { name: 'Received files' }) }).getByRole('cell', { name: large.name }).waitFor();
    await context.close(); // the record is complete: nothing more is sent
    return { customer, files: { large, small, tiny }, parts, posts, multipartCalls };
  });

  private async newSession(): Promise<Session> {
    const context = await this.browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    return { context, page };
  }

  private async newCustomer(endpoint: string): Promise<Customer> {
    const login = await this.createEndpoint(endpoint);
    const session = await this.newSession();
    await firstSignIn(session.page, this.portal, login, CUSTOMER_PASSWORD);
    await uppyInput(session.page).waitFor({ state: 'attached' });
    const prefix = `uploads/${endpoint}/`;
    return { ...session, endpoint, email: login.email, prefix, keyOf: (name) => `${prefix}${name}` };
  }
}
