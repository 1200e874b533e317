// A webhook receiver on loopback: the local portal may deliver to http on loopback
// (WEBHOOK_ALLOW_LOOPBACK_HTTP, set only there), so a test can point an endpoint's webhook here and
// check what arrives with the signing secret the admin API or the console showed.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { BIND_HOST, closeServer, listen } from '../../local/listen.js';

export interface WebhookDelivery {
  path: string;
  /** The headers as standardwebhooks' `verify` takes them (webhook-id, webhook-timestamp, webhook-signature). */
  headers: Record<string, string>;
  body: string;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>`: append any path. */
  url: string;
  /** Every request received, in order. */
  deliveries: WebhookDelivery[];
  close(): Promise<void>;
}

/** Only the single-valued headers: the webhook headers are single-valued, the others are not checked. */
const singleHeaders = (headers: IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));

/**
 * Answers each request to a path with the next status of `script[path]`, then 200; a redirect
 * status points at `/followed` on this receiver.
 */
export async function startWebhookReceiver(script: Record<string, number[]> = {}): Promise<WebhookReceiver> {
  const deliveries: WebhookDelivery[] = [];
  let url = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      deliveries.push({ path, headers: singleHeaders(req.headers), body: Buffer.concat(chunks).toString('utf8') });
      const status = script[path]?.shift() ?? 200;
      res.writeHead(status, status >= 300 && status < 400 ? { location: `${url}/followed` } : {}).end('ok');
    });
  });
  url = `http://${BIND_HOST}:${await listen(server, 0)}`;
  return { url, deliveries, close: () => closeServer(server) };
}
