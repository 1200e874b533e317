// Cognito's hosted-UI `GET /logout?client_id=...&logout_uri=...`: ends the IdP session at once (no
// confirmation page, unlike OIDC end_session) and returns to logout_uri, which must be one of the
// client's sign-out URLs. The web Lambda's CUSTOMER_LOGOUT_URL points here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { sendHtml } from './html.js';
import type { IdpClient } from './idp-server.js';
import { messagePage } from './pages.js';

export const COGNITO_LOGOUT_PATH = '/logout';

export function cognitoLogoutUrl(issuer: string, clientId: string, logoutUri: string): string {
  const url = new URL(COGNITO_LOGOUT_PATH, issuer);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('logout_uri', logoutUri);
  return url.href;
}

export function createCognitoLogout(client: IdpClient, headers: Record<string, string>) {
  return async (req: IncomingMessage, res: ServerResponse, provider: Provider): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://idp.invalid');
    if (url.pathname !== COGNITO_LOGOUT_PATH || req.method !== 'GET') return false;
    const logoutUri = url.searchParams.get('logout_uri') ?? '';
    if (url.searchParams.get('client_id') !== client.clientId || !client.postLogoutRedirectUris.includes(logoutUri)) {
      sendHtml(res, 400, messagePage('Sign-out problem', 'Unknown client or sign-out address.'), headers);
      return true;
    }
    const session = await provider.Session.get({ req, res });
    if (session.accountId) await session.destroy();
    res.writeHead(302, { location: logoutUri, 'cache-control': 'no-store', 'content-length': 0 }).end();
    return true;
  };
}
