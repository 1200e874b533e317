// Shared fixtures for the local S3 server tests: a server per file in a temp dir, SDK clients, raw signed requests.
import { Sha256 } from '@aws-crypto/sha256-js';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startS3Server, type RunningS3Server, type S3ServerOptions } from '../../../local/s3/server.js';

export const CREDS = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };
export const REGION = 'us-east-1';
export const BUCKET = 'portal-bucket';

export interface TestServer {
  server: RunningS3Server;
  /** Parent temp folder; the server's dataDir is `${root}/data`, so anything else appearing in root escaped it. */
  root: string;
  dataDir: string;
  options: S3ServerOptions;
  client(config?: Partial<S3ClientConfig>): S3Client;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A server clock a test can move ahead of this machine's (S3 judges expiry and clock skew by its own
 * time): pass `now` as the server's `clock`.
 */
export class MovableClock {
  private offsetMs = 0;

  readonly now = (): Date => new Date(Date.now() + this.offsetMs);

  /** Runs `step` with the server's time `ms` ahead, then puts it back, whatever `step` does. */
  async aheadBy<T>(ms: number, step: () => Promise<T>): Promise<T> {
    this.offsetMs = ms;
    try {
      return await step();
    } finally {
      this.offsetMs = 0;
    }
  }
}

export async function startTestServer(extra: Partial<S3ServerOptions> = {}): Promise<TestServer> {
  const root = await mkdtemp(join(tmpdir(), 'local-s3-test-'));
  const dataDir = join(root, 'data');
  const options: S3ServerOptions = { dataDir, credentials: [CREDS], buckets: [BUCKET, 'other-bucket'], region: REGION, ...extra };
  const fixture: TestServer = {
    server: await startS3Server(options),
    root,
    dataDir,
    options,
    client: (config = {}) =>
      new S3Client({ region: REGION, endpoint: fixture.server.url, forcePathStyle: true, credentials: CREDS, ...config }),
    restart: async () => {
      await fixture.server.close();
      fixture.server = await startS3Server({ ...options, port: fixture.server.port });
    },
    close: async () => {
      await fixture.server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
  return fixture;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Plain node:http, so tests control every header (fetch would add or refuse some). */
export function rawRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

export interface SignedInit {
  method?: string;
  /** Raw (already encoded) path, e.g. /bucket/my%20key */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | Buffer;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  region?: string;
  signingDate?: Date;
  /** Host header to sign and send instead of the server's (virtual-host style requests). */
  host?: string;
}

/** Signs like the SDK (S3 flavour of SigV4) and returns what is needed to send, or tamper with, the request. */
export async function signRequest(baseUrl: string, init: SignedInit): Promise<{ url: string; headers: Record<string, string> }> {
  const base = new URL(baseUrl);
  const signer = new SignatureV4({
    service: 's3',
    region: init.region ?? REGION,
    credentials: init.credentials ?? CREDS,
    sha256: Sha256,
    uriEscapePath: false,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: init.method ?? 'GET',
      protocol: 'http:',
      hostname: base.hostname,
      port: Number(base.port),
      path: init.path,
      query: init.query ?? {},
      headers: { host: init.host ?? base.host, ...init.headers },
      body: init.body ?? '',
    }),
    { signingDate: init.signingDate },
  );
  const qs = Object.entries(init.query ?? {})
    .map(([k, v]) => (v === '' ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`))
    .join('&');
  return { url: `${base.origin}${init.path}${qs ? `?${qs}` : ''}`, headers: signed.headers };
}

export async function signedRequest(baseUrl: string, init: SignedInit): Promise<RawResponse> {
  const { url, headers } = await signRequest(baseUrl, init);
  return rawRequest(url, { method: init.method, headers, body: init.body });
}

export function errorCode(body: string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
}

export function errorMessage(body: string): string | undefined {
  const raw = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  return raw?.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Runs `fn` over 0..n-1 with bounded concurrency. */
export async function times(n: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

/** Rejected SDK calls expose S3's error code as `name` and the HTTP status in `$metadata`. */
export async function sdkError(promise: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

/** Captures the headers the SDK actually sends (after signing), e.g. to prove which checksum it computed. */
export function captureRequestHeaders(client: S3Client): Record<string, string>[] {
  const seen: Record<string, string>[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      seen.push({ ...((args.request as { headers: Record<string, string> }).headers ?? {}) });
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'captureHeaders' },
  );
  return seen;
}

/** Presigns like @aws-sdk/s3-request-presigner, minus the SDK's per-call middleware cost. */
export async function presignUrl(baseUrl: string, method: string, path: string, query: Record<string, string> = {}, expiresIn = 600): Promise<string> {
  const base = new URL(baseUrl);
  const signer = new SignatureV4({ service: 's3', region: REGION, credentials: CREDS, sha256: Sha256, uriEscapePath: false });
  const signed = await signer.presign(
    new HttpRequest({ method, protocol: 'http:', hostname: base.hostname, port: Number(base.port), path, query, headers: { host: base.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }),
    { expiresIn },
  );
  const qs = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `${base.origin}${path}?${qs}`;
}

/**
 * Many small writes (1,000+ keys or parts) through presigned PUTs on a keep-alive agent: the same server path as a
 * browser upload, at a fraction of the SDK's per-call cost, which keeps these tests quick on a busy machine.
 */
export async function bulkPut(
  t: TestServer,
  items: readonly { key: string; body: string; uploadId?: string; partNumber?: number }[],
  concurrency = 8,
): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    await times(items.length, concurrency, async (i) => {
      const { key, body, uploadId, partNumber } = items[i]!;
      const path = `/${BUCKET}/${key.split('/').map(encodeURIComponent).join('/')}`;
      const url = await presignUrl(t.server.url, 'PUT', path, uploadId === undefined ? {} : { uploadId, partNumber: String(partNumber) });
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const req = request(url, { method: 'PUT', agent, headers: { 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        });
        req.on('error', reject);
        req.end(body);
      });
      if (status !== 200) throw new Error(`PUT ${key} answered ${status}`);
    });
  } finally {
    agent.destroy();
  }
}
