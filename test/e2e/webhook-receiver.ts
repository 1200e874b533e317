// A webhook receiver on loopback for the browser suite: the local portal may deliver to http on
// loopback (WEBHOOK_ALLOW_LOOPBACK_HTTP, set only there), so a test can set this receiver's URL in the
// console and check what arrives with the signing secret the console showed.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookDelivery {
  path: string;
  /** The headers as standardwebhooks' `verify` takes them (webhook-id, webhook-timestamp, webhook-signature). */
  headers: Record<string, string>;
  body: string;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>`: append any path. */
  url: string;
  /** Every request received, in order; each was answered 204. */
  deliveries: WebhookDelivery[];
  close(): Promise<void>;
}

/** Only the single-valued headers: the webhook headers are single-valued, the others are not checked. */
const singleHeaders = (headers: IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));

export function startWebhookReceiver(): Promise<WebhookReceiver> {
  const deliveries: WebhookDelivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      deliveries.push({ path: req.url ?? '/', headers: singleHeaders(req.headers), body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, deliveries, close })),
  );
}
