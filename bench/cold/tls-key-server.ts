// An https copy of the test ALB key server, so the cold-start children verify tokens the way they do
// in AWS. Over plain http, lambdas/shared/identity.ts must use its loopback fetcher (global fetch),
// and loading undici for it costs a cold process about 50 ms that production never pays; over https
// aws-jwt-verify's own node:https fetcher runs, TLS handshake included. The certificate is a
// throw-away self-signed one for 127.0.0.1, trusted by the children through NODE_EXTRA_CA_CERTS.
// Needs the `openssl` command; without it the caller falls back to http.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface TlsKeyServer {
  url: string;
  /** PEM file to pass as NODE_EXTRA_CA_CERTS. */
  caFile: string;
  close(): Promise<void>;
}

export async function startTlsKeyServer(dir: string, keys: ReadonlyMap<string, string>): Promise<TlsKeyServer> {
  const keyFile = join(dir, 'key-server.key');
  const caFile = join(dir, 'key-server.crt');
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', caFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
  ]);
  const server = createServer({ key: await readFile(keyFile), cert: await readFile(caFile) }, (request, response) => {
    const pem = keys.get(decodeURIComponent((request.url ?? '').slice(1)));
    if (pem) response.writeHead(200, { 'content-type': 'text/plain' }).end(pem);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    caFile,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
