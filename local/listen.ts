// Starting and stopping the local HTTP servers: listen first (port 0 = ephemeral) to learn the real
// port, and close without waiting for browsers' idle keep-alive connections.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The address every local server binds to: loopback only, nothing is reachable from the network. */
export const BIND_HOST = '127.0.0.1';

export function listen(server: Server, port: number, host = BIND_HOST): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    // Idle keep-alive sockets would hold close() open for minutes.
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 500).unref();
  });
}

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * A server that can listen before it knows what to serve: with port 0 a URL (the portal's origin,
 * an IdP's issuer) is only known after listening, and the handlers need it to be built.
 */
export function createDeferredServer(): { server: Server; serve(listener: RequestListener): void } {
  let listener: RequestListener | undefined;
  const server = createServer((req, res) => {
    if (!listener) {
      res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' }).end('Starting');
      return;
    }
    void listener(req, res);
  });
  return { server, serve: (l) => (listener = l) };
}
