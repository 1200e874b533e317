// The customers' "hosted UI": e-mail and password checked against the customer pool with
// InitiateAuth (USER_PASSWORD_AUTH), the first sign-in's NEW_PASSWORD_REQUIRED step answered with
// RespondToAuthChallenge, and the claims Cognito's userinfo releases (sub, email, username,
// custom:endpoint). cognito-local lets disabled users in, accepts any temporary password and
// enforces no password policy (design.md), so this page checks all three itself.
import { createHmac } from 'node:crypto';
import {
  AdminGetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type AdminGetUserCommandOutput,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { ENDPOINT_CLAIM } from '../../contract/bucket-layout.js';
import type { PasswordProblem } from '../../contract/password-policy.js';
import type { AccountDirectory, InteractionOutcome } from './account-directory.js';
import { newPasswordPage, signInPage } from './pages.js';

export const CUSTOMER_IDP_TITLE = 'Upload portal sign-in';

/** Cognito's userinfo claims by scope; `custom:endpoint` binds the login to its folder. */
export const CUSTOMER_CLAIMS: Record<string, string[]> = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: ['username', ENDPOINT_CLAIM],
};

export interface CustomerDirectoryOptions {
  cognito: CognitoIdentityProviderClient;
  userPoolId: string;
  /** The pool's app client (the one the ALB's authenticate-cognito action uses). */
  clientId: string;
  clientSecret?: string;
  checkPassword: (password: string) => PasswordProblem[];
  /** The policy in words, shown under the New password field. */
  passwordRules: string[];
  /**
   * cognito-local answers ANY password for a user awaiting a new password with the challenge; with
   * it running locally, the temporary password is checked against its store. Undefined for a real
   * Cognito, which checks it itself.
   */
  verifyTemporaryPassword?: (username: string, password: string) => Promise<boolean>;
  /** Pending new-password challenges expire with the Cognito session (3 minutes there). */
  challengeTtlMs?: number;
  now?: () => number;
}

interface PendingChallenge {
  username: string;
  email: string;
  session: string;
  expiresAt: number;
}

const WRONG_CREDENTIALS = 'Incorrect email or password.';
const DISABLED = 'This login is disabled. Ask the person who gave it to you.';
const REFUSED = new Set(['NotAuthorizedException', 'UserNotFoundException', 'InvalidPasswordException', 'UserNotConfirmedException']);

const attribute = (user: AdminGetUserCommandOutput, name: string): string | undefined => user.UserAttributes?.find((a) => a.Name === name)?.Value;

export function createCustomerDirectory(options: CustomerDirectoryOptions): AccountDirectory {
  const pending = new Map<string, PendingChallenge>();
  const now = options.now ?? Date.now;
  const ttl = options.challengeTtlMs ?? 3 * 60_000;
  const title = CUSTOMER_IDP_TITLE;

  const secretHash = (username: string): Record<string, string> =>
    options.clientSecret ? { SECRET_HASH: createHmac('sha256', options.clientSecret).update(username + options.clientId).digest('base64') } : {};

  async function getUser(username: string): Promise<AdminGetUserCommandOutput | undefined> {
    try {
      return await options.cognito.send(new AdminGetUserCommand({ UserPoolId: options.userPoolId, Username: username }));
    } catch (error) {
      if ((error as Error).name === 'UserNotFoundException') return undefined;
      throw error;
    }
  }

  const signIn = (uid: string, status: number, email?: string, error?: string): InteractionOutcome => ({
    kind: 'page',
    status,
    html: signInPage({ title, uid, email, error, hint: 'Sign in with the e-mail address and password you were given.' }),
  });

  const newPassword = (uid: string, status: number, challenge: PendingChallenge, error?: string, problems?: PasswordProblem[]): InteractionOutcome => ({
    kind: 'page',
    status,
    html: newPasswordPage({ title, uid, email: challenge.email, rules: options.passwordRules, error, problems: problems?.map((p) => p.message) }),
  });

  async function initiate(email: string, password: string) {
    const attempt = (username: string) =>
      options.cognito.send(
        new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: options.clientId, AuthParameters: { USERNAME: username, PASSWORD: password, ...secretHash(username) } }),
      );
    try {
      return { username: email, result: await attempt(email) };
    } catch (error) {
      // The pool's e-mail sign-in is case-insensitive (CaseSensitive: false); cognito-local matches exactly.
      const lower = email.toLowerCase();
      if (email === lower || !REFUSED.has((error as Error).name)) throw error;
      return { username: lower, result: await attempt(lower) };
    }
  }

  async function login(uid: string, form: Record<string, string>): Promise<InteractionOutcome> {
    const email = (form.email ?? '').trim();
    const password = form.password ?? '';
    if (!email || !password) return signIn(uid, 400, email, 'Enter your email and password.');
    let result;
    let signInName: string;
    try {
      ({ username: signInName, result } = await initiate(email, password));
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'PasswordResetRequiredException') return signIn(uid, 401, email, 'This password was reset. Ask for a new temporary password.');
      if (REFUSED.has(name)) return signIn(uid, 401, email, WRONG_CREDENTIALS);
      throw error;
    }
    const challengeUser = result.ChallengeName === 'NEW_PASSWORD_REQUIRED' ? result.ChallengeParameters?.USER_ID_FOR_SRP : undefined;
    if (result.ChallengeName && !challengeUser) return signIn(uid, 401, email, `Sign-in step ${result.ChallengeName} is not supported by the local portal.`);
    const user = await getUser(challengeUser ?? signInName);
    if (!user?.Username) return signIn(uid, 401, email, WRONG_CREDENTIALS);
    if (challengeUser && options.verifyTemporaryPassword && !(await options.verifyTemporaryPassword(user.Username, password))) {
      return signIn(uid, 401, email, WRONG_CREDENTIALS);
    }
    // Only after the password proved right, so the message tells a stranger nothing.
    if (user.Enabled === false) return signIn(uid, 403, email, DISABLED);
    if (!challengeUser) return { kind: 'signed-in', accountId: user.Username };
    const challenge: PendingChallenge = { username: user.Username, email, session: result.Session ?? '', expiresAt: now() + ttl };
    pending.set(uid, challenge);
    return newPassword(uid, 200, challenge);
  }

  async function setNewPassword(uid: string, form: Record<string, string>): Promise<InteractionOutcome> {
    const challenge = pending.get(uid);
    if (!challenge || challenge.expiresAt <= now()) {
      pending.delete(uid);
      return signIn(uid, 400, form.email, 'That took too long. Sign in again with your temporary password.');
    }
    const password = form.newPassword ?? '';
    const problems = options.checkPassword(password);
    if (problems.length) return newPassword(uid, 400, challenge, 'That password is not allowed:', problems);
    const user = await getUser(challenge.username);
    if (!user) return signIn(uid, 401, challenge.email, WRONG_CREDENTIALS);
    if (user.Enabled === false) return signIn(uid, 403, challenge.email, DISABLED);
    try {
      await options.cognito.send(
        new RespondToAuthChallengeCommand({
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          ClientId: options.clientId,
          Session: challenge.session,
          ChallengeResponses: { USERNAME: challenge.username, NEW_PASSWORD: password, ...secretHash(challenge.username) },
        }),
      );
    } catch (error) {
      // A real pool may still refuse it (its policy, or a password used before).
      if ((error as Error).name === 'InvalidPasswordException') return newPassword(uid, 400, challenge, (error as Error).message);
      if ((error as Error).name === 'NotAuthorizedException' || (error as Error).name === 'CodeMismatchException') {
        pending.delete(uid);
        return signIn(uid, 401, challenge.email, 'That took too long. Sign in again with your temporary password.');
      }
      throw error;
    }
    pending.delete(uid);
    return { kind: 'signed-in', accountId: challenge.username };
  }

  return {
    async interaction({ uid, step, method, form }) {
      for (const [key, value] of pending) if (value.expiresAt <= now()) pending.delete(key);
      if (method === 'POST' && step === 'login') return login(uid, form);
      if (method === 'POST' && step === 'new-password') return setNewPassword(uid, form);
      return signIn(uid, 200);
    },
    async claims(accountId) {
      const user = await getUser(accountId);
      if (!user?.Username || user.Enabled === false) return undefined;
      const claims: Record<string, unknown> = {
        sub: attribute(user, 'sub') ?? user.Username,
        email: attribute(user, 'email'),
        email_verified: attribute(user, 'email_verified') === 'true',
        username: user.Username,
      };
      const endpoint = attribute(user, ENDPOINT_CLAIM);
      if (endpoint) claims[ENDPOINT_CLAIM] = endpoint;
      return claims;
    },
    forget(uid) {
      pending.delete(uid);
    },
  };
}
