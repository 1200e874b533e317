// Stands in for https://public-keys.auth.elb.<region>.amazonaws.com: `GET /<kid>` returns the PEM
// public key of the gateway's signing key. Served on its own loopback port; ALB_KEYS_URL points here.
import { createServer, type Server } from 'node:http';

export function createKeyServer(keys: ReadonlyMap<string, string>): Server {
  return createServer((req, res) => {
    const kid = decodeURIComponent((req.url ?? '/').split('?')[0]!.slice(1));
    const pem = req.method === 'GET' ? keys.get(kid) : undefined;
    if (!pem) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-pem-file', 'cache-control': 'max-age=3600' }).end(pem);
  });
}
