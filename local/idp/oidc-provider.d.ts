// oidc-provider 9 ships no type declarations: this covers the part of its API the local IdPs use.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    params: Record<string, unknown>;
    session?: { accountId?: string };
    returnTo: string;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string, claims?: unknown, rejected?: string[]): Promise<Record<string, unknown>>;
  }

  export interface GrantInstance {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    save(): Promise<string>;
  }

  export interface GrantModel {
    new (properties: { accountId: string; clientId: string }): GrantInstance;
    find(id: string): Promise<GrantInstance | undefined>;
  }

  export interface SessionInstance {
    accountId?: string;
    destroy(): Promise<void>;
    grantIdFor(clientId: string): string | undefined;
  }

  /** An access token as stored (opaque format): who, for which client, and `extraTokenClaims`' claims. */
  export interface AccessTokenInstance {
    jti: string;
    accountId?: string;
    clientId: string;
    scope?: string;
    iat: number;
    exp: number;
    extra?: Record<string, unknown>;
  }

  /** The Koa context oidc-provider passes to configuration callbacks and middleware (only what we touch). */
  export interface ProviderContext {
    oidc: {
      client?: { clientId: string; clientName?: string };
      session: SessionInstance;
      result?: { consent?: { grantId?: string } };
      provider: Provider;
      /** The models the current request has loaded (the token endpoint: the code or refresh token it redeems). */
      entities: { AuthorizationCode?: { authTime?: number }; RefreshToken?: { authTime?: number } };
    };
    req: IncomingMessage;
    res: ServerResponse;
    host: string;
    path: string;
    body: unknown;
    type: string;
    status: number;
    get(name: string): string;
    set(name: string, value: string): void;
  }

  /** Koa middleware added with `provider.use`: runs around every provider route. */
  export type ProviderMiddleware = (ctx: ProviderContext, next: () => Promise<void>) => Promise<void>;

  export interface AdapterPayload extends Record<string, unknown> {
    uid?: string;
    userCode?: string;
    grantId?: string;
    consumed?: number;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export type Configuration = Record<string, unknown>;

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
    Grant: GrantModel;
    Session: { get(ctx: { req: IncomingMessage; res: ServerResponse }): Promise<SessionInstance> };
    AccessToken: { find(value: string): Promise<AccessTokenInstance | undefined> };
    use(middleware: ProviderMiddleware): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
}
