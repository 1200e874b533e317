// One webhook attempt over a connection we control: the host name is resolved once here, every address
// it resolves to must be allowed (webhook-address.ts), and the socket connects to the address that was
// checked (the request's `lookup` answers it, so Node never resolves the name a second time: a DNS
// rebinding answer cannot slip in between check and connect). TLS still verifies the certificate
// against the host name (SNI and Host stay the name). Redirects are answered, never followed; the
// attempt has one deadline, started before the name is resolved, for resolving, connecting and the
// answer (a resolver that never answers ends the attempt too), and at most WEBHOOK_RESPONSE_MAX_BYTES
// of the answer are read.
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isAllowedAddress, literalAddress, type WebhookAddressPolicy } from '../shared/notifications/webhook-address.js';

export interface PostResult {
  status: number;
  /** The start of the answer, for the audit trail (at most maxBytes). */
  body: string;
}

/** The request was refused before anything was sent (the address or scheme is not allowed). */
export class RefusedDestinationError extends Error {
  override readonly name = 'RefusedDestinationError';
}

export interface SafePostOptions extends WebhookAddressPolicy {
  timeoutMs: number;
  maxBytes: number;
  /** @default node:dns lookup of every address */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
}

const defaultResolve = (host: string) => dnsLookup(host, { all: true, verbatim: true });

/** `work`, or the deadline's reason (a TimeoutError) once it passes, whichever comes first. */
function beforeDeadline<T>(work: Promise<T>, deadline: AbortSignal): Promise<T> {
  if (deadline.aborted) return Promise.reject(deadline.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const expire = () => reject(deadline.reason as Error);
    deadline.addEventListener('abort', expire, { once: true });
    work.then(resolve, reject).finally(() => deadline.removeEventListener('abort', expire));
  });
}

export async function safePost(url: URL, body: string, headers: Record<string, string>, options: SafePostOptions): Promise<PostResult> {
  if (url.protocol !== 'https:' && !(options.allowLoopbackHttp && url.protocol === 'http:')) throw new RefusedDestinationError('only https receivers are allowed');
  // One deadline for the whole attempt, the lookup included: node:dns cannot cancel a lookup, but the
  // attempt need not wait for it (it ends in the libuv thread pool, its answer unused).
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const literal = literalAddress(url.hostname);
  const addresses = literal ? [{ address: literal, family: literal.includes(':') ? 6 : 4 }] : await beforeDeadline((options.resolve ?? defaultResolve)(url.hostname), deadline);
  if (addresses.length === 0) throw new RefusedDestinationError(`${url.hostname} has no address`);
  const refused = addresses.filter((a) => !isAllowedAddress(a.address, options));
  // One refused address refuses the name: a resolver may rotate its answers.
  if (refused.length) throw new RefusedDestinationError(`${url.hostname} resolves to a refused address`);
  const target = addresses[0]!;
  const pinned: LookupFunction = (_host, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, [target]);
    else callback(null, target.address, target.family);
  };
  const requestOptions: RequestOptions = {
    method: 'POST',
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port || (url.protocol === 'https:' ? 443 : 80),
    path: `${url.pathname}${url.search}`,
    headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    lookup: pinned,
    agent: false,
    signal: deadline,
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<PostResult>((resolve, reject) => {
    const req = send(requestOptions, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size >= options.maxBytes) return;
        chunks.push(chunk.subarray(0, options.maxBytes - size));
        size += chunk.length;
        // Enough read: the rest is not wanted, whatever the receiver meant to send.
        if (size >= options.maxBytes) res.destroy();
      });
      const done = () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      res.on('end', done);
      res.on('close', done);
      res.on('error', (error) => (size >= options.maxBytes ? done() : reject(error)));
    });
    req.on('error', reject);
    req.end(body);
  });
}
