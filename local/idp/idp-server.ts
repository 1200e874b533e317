// One local OpenID provider (oidc-provider 9) with its own sign-in pages: the admin IdP and the
// customers' "hosted UI" differ only in their AccountDirectory, client and claims.
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { type ProviderContext } from 'oidc-provider';
import type { RequestListener } from '../listen.js';
import type { AccountDirectory } from './account-directory.js';
import { COGNITO_ROUTES, createCognitoAccessTokens } from './cognito-access-tokens.js';
import { readForm } from './form-body.js';
import { page, securityHeaders, sendHtml, STYLESHEET, STYLESHEET_PATH } from './html.js';
import type { IdpKeys } from './idp-keys.js';
import { createMemoryAdapterFactory } from './memory-adapter.js';
import { messagePage, signOutPage } from './pages.js';

export interface IdpClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
}

export interface IdpOptions {
  /** e.g. http://localhost:3002 (no trailing slash): the `iss` of its tokens. */
  issuer: string;
  title: string;
  client: IdpClient;
  directory: AccountDirectory;
  /** Scope -> the claims it releases (userinfo and, here, the id token too). */
  claims: Record<string, string[]>;
  keys: IdpKeys;
  /** Both IdPs share a host name with the portal, and cookies ignore ports: names must differ. */
  cookiePrefix: string;
  /** Where the sign-in and sign-out forms may lead (CSP form-action). */
  portalOrigin: string;
  /** Routes handled before the provider's own (e.g. a Cognito-style /logout); true when handled. */
  extraRoutes?: (req: IncomingMessage, res: ServerResponse, provider: Provider) => Promise<boolean>;
  accessTokenTtlSeconds?: number;
  /**
   * Access tokens as Cognito issues them (JWTs with auth_time, keys at /.well-known/jwks.json; see
   * cognito-access-tokens.ts) instead of oidc-provider's opaque ones. @default false
   */
  cognitoAccessTokens?: boolean;
}

export interface LocalIdp {
  provider: Provider;
  listener: RequestListener;
}

const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/([a-z-]+))?$/;

export function createIdp(options: IdpOptions): LocalIdp {
  const headers = securityHeaders(options.portalOrigin);
  const scopes = Object.keys(options.claims);
  const cognito = options.cognitoAccessTokens ? createCognitoAccessTokens(options.issuer, options.keys) : undefined;
  const provider = new Provider(options.issuer, {
    ...(cognito ? { routes: COGNITO_ROUTES, extraTokenClaims: cognito.extraTokenClaims } : {}),
    adapter: createMemoryAdapterFactory(),
    clients: [
      {
        client_id: options.client.clientId,
        client_secret: options.client.clientSecret,
        client_name: options.title,
        redirect_uris: options.client.redirectUris,
        post_logout_redirect_uris: options.client.postLogoutRedirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: options.claims,
    scopes,
    // The ALB reads claims from userinfo; Cognito also puts them in the id token, so do we.
    conformIdTokenClaims: false,
    cookies: {
      keys: options.keys.cookieKeys,
      names: { session: `${options.cookiePrefix}_session`, interaction: `${options.cookiePrefix}_interaction`, resume: `${options.cookiePrefix}_resume` },
    },
    jwks: { keys: options.keys.jwks },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: ProviderContext, form: string) => {
          for (const [name, value] of Object.entries(headers)) ctx.set(name, value);
          ctx.type = 'html';
          ctx.body = page(`${options.title}: sign out`, signOutPage(options.title, form));
        },
        postLogoutSuccessSource: async (ctx: ProviderContext) => {
          for (const [name, value] of Object.entries(headers)) ctx.set(name, value);
          ctx.type = 'html';
          ctx.body = messagePage('Signed out', `You are signed out of ${options.title}.`);
        },
      },
    },
    findAccount: async (_ctx: ProviderContext, accountId: string) => {
      const claims = await options.directory.claims(accountId);
      return claims ? { accountId, claims: async () => ({ ...claims, sub: accountId }) } : undefined;
    },
    interactions: { url: async (_ctx: ProviderContext, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    // First-party clients: consent is implied, as with Cognito's hosted UI and an ALB.
    loadExistingGrant: async (ctx: ProviderContext) => {
      const { client, session, provider: p } = ctx.oidc;
      if (!client || !session.accountId) return undefined;
      const existing = session.grantIdFor(client.clientId);
      if (existing) {
        const grant = await p.Grant.find(existing);
        if (grant) return grant;
      }
      const grant = new p.Grant({ accountId: session.accountId, clientId: client.clientId });
      grant.addOIDCScope(scopes.join(' '));
      await grant.save();
      return grant;
    },
    renderError: async (ctx: ProviderContext, out: Record<string, string>) => {
      for (const [name, value] of Object.entries(headers)) ctx.set(name, value);
      ctx.type = 'html';
      ctx.body = messagePage('Sign-in problem', out.error_description ?? out.error ?? 'Something went wrong', { href: options.portalOrigin, text: 'Back to the portal' });
    },
    ttl: {
      AccessToken: options.accessTokenTtlSeconds ?? 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
    },
  });

  if (cognito) provider.use(cognito.middleware);
  const providerCallback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, step: string): Promise<void> {
    let details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      // Cookie gone (expired, other browser, IdP restarted): start again from the portal.
      sendHtml(res, 400, messagePage('Sign-in expired', 'This sign-in page has expired. Go back to the portal and sign in again.', { href: options.portalOrigin, text: 'Back to the portal' }), headers);
      return;
    }
    if (details.uid !== uid) {
      sendHtml(res, 400, messagePage('Sign-in expired', 'This sign-in page does not belong to the current sign-in.', { href: options.portalOrigin, text: 'Back to the portal' }), headers);
      return;
    }
    if (details.prompt.name !== 'login') {
      // Consent is implied (loadExistingGrant); any other prompt has nothing to show.
      await provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
      return;
    }
    const form = req.method === 'POST' ? await readForm(req) : {};
    if (!form) {
      sendHtml(res, 400, messagePage('Bad request', 'The form could not be read.'), headers);
      return;
    }
    const outcome = await options.directory.interaction({ uid, step: step ?? '', method: req.method ?? 'GET', form });
    if (outcome.kind === 'page') {
      sendHtml(res, outcome.status, outcome.html, headers);
      return;
    }
    options.directory.forget?.(uid);
    await provider.interactionFinished(req, res, { login: { accountId: outcome.accountId } }, { mergeWithLastSubmission: false });
  }

  const listener: RequestListener = async (req, res) => {
    try {
      const path = (req.url ?? '/').split('?')[0]!;
      if (path === STYLESHEET_PATH) {
        res.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=3600' }).end(STYLESHEET);
        return;
      }
      const match = INTERACTION_PATH.exec(path);
      if (match && (req.method === 'GET' || req.method === 'POST')) return await interaction(req, res, match[1]!, match[2] ?? '');
      if (options.extraRoutes && (await options.extraRoutes(req, res, provider))) return;
      providerCallback(req, res);
    } catch (error) {
      console.error(`[${options.title}] request failed:`, error);
      if (!res.headersSent) sendHtml(res, 500, messagePage('Sign-in problem', 'Something went wrong. Try again.'), headers);
      else res.destroy();
    }
  };
  return { provider, listener };
}
