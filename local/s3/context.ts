// Per-request state shared by the handlers, the server-wide environment, and the response helpers.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { S3EventBridgeEvent } from '../../contract/s3-events.js';
import type { ReadTagCondition } from './access.js';
import type { CorsRule } from './cors.js';
import { S3Error } from './errors.js';
import type { UploadStore } from './multipart-store.js';
import type { BucketStore } from './object-store.js';
import type { AuthResult } from './sigv4.js';

export interface Bucket {
  name: string;
  objects: BucketStore;
  uploads: UploadStore;
}

export interface Env {
  buckets: Map<string, Bucket>;
  region: string;
  secrets: Map<string, string>;
  cors: readonly CorsRule[] | undefined;
  now: () => Date;
  /** The bucket owner's account (events' `account`), and each access key's (events' `requester`). */
  accountId: string;
  accounts: Map<string, string>;
  readTagCondition: ReadTagCondition | undefined;
  /** Key prefixes where objects are write-once (write-once.ts); empty: none. */
  writeOncePrefixes: readonly string[];
  onEvent: ((event: S3EventBridgeEvent) => void) | undefined;
}

/** Decoded query parameters in received order; the raw form matters only to signature checks, which re-encode. */
export class Query {
  constructor(readonly entries: readonly (readonly [string, string])[]) {}

  static parse(raw: string): Query {
    if (raw === '') return new Query([]);
    try {
      return new Query(
        raw.split('&').filter((part) => part !== '').map((part) => {
          const eq = part.indexOf('=');
          return eq < 0 ? [decodeURIComponent(part), ''] : [decodeURIComponent(part.slice(0, eq)), decodeURIComponent(part.slice(eq + 1))];
        }),
      );
    } catch {
      throw new S3Error('InvalidURI');
    }
  }

  get(name: string): string | undefined {
    return this.entries.find(([k]) => k === name)?.[1];
  }

  has(name: string): boolean {
    return this.entries.some(([k]) => k === name);
  }

  /** Case-insensitive lookup, for the x-amz-* parameters presigned URLs hoist from headers. */
  getIgnoreCase(name: string): string | undefined {
    const lower = name.toLowerCase();
    return this.entries.find(([k]) => k.toLowerCase() === lower)?.[1];
  }

  /** The shape the SDK signer expects: repeated names become arrays. */
  toRecord(skip: (name: string) => boolean = () => false): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of this.entries) {
      if (skip(k)) continue;
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    return out;
  }
}

export interface Ctx {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly requestId: string;
  readonly method: string;
  readonly rawPath: string;
  readonly query: Query;
  /** The query string could not be decoded; reported once the response headers are in place. */
  readonly badQuery: boolean;
  /** `/bucket/key` as S3 reports it in error documents. */
  resource: string;
  bucketName: string | undefined;
  key: string | undefined;
  expectContinue: boolean;
  bodyStarted: boolean;
  auth: AuthResult | undefined;
  /** Events of the changes this request committed, handed to the listener once the request is over. */
  readonly events: S3EventBridgeEvent[];
}

export function createCtx(req: IncomingMessage, res: ServerResponse, expectContinue: boolean): Ctx {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  let query: Query | undefined;
  try {
    query = Query.parse(q < 0 ? '' : url.slice(q + 1));
  } catch {
    query = undefined;
  }
  return {
    req,
    res,
    requestId: randomBytes(8).toString('hex').toUpperCase(),
    method: req.method ?? 'GET',
    rawPath: q < 0 ? url : url.slice(0, q),
    query: query ?? new Query([]),
    badQuery: query === undefined,
    resource: '/',
    bucketName: undefined,
    key: undefined,
    expectContinue,
    bodyStarted: false,
    auth: undefined,
    events: [],
  };
}

/** Call before reading a body: honours `Expect: 100-continue` only once the request was accepted. */
export function startBody(ctx: Ctx): void {
  if (ctx.bodyStarted) return;
  ctx.bodyStarted = true;
  if (ctx.expectContinue) ctx.res.writeContinue();
}

export function header(ctx: Ctx, name: string): string | undefined {
  const value = ctx.req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

export function send(ctx: Ctx, status: number, headers: Record<string, string | number> = {}, body?: string | Buffer): void {
  const { res } = ctx;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (body === undefined || ctx.method === 'HEAD') {
    if (!res.hasHeader('content-length') && status !== 204 && status !== 304) res.setHeader('Content-Length', ctx.method === 'HEAD' || body === undefined ? 0 : Buffer.byteLength(body));
    res.writeHead(status);
    res.end();
    return;
  }
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.writeHead(status);
  res.end(body);
}

export function sendXml(ctx: Ctx, status: number, xml: string, headers: Record<string, string | number> = {}): void {
  send(ctx, status, { 'Content-Type': 'application/xml', ...headers }, xml);
}

export function iso(date: Date): string {
  return date.toISOString();
}

/** S3 timestamps have whole-second resolution; truncating keeps HEAD and listings in agreement. */
export function wholeSeconds(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString();
}
