// What the browser suite does on the pages, as a person would: sign in at the admin console and at
// the customer page (checking where each step lands), add files to the Uppy widget and upload them
// (to the end, or with some parts held back for a fault in the middle), and watch the API calls the
// page sends.
import type { Locator, Page, Response } from 'playwright-core';
import { expect } from 'vitest';
import { PartGate, PartPutRecorder } from '../support/browser.js';
import type { LocalPortal } from '../support/local-portal.js';

/** `expect.poll` with room for a busy machine (its default gives up after one second). */
export const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 60_000, interval: 100 });

/** The page's card (a `section`) titled `heading`. */
export const card = (page: Page, heading: string): Locator => page.locator('section', { has: page.getByRole('heading', { name: heading, exact: true }) });

/** Opens /admin, signs in at the admin IdP's page with the dev admin, and lands on the console. */
export async function signInToConsole(page: Page, portal: LocalPortal): Promise<void> {
  await page.goto(`${portal.url}/admin`);
  expect(page.url().startsWith(portal.idps.admin.issuer)).toBe(true);
  await page.getByLabel('Email').fill(portal.adminCredentials.email);
  await page.getByLabel('Password').fill(portal.adminCredentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Endpoints' }).waitFor();
  expect(new URL(page.url()).origin).toBe(new URL(portal.url).origin);
}

/** In the console (signed in on `page`): sets an endpoint's admin recipients in its Notifications card and saves them. */
export async function setAdminRecipients(page: Page, portal: LocalPortal, endpoint: string, recipients: string[]): Promise<void> {
  await page.goto(`${portal.url}/admin/endpoints/${endpoint}`);
  const section = card(page, 'Notifications');
  await section.getByLabel(/Admin recipients/).fill(recipients.join('\n'));
  await section.getByRole('button', { name: 'Save notifications' }).click();
  await section.getByRole('status').filter({ hasText: 'Notification settings saved.' }).waitFor();
}

/** Opens the customer page, signs in at the hosted UI with the temporary password, chooses `newPassword`, and lands on the page. */
export async function firstSignIn(page: Page, portal: LocalPortal, login: { email: string; temporaryPassword: string }, newPassword: string): Promise<void> {
  await page.goto(portal.url);
  expect(page.url().startsWith(portal.idps.customer.issuer)).toBe(true);
  await page.getByLabel('Email').fill(login.email);
  await page.getByLabel('Password').fill(login.temporaryPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('New password').fill(newPassword);
  await page.getByRole('button', { name: 'Set password and sign in' }).click();
  await page.getByRole('heading', { name: /Send files to/ }).waitFor();
  expect(page.url()).toBe(`${portal.url}/`);
  await eventually(() => page.locator('.topbar-user').textContent()).toContain(login.email);
}

export const uppyInput = (page: Page) => page.locator('input.uppy-Dashboard-input[type="file"]:not([webkitdirectory])').first();

/**
 * Opens the customer page with a clean widget: Golden Retriever keeps Uppy's state per origin
 * (localStorage and IndexedDB, shared by the context's tabs), so it is wiped first from a page of
 * the same origin that runs no Uppy.
 */
export async function openCustomerPage(page: Page, portalUrl: string): Promise<void> {
  await page.goto(`${portalUrl}/healthz`);
  await page.evaluate(async () => {
    for (const key of Object.keys(localStorage)) if (key.startsWith('uppyState:')) localStorage.removeItem(key);
    const names = (await indexedDB.databases()).map((db) => db.name).filter((name): name is string => Boolean(name));
    await Promise.all(names.map((name) => new Promise((done) => Object.assign(indexedDB.deleteDatabase(name), { onsuccess: done, onerror: done, onblocked: done }))));
  });
  await page.goto(portalUrl);
  await page.getByRole('heading', { name: /Send files to/ }).waitFor();
  await uppyInput(page).waitFor({ state: 'attached' });
}

/** Adds files as a person would: through the Dashboard's file input ("Add more files" first when files are listed). */
export async function addFiles(page: Page, paths: string[]): Promise<void> {
  // The widget renders a moment after the page: wait for its input, or for the button that shows it.
  const addMore = page.getByRole('button', { name: 'Add more files' });
  await uppyInput(page).or(addMore).first().waitFor({ state: 'attached' });
  if ((await uppyInput(page).count()) === 0) await addMore.click();
  await uppyInput(page).setInputFiles(paths);
}

/**
 * After a reload that could not keep the file (Golden Retriever restored the upload without its bytes):
 * chooses `path` again, as the page asks, and clicks Upload to resume.
 */
export async function chooseAgainAndResume(page: Page, path: string): Promise<void> {
  await addFiles(page, [path]);
  await page.getByText('We restored all files').waitFor();
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
}

/** Waits until the widget's total progress reads `text` (e.g. '1 of 1 file'). */
export async function uploadsDone(page: Page, text: string, timeout = 120_000): Promise<void> {
  await page.locator('[data-testid="total-progress"]').filter({ hasText: text }).waitFor({ timeout });
}

/** '1 file', '3 files': how the widget counts files. */
const fileCount = (count: number): string => `${count} file${count === 1 ? '' : 's'}`;

/** Adds files to a clean widget, clicks Upload, and waits until all of them are stored. */
export async function sendFiles(page: Page, paths: string[], timeout?: number): Promise<void> {
  await addFiles(page, paths);
  await page.getByRole('button', { name: `Upload ${fileCount(paths.length)}` }).click();
  await uploadsDone(page, `${paths.length} of ${fileCount(paths.length)}`, timeout);
}

/** The next API response matching; a test that fails before awaiting it leaves no unhandled rejection behind. */
export function apiResponse(page: Page, method: string, pattern: RegExp): Promise<Response> {
  const response = page.waitForResponse((r: Response) => r.request().method() === method && pattern.test(new URL(r.url()).pathname), { timeout: 60_000 });
  response.catch(() => undefined);
  return response;
}

/** Every multipart API call the page sends, as `METHOD /api/s3/multipart/:id/...` (upload ids replaced). */
export function recordMultipartCalls(page: Page, portalUrl: string): string[] {
  const calls: string[] = [];
  page.on('request', (r) => r.url().startsWith(`${portalUrl}/api/s3/multipart`) && calls.push(`${r.method()} ${new URL(r.url()).pathname.replace(/multipart\/[^/]+/, 'multipart/:id')}`));
  return calls;
}

/** A multipart upload the page created: its ids, and the parts whose URLs the create signed along with it. */
export interface CreatedUpload {
  upload: { key: string; uploadId: string };
  signedAlong: number[];
}

/** The upload a create answered with: its ids, and the first parts' URLs the page asked for along with it. */
export async function createdUpload(created: Promise<Response>): Promise<CreatedUpload> {
  const { key, uploadId, presignedUrls } = (await (await created).json()) as { key: string; uploadId: string; presignedUrls?: Record<string, string> };
  return { upload: { key, uploadId }, signedAlong: Object.keys(presignedUrls ?? {}).map(Number).sort((a, b) => a - b) };
}

/** The one file a test uploads: its path (added through the Dashboard's input), or the test's own steps that add it. */
export type FileToAdd = string | (() => Promise<unknown>);

/** Adds one file to a clean widget and clicks Upload; returns the multipart upload the page created (see `createdUpload`). */
export async function startUpload(page: Page, file: FileToAdd): Promise<CreatedUpload> {
  const created = apiResponse(page, 'POST', /^\/api\/s3\/multipart$/);
  await (typeof file === 'string' ? addFiles(page, [file]) : file());
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  return createdUpload(created);
}

/** An upload started with some parts held back: every part PUT recorded from the start, and the gate. */
export interface HeldUpload extends CreatedUpload {
  parts: PartPutRecorder;
  gate: PartGate;
}

/**
 * Starts an upload (`startUpload`) whose parts numbered `held` wait at a gate, neither sent nor failed,
 * until `gate.uninstall()`.
 */
export async function startUploadHoldingParts(page: Page, s3Url: string, held: number[], file: FileToAdd): Promise<HeldUpload> {
  const parts = new PartPutRecorder(page, s3Url);
  const gate = await new PartGate(page, s3Url, held).install();
  return { parts, gate, ...(await startUpload(page, file)) };
}

/**
 * An upload of a medium test file (8 parts) stopped in the middle, ready for a reload: parts 1-3
 * stored, 4-8 all started and held at the gate, and Golden Retriever's copy of Uppy's state (which
 * it saves to localStorage, throttled) holding the upload id.
 */
export async function startUploadToReload(page: Page, s3Url: string, file: FileToAdd): Promise<HeldUpload> {
  const started = await startUploadHoldingParts(page, s3Url, [4, 5, 6, 7, 8], file);
  const { parts, gate, upload } = started;
  await eventually(() => parts.stored(upload.uploadId)).toEqual([1, 2, 3]);
  await eventually(() => gate.heldCount).toBe(5);
  await eventually(() => page.evaluate((id) => Object.keys(localStorage).some((k) => k.startsWith('uppyState:') && localStorage.getItem(k)!.includes(id)), upload.uploadId)).toBe(true);
  return started;
}
