// What an IdP's account side provides to the generic provider (idp-server.ts): the sign-in pages of
// an interaction, and the claims of an account.

export interface InteractionInput {
  uid: string;
  /** '' for the first page; 'login' / 'new-password' for the form posts. */
  step: string;
  method: string;
  form: Record<string, string>;
}

export type InteractionOutcome = { kind: 'page'; status: number; html: string } | { kind: 'signed-in'; accountId: string };

export interface AccountDirectory {
  interaction(input: InteractionInput): Promise<InteractionOutcome>;
  /** The account's claims for the id token and userinfo; undefined once it is gone or disabled. */
  claims(accountId: string): Promise<Record<string, unknown> | undefined>;
  /** Forget per-interaction state (called when an interaction ends). */
  forget?(uid: string): void;
}
