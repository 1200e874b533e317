// Local S3 stand-in: starts the HTTP server over the on-disk stores and sends each request through auth to its handler.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { S3EventBridgeEvent } from '../../contract/s3-events.js';
import { checkReadTagCondition, type ReadTagCondition } from './access.js';
import { createCtx, header, iso, send, type Bucket, type Ctx, type Env } from './context.js';
import { actualResponseHeaders, preflight, type CorsRule } from './cors.js';
import { S3Error } from './errors.js';
import { deliverEvents } from './events.js';
import { deleteObjects, getBucketLocation, headBucket, listBuckets, listObjectsV1, listObjectsV2 } from './handlers/bucket.js';
import { completeMultipartUpload } from './handlers/complete-multipart.js';
import { abortMultipartUpload, createMultipartUpload, listMultipartUploads, listParts, uploadPart } from './handlers/multipart.js';
import { deleteObject, getObject, putObject } from './handlers/objects.js';
import { postObject } from './handlers/post-object.js';
import { deleteObjectTagging, getObjectTagging, putObjectTagging } from './handlers/tagging.js';
import { UploadStore } from './multipart-store.js';
import { BucketStore } from './object-store.js';
import { parseTarget, resolveOperation, type Operation } from './router.js';
import { authenticate, EMPTY_SHA256 } from './sigv4.js';
import { assertWriteOnceAllows, checkWriteOncePrefixes } from './write-once.js';
import { el, escapeXml } from './xml.js';

export type { ReadTagCondition } from './access.js';
export type { CorsRule } from './cors.js';

/** Stand-in for an account id when none is configured (events' `account` and `requester`). */
export const DEFAULT_ACCOUNT_ID = '000000000000';

export interface S3ServerOptions {
  /** On-disk storage; survives restarts (objects and in-progress multipart uploads). */
  dataDir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 = ephemeral. */
  port?: number;
  /** Accepted access keys; `accountId` is the requester named in events (default: the server's accountId). */
  credentials: { accessKeyId: string; secretAccessKey: string; accountId?: string }[];
  /** The buckets' owner, named in events. @default DEFAULT_ACCOUNT_ID */
  accountId?: string;
  /** Default 'us-east-1'; requests signed for another region are refused, as by S3. */
  region?: string;
  /** Created at start if missing. */
  buckets: string[];
  /** Same shape as the stack's bucket CORS rules. */
  cors?: CorsRule[];
  /** Time source for expiry, skew and Last-Modified (tests move it). */
  clock?: () => Date;
  /** A bucket policy on object tags (GuardDuty's "read only what was scanned clean"); none by default. */
  readTagCondition?: ReadTagCondition;
  /**
   * Prefixes where objects are write-once, like the stack's audit-prefix policy: created only with
   * `If-None-Match`, never overwritten, deleted or retagged, by anyone (write-once.ts). @default none
   */
  writeOncePrefixes?: readonly string[];
  /**
   * Receives an EventBridge-shaped event for each committed change (objects created or deleted, tags added or
   * deleted), after the request is over: it never delays or fails a response, and what it throws is only logged.
   */
  onEvent?: (event: S3EventBridgeEvent) => void;
}

export interface RunningS3Server {
  url: string;
  port: number;
  close(): Promise<void>;
}

type Handler = (ctx: Ctx, env: Env, bucket: Bucket) => Promise<void> | void;

const HANDLERS: Record<Exclude<Operation, 'ListBuckets' | 'PostObject'>, Handler> = {
  HeadBucket: (ctx, env) => headBucket(ctx, env),
  GetBucketLocation: (ctx, env) => getBucketLocation(ctx, env),
  ListObjects: listObjectsV1,
  ListObjectsV2: listObjectsV2,
  ListMultipartUploads: listMultipartUploads,
  DeleteObjects: deleteObjects,
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: getObject,
  DeleteObject: deleteObject,
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  ListParts: listParts,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  PutObjectTagging: putObjectTagging,
  GetObjectTagging: getObjectTagging,
  DeleteObjectTagging: deleteObjectTagging,
};

/** Operations that read a request body; for the others a declared payload hash must be that of nothing. */
const BODY_OPERATIONS = new Set<Operation>(['PutObject', 'UploadPart', 'CompleteMultipartUpload', 'DeleteObjects', 'PutObjectTagging']);

const BUCKET_NAME = /^(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function sendError(ctx: Ctx, error: unknown): void {
  const { res } = ctx;
  if (!(error instanceof S3Error)) console.error(`[local-s3] ${ctx.method} ${ctx.req.url ?? ''} failed:`, error);
  const err = error instanceof S3Error ? error : new S3Error('InternalError');
  // Once a body has started, the only honest signal left is cutting the connection.
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (res.destroyed) return;
  for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
  // A client waiting for "100 Continue" never sends its body, so this connection cannot carry another request.
  if (ctx.expectContinue && !ctx.bodyStarted) res.setHeader('Connection', 'close');
  const extra = Object.entries(err.extra)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => el(k, v))
    .join('');
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message>${extra}${el('Resource', ctx.resource)}${el('RequestId', ctx.requestId)}${el('HostId', String(res.getHeader('x-amz-id-2') ?? ''))}</Error>`;
  send(ctx, err.status, { 'Content-Type': 'application/xml' }, xml);
}

async function handle(env: Env, ctx: Ctx, createdAt: string): Promise<void> {
  const { res } = ctx;
  res.setHeader('x-amz-request-id', ctx.requestId);
  res.setHeader('x-amz-id-2', randomBytes(24).toString('base64'));
  res.setHeader('Server', 'AmazonS3');
  res.setHeader('Date', env.now().toUTCString());
  if (ctx.badQuery) throw new S3Error('InvalidURI');
  parseTarget(ctx, env);
  const bucket = ctx.bucketName === undefined ? undefined : env.buckets.get(ctx.bucketName);

  if (ctx.method === 'OPTIONS') {
    // Preflights are never signed: CORS rules alone decide.
    if (!bucket) throw new S3Error('AccessForbidden', 'CORSResponse: Bucket not found', { Method: header(ctx, 'access-control-request-method') });
    const result = preflight(env.cors, header(ctx, 'origin'), header(ctx, 'access-control-request-method'), header(ctx, 'access-control-request-headers'));
    if (!result.ok) throw new S3Error(result.status === 400 ? 'BadRequest' : 'AccessForbidden', result.message, { Method: header(ctx, 'access-control-request-method'), ResourceType: 'BUCKET' }, {}, result.status);
    send(ctx, 200, result.headers);
    return;
  }
  for (const [name, value] of Object.entries(actualResponseHeaders(env.cors, header(ctx, 'origin'), ctx.method))) res.setHeader(name, value);

  const operation = resolveOperation(ctx);
  if (operation === 'PostObject') {
    // Form uploads carry their credentials in the signed policy instead of the request line.
    if (!bucket) throw new S3Error('NoSuchBucket', undefined, { BucketName: ctx.bucketName });
    await postObject(ctx, env, bucket);
    return;
  }
  ctx.auth = await authenticate(ctx, env);
  assertWriteOnceAllows(env.writeOncePrefixes, ctx, operation, ctx.key);
  if (operation === 'ListBuckets') {
    listBuckets(ctx, env, createdAt);
    return;
  }
  if (!bucket) throw new S3Error('NoSuchBucket', undefined, { BucketName: ctx.bucketName });
  if (!BODY_OPERATIONS.has(operation) && /^[0-9a-f]{64}$/.test(ctx.auth.payloadHash) && ctx.auth.payloadHash !== EMPTY_SHA256) {
    throw new S3Error('XAmzContentSHA256Mismatch', undefined, { ClientComputedContentSHA256: ctx.auth.payloadHash, S3ComputedContentSHA256: EMPTY_SHA256 });
  }
  await HANDLERS[operation](ctx, env, bucket);
}

function serverUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

export async function startS3Server(opts: S3ServerOptions): Promise<RunningS3Server> {
  if (opts.credentials.length === 0) throw new Error('startS3Server: at least one credential is required');
  for (const name of opts.buckets) if (!BUCKET_NAME.test(name) || name.includes('..')) throw new Error(`startS3Server: invalid bucket name "${name}"`);
  checkWriteOncePrefixes(opts.writeOncePrefixes ?? []);
  if (opts.readTagCondition) checkReadTagCondition(opts.readTagCondition, new Set(opts.credentials.map((c) => c.accessKeyId)));
  const accountId = opts.accountId ?? DEFAULT_ACCOUNT_ID;
  const dataDir = resolve(opts.dataDir);
  const buckets = new Map<string, Bucket>();
  for (const name of new Set(opts.buckets)) {
    const dir = join(dataDir, 'buckets', name);
    const objects = new BucketStore(name, dir);
    const uploads = new UploadStore(dir);
    objects.load();
    uploads.load();
    buckets.set(name, { name, objects, uploads });
  }
  const env: Env = {
    buckets,
    region: opts.region ?? 'us-east-1',
    secrets: new Map(opts.credentials.map((c) => [c.accessKeyId, c.secretAccessKey])),
    cors: opts.cors,
    now: opts.clock ?? (() => new Date()),
    accountId,
    accounts: new Map(opts.credentials.map((c) => [c.accessKeyId, c.accountId ?? accountId])),
    readTagCondition: opts.readTagCondition,
    writeOncePrefixes: opts.writeOncePrefixes ?? [],
    onEvent: opts.onEvent,
  };
  const createdAt = iso(env.now());

  const inflight = new Set<Promise<void>>();
  const dispatch = (req: IncomingMessage, res: ServerResponse, expectContinue: boolean): void => {
    const ctx = createCtx(req, res, expectContinue);
    const work = handle(env, ctx, createdAt)
      .catch((error: unknown) => sendError(ctx, error))
      .catch((error: unknown) => {
        console.error('[local-s3] could not send an error response:', error);
        res.destroy();
      })
      .finally(() => {
        inflight.delete(work);
        // Also after a failure: what committed before it (e.g. a completion whose answer could not be sent) happened.
        deliverEvents(env, ctx.events);
      });
    inflight.add(work);
  };
  // Large uploads may legitimately take longer than Node's default 5-minute request timeout.
  const server = createServer({ requestTimeout: 0 }, (req, res) => dispatch(req, res, false));
  server.on('checkContinue', (req, res) => dispatch(req, res, true));
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: serverUrl(host, port),
    port,
    close: () => {
      closing ??= (async () => {
        const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
        // In-flight requests are cut off; their handlers then fail fast and clean up their temp files.
        server.closeAllConnections();
        await Promise.allSettled([...inflight]);
        await closed;
      })();
      return closing;
    },
  };
}
