// Browser-suite helpers: launching the one headless Chromium, generating large test files on disk
// (never committed), hashing files, and watching or holding the part uploads a page sends to S3.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import { chromium, type Browser, type CDPSession, type Page, type Request } from 'playwright-core';
import { chromiumArgs, CHROMIUM_HOWTO, findChromium } from './chromium.js';
import { MiB } from '../../contract/limits.js';

/** `extraArgs` go after the suite's flags (the bench picks Chromium's process model with them). */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(CHROMIUM_HOWTO);
  return chromium.launch({ executablePath, args: [...chromiumArgs(), ...extraArgs], headless: true });
}

/**
 * Writes `size` bytes of random-ish content: 1 MiB of crypto-random bytes, each following MiB the
 * previous one with a few bytes changed, so every part of a multipart upload differs from the
 * others (a part sent twice or in the wrong place changes the hash) without paying for 200 MiB of
 * crypto randomness. Returns the SHA-256.
 */
export async function writeTestFile(path: string, size: number): Promise<string> {
  const out = createWriteStream(path);
  const hash = createHash('sha256');
  const block = randomBytes(MiB);
  for (let offset = 0, n = 0; offset < size; offset += block.length, n++) {
    const noise = randomBytes(64);
    for (let i = 0; i < 64; i++) block[(n * 7919 + i * 16411) % block.length] = noise[i]!;
    block.writeUInt32BE(n, 0);
    const chunk = Buffer.from(block.subarray(0, Math.min(block.length, size - offset)));
    hash.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return hash.digest('hex');
}

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The file's CRC64NVME as the AWS SDK computes it (base64, as S3 writes it): the oracle the page's
 * checksums (hash-wasm, in the browser) are checked against.
 */
export async function fileCrc64Nvme(path: string): Promise<string> {
  const hash = new Crc64Nvme();
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return Buffer.from(await hash.digest()).toString('base64');
}

/** `length` bytes of a file from `start` (one part of it, say). */
export async function readFileRange(path: string, start: number, length: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.read(buffer, 0, length, start);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

export interface PartPut {
  uploadId: string;
  partNumber: number;
  /** Filled once the request has ended: S3's status, or 0 when it failed or was aborted. */
  status?: number;
}

const isPartPut = (request: Request, s3Origin: string): boolean => {
  if (request.method() !== 'PUT') return false;
  const url = new URL(request.url());
  return url.origin === s3Origin && url.searchParams.has('partNumber') && url.searchParams.has('uploadId');
};

/** Fills in the status of each recorded request once it ends: S3's answer, or 0 when it failed or was aborted. */
function recordOutcomes(page: Page, byRequest: Map<Request, { status?: number }>): void {
  page.on('requestfinished', async (request) => {
    const recorded = byRequest.get(request);
    if (recorded) recorded.status = (await request.response())?.status() ?? 0;
  });
  page.on('requestfailed', (request) => {
    const recorded = byRequest.get(request);
    if (recorded) recorded.status = 0;
  });
}

/** Records every part PUT a page sends to S3, with its outcome. */
export class PartPutRecorder {
  readonly puts: PartPut[] = [];

  constructor(page: Page, s3Url: string) {
    const origin = new URL(s3Url).origin;
    const byRequest = new Map<Request, PartPut>();
    page.on('request', (request) => {
      if (!isPartPut(request, origin)) return;
      const url = new URL(request.url());
      const put: PartPut = { uploadId: url.searchParams.get('uploadId')!, partNumber: Number(url.searchParams.get('partNumber')) };
      byRequest.set(request, put);
      this.puts.push(put);
    });
    recordOutcomes(page, byRequest);
  }

  /** Part numbers S3 accepted (200) for an upload. */
  stored(uploadId?: string): number[] {
    return [...new Set(this.puts.filter((p) => p.status === 200 && (!uploadId || p.uploadId === uploadId)).map((p) => p.partNumber))].sort((a, b) => a - b);
  }
}

/** A small file's presigned PUT to S3, as the page sent it. */
export interface SmallFilePut {
  url: string;
  /** The request's headers (lower-case names). */
  headers: Record<string, string>;
  /** S3's status once answered; 0 when the request failed. */
  status?: number;
}

/** Records the page's PUTs to S3 that are not parts (small files), with their headers and outcome. */
export function recordSmallFilePuts(page: Page, s3Url: string): SmallFilePut[] {
  const origin = new URL(s3Url).origin;
  const puts: SmallFilePut[] = [];
  const byRequest = new Map<Request, SmallFilePut>();
  page.on('request', (request) => {
    if (request.method() !== 'PUT' || new URL(request.url()).origin !== origin || isPartPut(request, origin)) return;
    const put: SmallFilePut = { url: request.url(), headers: request.headers() };
    byRequest.set(request, put);
    puts.push(put);
  });
  recordOutcomes(page, byRequest);
  return puts;
}

/**
 * Holds the part PUTs of the given part numbers (neither sent nor failed) until `release()`: a
 * deterministic "upload in the middle" that does not depend on the machine's speed. Built on CDP's
 * Fetch domain with URL patterns, so only the held parts are intercepted: Playwright's `page.route`
 * would intercept every part and ship its body through the protocol, which is slow for 16 MiB parts.
 */
export class PartGate {
  private readonly held: string[] = [];
  private session?: CDPSession;
  private readonly holding: Set<number>;

  constructor(
    private readonly page: Page,
    private readonly s3Url: string,
    partNumbers: number[],
  ) {
    this.holding = new Set(partNumbers);
  }

  async install(): Promise<this> {
    const session = (this.session = await this.page.context().newCDPSession(this.page));
    session.on('Fetch.requestPaused', (event: { requestId: string; request: { url: string; method: string } }) => {
      const url = new URL(event.request.url);
      const partNumber = Number(url.searchParams.get('partNumber'));
      if (event.request.method === 'PUT' && url.origin === new URL(this.s3Url).origin && this.holding.has(partNumber)) this.held.push(event.requestId);
      else void session.send('Fetch.continueRequest', { requestId: event.requestId }).catch(() => undefined);
    });
    // CDP wildcards: `*` any run, `?` one character; presigned URLs carry partNumber between other parameters.
    const patterns = [...this.holding].flatMap((n) => [`${this.s3Url}/*partNumber=${n}&*`, `${this.s3Url}/*partNumber=${n}`]).map((urlPattern) => ({ urlPattern, requestStage: 'Request' as const }));
    await session.send('Fetch.enable', { patterns });
    return this;
  }

  get heldCount(): number {
    return this.held.length;
  }

  /** Lets the held requests go (those the page aborted meanwhile are gone) and stops holding. */
  async release(): Promise<void> {
    this.holding.clear();
    const session = this.session;
    if (session) await Promise.all(this.held.splice(0).map((requestId) => session.send('Fetch.continueRequest', { requestId }).catch(() => undefined)));
  }

  /** Stops intercepting. Held requests of a page that has since navigated simply died with it. */
  async uninstall(): Promise<void> {
    await this.release();
    await this.session?.send('Fetch.disable').catch(() => undefined);
    await this.session?.detach().catch(() => undefined);
    this.session = undefined;
  }
}
