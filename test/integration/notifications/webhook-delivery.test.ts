// One webhook attempt against receivers on loopback: the deadline (shortened here through the sender's
// `timeoutMs`) turns a receiver that never answers, or stops half-way through its answer, into a failed
// attempt that is retried; an answer longer than WEBHOOK_RESPONSE_MAX_BYTES is cut there and its status
// counts; the connection goes to the address that was checked, whatever the resolver says later.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { WEBHOOK_RESPONSE_MAX_BYTES, WEBHOOK_TIMEOUT_MS, webhookBackoffSeconds, type WebhookBody } from '../../../contract/notifications.js';
import { RefusedDestinationError, safePost } from '../../../lambdas/notify/safe-post.js';
import { attemptWebhook, type WebhookSenderOptions } from '../../../lambdas/notify/webhook-sender.js';
import { makeRecord } from '../../support/s3-answers.js';
import { notifyWorld, sqsEvent } from '../../support/notify-world.js';

const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const BODY: WebhookBody = { id: 'msg_t', type: 'files.received', timestamp: '2026-12-05T10:00:00.000Z', data: {} as WebhookBody['data'] };
/** The deadline of these tests: long enough for loopback, short enough to keep each test well under a second. */
const TEST_TIMEOUT_MS = 400;
const LOOPBACK = { allowLoopbackHttp: true };

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
  /** Resolves when the receiver's answer was closed (by the sender, or when it ended). */
  closed: Promise<void>;
}

let server: Server;
let base: string;
let port: number;
let seen: Seen[];

/** Writes `chunk` for as long as the connection takes it: an answer without end. */
function stream(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-type': 'text/plain' });
  const chunk = Buffer.alloc(16 * 1024, 'x');
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
  };
  res.on('drain', pump);
  pump();
}

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    seen.push({ path: req.url ?? '', headers: req.headers, closed: new Promise((resolve) => res.on('close', () => resolve())) });
    switch (new URL(req.url ?? '/', base).pathname) {
      case '/stall': // never answers
        return;
      case '/stall-after-status': // answers the status and a little, then nothing
        res.writeHead(200);
        res.write('started');
        return;
      case '/endless':
        return stream(res, 200);
      case '/endless-500':
        return stream(res, 500);
      default:
        res.writeHead(204).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen = [];
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** The notify app with only its webhook queue, posting to the receiver at `path` with `webhook`'s options. */
function webhookWorld(path: string, webhook: WebhookSenderOptions) {
  const world = notifyWorld({ digestQueueUrl: undefined, mailer: null, webhook, now: () => new Date(BODY.timestamp) });
  world.storeRecord(makeRecord({ notifications: { adminRecipients: [], customerReceipt: false, webhook: { url: `${base}${path}`, secret: SECRET, secretCreatedAt: BODY.timestamp } } }));
  return world;
}
const webhookMessage = { kind: 'webhook', endpoint: 'acme', body: BODY };

describe('the deadline', () => {
  it('is WEBHOOK_TIMEOUT_MS unless the sender is given another: the app given none waits that long for a receiver', async () => {
    expect(WEBHOOK_TIMEOUT_MS).toBe(10_000);
    // The deadline the request asks for is recorded, and shortened so the test does not wait 10 s.
    const asked: number[] = [];
    const timeout = AbortSignal.timeout.bind(AbortSignal);
    vi.spyOn(AbortSignal, 'timeout').mockImplementation((ms) => (asked.push(ms), timeout(TEST_TIMEOUT_MS)));
    const world = webhookWorld('/stall', LOOPBACK);
    expect((await world.deliver(sqsEvent(webhookMessage))).batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(asked).toEqual([WEBHOOK_TIMEOUT_MS]);
    expect(world.audit).toEqual([expect.objectContaining({ action: 'webhook.retried', details: expect.objectContaining({ reason: 'timed out' }) })]);
    await seen[0]!.closed;
  });

  it('makes a receiver that never answers a failed attempt, which the notify Lambda retries after its backoff', async () => {
    const world = webhookWorld('/stall?token=t', { ...LOOPBACK, timeoutMs: TEST_TIMEOUT_MS });
    const started = Date.now();
    const answer = await world.deliver(sqsEvent(webhookMessage));
    expect(Date.now() - started).toBeLessThan(TEST_TIMEOUT_MS + 1500);
    expect(seen.map((s) => s.path)).toEqual(['/stall?token=t']);
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(world.audit).toEqual([
      expect.objectContaining({ action: 'webhook.retried', target: `${base}/stall`, details: expect.objectContaining({ attempt: 1, status: null, reason: 'timed out', nextAttemptInSeconds: webhookBackoffSeconds(1) }) }),
    ]);
    expect(world.queue.retries).toEqual([{ receiptHandle: 'r-m-1', seconds: webhookBackoffSeconds(1) }]);
    // The sender hung up: the receiver is not left holding the connection.
    await seen[0]!.closed;
  });

  it('covers the whole answer: a receiver that sends its status and then stalls fails the attempt too', async () => {
    const started = Date.now();
    const result = await attemptWebhook(`${base}/stall-after-status`, SECRET, BODY, new Date(), { ...LOOPBACK, timeoutMs: TEST_TIMEOUT_MS });
    expect(result).toEqual({ outcome: 'retry', status: null, reason: 'timed out' });
    expect(Date.now() - started).toBeLessThan(TEST_TIMEOUT_MS + 1500);
    await seen[0]!.closed;
  });
});

describe('the answer', () => {
  it('is read to WEBHOOK_RESPONSE_MAX_BYTES and no further: an endless answer is cut, and its status counts', async () => {
    const answer = await safePost(new URL(`${base}/endless`), '{}', {}, { ...LOOPBACK, timeoutMs: 5000, maxBytes: WEBHOOK_RESPONSE_MAX_BYTES });
    expect(answer.status).toBe(200);
    expect(Buffer.byteLength(answer.body)).toBe(WEBHOOK_RESPONSE_MAX_BYTES);
    await seen[0]!.closed;
    // Through the sender: delivered long before the deadline (it would otherwise time out).
    const started = Date.now();
    expect(await attemptWebhook(`${base}/endless`, SECRET, BODY, new Date(), { ...LOOPBACK, timeoutMs: 3000 })).toEqual({ outcome: 'delivered', status: 200 });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('of an error status is cut the same way, and the attempt is retried', async () => {
    expect(await attemptWebhook(`${base}/endless-500`, SECRET, BODY, new Date(), { ...LOOPBACK, timeoutMs: 3000 })).toEqual({ outcome: 'retry', status: 500, reason: 'the receiver answered 500' });
    await seen[0]!.closed;
  });
});

describe('the address', () => {
  it('is resolved once and pinned: the request goes to the checked address under the URL\'s host name', async () => {
    const answers = [[{ address: '127.0.0.1', family: 4 }], [{ address: '10.0.0.1', family: 4 }]];
    let lookups = 0;
    const resolve = async (host: string) => {
      expect(host).toBe('hooks.example.test');
      return answers[lookups++] ?? [];
    };
    const result = await attemptWebhook(`http://hooks.example.test:${port}/pinned`, SECRET, BODY, new Date(), { ...LOOPBACK, timeoutMs: 3000, resolve });
    expect(result).toEqual({ outcome: 'delivered', status: 204 });
    expect(lookups).toBe(1);
    expect(seen.map((s) => [s.path, s.headers.host])).toEqual([['/pinned', `hooks.example.test:${port}`]]);
  });

  it('is refused when any address the name resolves to is refused, and nothing is sent', async () => {
    const resolve = async () => [
      { address: '127.0.0.1', family: 4 },
      { address: '10.0.0.1', family: 4 },
    ];
    await expect(safePost(new URL(`http://hooks.example.test:${port}/mixed`), '{}', {}, { ...LOOPBACK, timeoutMs: 3000, maxBytes: 1024, resolve })).rejects.toBeInstanceOf(RefusedDestinationError);
    expect(await attemptWebhook(`http://hooks.example.test:${port}/mixed`, SECRET, BODY, new Date(), { ...LOOPBACK, timeoutMs: 3000, resolve })).toMatchObject({ outcome: 'refused' });
    expect(seen).toEqual([]);
  });
});
