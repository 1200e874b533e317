// The browser suite's shared world: ONE local portal and ONE headless Chromium per file run, the
// test files (generated on first use in a temp folder, deleted at the end), and the fixtures the
// tests build on. A fixture that several tests need is memoised (`once`): whichever test asks first
// does the step, the others reuse it, so every test passes alone and in any order. A test that is
// ABOUT a step (signing in, creating an endpoint) does it itself, through the pages; a test that
// merely needs an endpoint gets it from the admin API.
import { link, mkdir, mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortMultipartUploadCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, onTestFailed, onTestFinished } from 'vitest';
import type { LoginCredentials } from '../../contract/api/admin.js';
import { launchChromium, PartPutRecorder, recordSmallFilePuts, writeTestFile, type SmallFilePut } from '../support/browser.js';
import { startTestPortal, type LocalPortalOptions, type TestPortal } from '../support/local-portal.js';
import { once, oncePerKey } from '../support/once.js';
import { bucketClient, createEndpoint, incompleteUploads, MiB, objectSha256, signedInAdmin } from '../support/portal-api.js';
import { card, firstSignIn, openCustomerPage, recordMultipartCalls, sendFiles, signInToConsole, uppyInput } from './page-steps.js';

/** The password every customer of this suite chooses at first sign-in; satisfies the pool's policy. */
export const CUSTOMER_PASSWORD = 'E2e-Customer-Pw-77!';
export const customerEmailOf = (endpoint: string): string => `uploads@${endpoint}.example`;
/** The endpoint whose customer uploads the three files (`uploadedFiles`); nothing else writes there. */
export const UPLOADS_ENDPOINT = 'e2e-acme';
/** The endpoint of the customer the widget tests share (`customerPageForTest`), each with its own file names. */
export const WIDGET_ENDPOINT = 'e2e-widget';

export interface Session {
  context: BrowserContext;
  page: Page;
}

export interface Customer {
  endpoint: string;
  email: string;
  /** The endpoint's folder in the bucket, `uploads/<endpoint>/`. */
  prefix: string;
  /** The key a file of this name is stored under. */
  keyOf: (name: string) => string;
}

/** A customer signed in, in a browser context of its own. */
export type CustomerSession = Customer & Session;

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
  customer: Customer;
  files: Record<'large' | 'small' | 'tiny', TestFile>;
  /** The part PUTs the page sent to S3. */
  parts: PartPutRecorder;
  /** The presigned PUTs the page sent to S3 for small files (not parts), with the headers they carried. */
  smallPuts: SmallFilePut[];
  /** The multipart API calls the page sent (see `recordMultipartCalls`). */
  multipartCalls: string[];
}

/** What `start` brings up for one test file. */
interface Running {
  portal: TestPortal;
  browser: Browser;
  s3: S3Client;
  workDir: string;
}

export class E2eSuite {
  #running: Running | undefined;

  private constructor(private readonly portalOptions: Partial<LocalPortalOptions>) {}

  /**
   * The suite of the calling test file: started before its tests, stopped after them.
   * `portalOptions`: what the file's tests need of its portal (e.g. short part URL lifetimes).
   */
  static forThisFile(portalOptions: Partial<LocalPortalOptions> = {}): E2eSuite {
    const suite = new E2eSuite(portalOptions);
    beforeAll(() => suite.start());
    afterAll(() => suite.stop());
    return suite;
  }

  get portal(): TestPortal {
    return this.running().portal;
  }

  get browser(): Browser {
    return this.running().browser;
  }

  get s3(): S3Client {
    return this.running().s3;
  }

  get workDir(): string {
    return this.running().workDir;
  }

  private running(): Running {
    if (!this.#running) throw new Error('the e2e suite is used before its beforeAll started it (or after a failed start)');
    return this.#running;
  }

  private async start(): Promise<void> {
    const browser = await launchChromium(); // first: without Chromium, fail at once with how to install it
    try {
      // Builds dist/web only when it is missing (startLocalPortal's own check).
      const portal = await startTestPortal({ buildWeb: true, ...this.portalOptions });
      this.#running = { portal, browser, s3: bucketClient(portal), workDir: await mkdtemp(join(tmpdir(), 'portal-e2e-')) };
    } catch (error) {
      await browser.close();
      throw error;
    }
  }

  private async stop(): Promise<void> {
    const running = this.#running;
    if (!running) return; // the start failed and cleaned up after itself
    this.#running = undefined;
    await running.browser.close();
    running.s3.destroy();
    await running.portal.stop();
    await rm(running.workDir, { recursive: true, force: true });
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

  /**
   * A different file that looks the same to the page: same name, size and date (so Uppy takes it for
   * the same file), other bytes, in a folder of its own.
   */
  async lookalike(file: TestFile): Promise<TestFile> {
    const dir = join(this.workDir, 'lookalike');
    await mkdir(dir, { recursive: true });
    const path = join(dir, file.name);
    const sha256 = await writeTestFile(path, file.size);
    // To the sub-microsecond: a Date (whole ms) could round to another millisecond in the browser's File.lastModified.
    const { atimeMs, mtimeMs } = await stat(file.path);
    await utimes(path, atimeMs / 1000, mtimeMs / 1000);
    return { ...file, path, sha256 };
  }

  /** Expects the object at `key` to hold exactly `file`'s bytes (its SHA-256 and size), read as the Lambdas read it. */
  async expectStored(file: TestFile, key: string): Promise<void> {
    expect(await objectSha256(this.s3, this.portal.bucket, key), file.name).toEqual({ sha256: file.sha256, size: file.size });
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

  /** Fixture: a browser context where the admin signed in at the console through the admin IdP's page. */
  readonly adminSession = once(async (): Promise<Session> => {
    const session = await this.newSession();
    await signInToConsole(session.page, this.portal);
    return session;
  });

  /** Fixture: the admin API as the console calls it, signed in at the admin IdP over HTTP (no browser). */
  private readonly adminApi = once(() => signedInAdmin(this.portal));

  /** A new endpoint (unique `name`) and its first login, created through the admin API. */
  async createEndpoint(name: string): Promise<LoginCredentials> {
    return (await createEndpoint(await this.adminApi(), { name, customerEmail: customerEmailOf(name) })).login;
  }

  /** Fixture: the customer of WIDGET_ENDPOINT, signed in for the first time through the page; its context has no tab open. */
  readonly customerSession = once(async (): Promise<Customer & Pick<Session, 'context'>> => {
    const { page, ...customer } = await this.newCustomer(WIDGET_ENDPOINT);
    await page.close(); // each test opens its own tab: no idle widget shares the context's storage
    return customer;
  });

  /**
   * A new tab of `customerSession` on the customer page with a clean widget, closed when the current
   * test finishes. The widget tests share that customer's endpoint, so a test that fails mid-upload
   * aborts what it left unfinished: the next one starts with no incomplete upload there.
   */
  async customerPageForTest(): Promise<CustomerSession> {
    const customer = await this.customerSession();
    const page = await this.pageForTest(customer.context);
    onTestFailed(async () => {
      for (const upload of await incompleteUploads(this.s3, this.portal.bucket, customer.prefix)) {
        await this.s3.send(new AbortMultipartUploadCommand({ Bucket: this.portal.bucket, Key: upload.key, UploadId: upload.uploadId }));
      }
    });
    await openCustomerPage(page, this.portal.url);
    return { ...customer, page };
  }

  /**
   * Fixture: the three files (large, small, tiny) uploaded at once through the widget by the customer
   * of UPLOADS_ENDPOINT, until the page says 3 of 3 and lists them; with what the page sent.
   */
  readonly uploadedFiles = once(async (): Promise<UploadedFiles> => {
    const [large, small, tiny] = await Promise.all([this.testFile('large'), this.testFile('small'), this.testFile('tiny')]);
    const { context, page, ...customer } = await this.newCustomer(UPLOADS_ENDPOINT);
    await uppyInput(page).waitFor({ state: 'attached' }); // a new context: the widget is empty
    const parts = new PartPutRecorder(page, this.portal.s3Url);
    const smallPuts = recordSmallFilePuts(page, this.portal.s3Url);
    const multipartCalls = recordMultipartCalls(page, this.portal.url);
    await sendFiles(page, [large.path, small.path, tiny.path], 180_000);
    // The page lists what arrived.
    await card(page, 'Received files').getByRole('cell', { name: large.name, exact: true }).waitFor();
    await context.close(); // the record is complete: nothing more is sent
    await this.portal.events.idle(); // scanned and recorded: the console offers their downloads
    return { customer, files: { large, small, tiny }, parts, smallPuts, multipartCalls };
  });

  private async newSession(): Promise<Session> {
    const context = await this.browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    return { context, page };
  }

  /** The customer of a new endpoint, signed in for the first time through the page (temporary password, then CUSTOMER_PASSWORD). */
  private async newCustomer(endpoint: string): Promise<CustomerSession> {
    const login = await this.createEndpoint(endpoint);
    const session = await this.newSession();
    await firstSignIn(session.page, this.portal, login, CUSTOMER_PASSWORD);
    const prefix = `uploads/${endpoint}/`;
    return { ...session, endpoint, email: login.email, prefix, keyOf: (name) => `${prefix}${name}` };
  }
}
