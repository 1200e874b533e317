// Where the Lambdas may fetch public keys from. aws-jwt-verify's default fetcher speaks https only,
// which is what AWS serves (the ALB's key endpoint, Cognito's JWKS); the local portal serves its keys
// over plain http on loopback, so a plain-http URL is accepted there and nowhere else.
import type { Fetcher } from 'aws-jwt-verify/https';

const LOOPBACK_HTTP = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/;

/**
 * The fetcher for keys at `url`: undefined for https (keep the library's default), a plain fetch for
 * http on loopback; any other URL is a configuration error, thrown at start-up. `what` names the
 * setting in that error.
 */
export function keyFetcherFor(url: string, what: string): Fetcher | undefined {
  if (url.startsWith('https://')) return undefined;
  if (!LOOPBACK_HTTP.test(url)) throw new Error(`${what} must be https (plain http only on loopback)`);
  return {
    fetch: async (uri: string) => {
      const response = await fetch(uri);
      if (!response.ok) throw new Error(`Key fetch failed with ${response.status}`);
      return response.arrayBuffer();
    },
  };
}
