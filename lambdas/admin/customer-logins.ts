// Customer logins in the Cognito user pool. The binding to an endpoint is the `custom:endpoint`
// attribute, which only this Lambda writes (the app client can read but not write it).
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ENDPOINT_CLAIM } from '../../contract/bucket-layout.js';
import type { PasswordPolicy } from '../../contract/password-policy.js';
import { generatePassword } from './temporary-password.js';
import type { LoginInfo, LoginStatus } from '../../contract/api/admin.js';
import { isCognitoError, isCognitoLocalUnsupported, mapCognitoError } from './cognito-errors.js';
import type { CognitoSender } from './lazy-cognito.js';

export interface LoginSettings {
  userPoolId: string;
  sendInvite: boolean;
  passwordPolicy: PasswordPolicy;
}

export interface NewLogin {
  username: string;
  email: string;
  temporaryPassword: string;
}

const KNOWN_STATUS = new Set<LoginStatus>(['FORCE_CHANGE_PASSWORD', 'CONFIRMED', 'RESET_REQUIRED', 'UNCONFIRMED', 'ARCHIVED', 'COMPROMISED', 'EXTERNAL_PROVIDER', 'UNKNOWN']);

export class CustomerLogins {
  constructor(
    private readonly cognito: CognitoSender,
    private readonly settings: LoginSettings,
  ) {}

  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw mapCognitoError(error);
    }
  }

  /**
   * The e-mail address is the Cognito username: customers sign in with it, and one address is one
   * login (409 `login_exists` otherwise). The username Cognito reports back is kept, so a pool that
   * uses e-mail as a username attribute (and hands out UUID usernames) works too.
   */
  async create(email: string, endpoint: string): Promise<NewLogin> {
    const temporaryPassword = generatePassword(this.settings.passwordPolicy);
    const result = await this.call(() =>
      this.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: this.settings.userPoolId,
          Username: email,
          TemporaryPassword: temporaryPassword,
          UserAttributes: [
            { Name: 'email', Value: email },
            // The admin vouches for the address; needed for Cognito's forgot-password flow.
            { Name: 'email_verified', Value: 'true' },
            { Name: ENDPOINT_CLAIM, Value: endpoint },
          ],
          ...(this.settings.sendInvite ? { DesiredDeliveryMediums: ['EMAIL'] } : { MessageAction: 'SUPPRESS' }),
        }),
      ),
    );
    return { username: result.User?.Username ?? email, email, temporaryPassword };
  }

  /** Missing users are not an error: removing a login is idempotent. */
  async delete(username: string): Promise<void> {
    try {
      await this.cognito.send(new AdminDeleteUserCommand({ UserPoolId: this.settings.userPoolId, Username: username }));
    } catch (error) {
      if (isCognitoError(error, 'UserNotFoundException')) return;
      throw mapCognitoError(error);
    }
  }

  /** Disabling also revokes the user's Cognito tokens; both calls are idempotent. */
  async setEnabled(username: string, enabled: boolean): Promise<void> {
    const input = { UserPoolId: this.settings.userPoolId, Username: username };
    try {
      await this.cognito.send(enabled ? new AdminEnableUserCommand(input) : new AdminDisableUserCommand(input));
    } catch (error) {
      if (isCognitoError(error, 'UserNotFoundException')) return; // nothing left to enable or disable
      throw mapCognitoError(error);
    }
  }

  /** A new temporary password; the customer must choose a new one at the next sign-in. */
  async resetPassword(username: string): Promise<string> {
    const password = generatePassword(this.settings.passwordPolicy);
    await this.call(() =>
      this.cognito.send(
        new AdminSetUserPasswordCommand({ UserPoolId: this.settings.userPoolId, Username: username, Password: password, Permanent: false }),
      ),
    );
    return password;
  }

  /**
   * Ends the login's sessions: revokes its refresh tokens (and the access tokens issued from them), so
   * a leaked refresh token dies with the old password. Called after a password reset. Returns false
   * only against cognito-local, which does not implement AdminUserGlobalSignOut (its answer is
   * recognised exactly, see cognito-errors.ts); any other failure, e.g. a role without
   * cognito-idp:AdminUserGlobalSignOut, throws.
   */
  async signOutEverywhere(username: string): Promise<boolean> {
    try {
      await this.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: this.settings.userPoolId, Username: username }));
      return true;
    } catch (error) {
      if (isCognitoLocalUnsupported(error)) return false;
      throw mapCognitoError(error);
    }
  }

  /** Status for the detail view; a login the record lists but Cognito lacks shows as MISSING. */
  async describe(username: string): Promise<LoginInfo> {
    try {
      const user = await this.cognito.send(new AdminGetUserCommand({ UserPoolId: this.settings.userPoolId, Username: username }));
      const email = user.UserAttributes?.find((a) => a.Name === 'email')?.Value ?? '';
      const status = KNOWN_STATUS.has(user.UserStatus as LoginStatus) ? (user.UserStatus as LoginStatus) : 'UNKNOWN';
      return {
        username: user.Username ?? username,
        email,
        status,
        enabled: user.Enabled ?? false,
        createdAt: user.UserCreateDate ? new Date(user.UserCreateDate).toISOString() : null,
      };
    } catch (error) {
      if (isCognitoError(error, 'UserNotFoundException')) return { username, email: '', status: 'MISSING', enabled: false, createdAt: null };
      throw mapCognitoError(error);
    }
  }
}
