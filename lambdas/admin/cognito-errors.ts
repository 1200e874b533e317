// Cognito's exceptions as portal errors: stable codes, no pool ids or internal names in messages.
import { PortalError } from '../shared/errors.js';

const MAPPED: Record<string, () => PortalError> = {
  UsernameExistsException: () => new PortalError('login_exists', 'A login with this e-mail address already exists'),
  AliasExistsException: () => new PortalError('login_exists', 'A login with this e-mail address already exists'),
  UserNotFoundException: () => new PortalError('login_not_found', 'No such login'),
  InvalidPasswordException: () => new PortalError('invalid_password', 'The password does not meet the user pool policy'),
  InvalidParameterException: () => new PortalError('invalid_login_parameter', 'The user directory refused the request'),
  TooManyRequestsException: () => new PortalError('directory_busy', 'The user directory is busy; try again shortly'),
  LimitExceededException: () => new PortalError('directory_busy', 'The user directory is busy; try again shortly'),
  CodeDeliveryFailureException: () => new PortalError('invitation_failed', 'The invitation e-mail could not be sent'),
};

/** Known exceptions become exposed PortalErrors; anything else (IAM, pool missing) stays a hidden 500. */
export function mapCognitoError(error: unknown): unknown {
  const name = (error as { name?: string } | null)?.name ?? '';
  const make = MAPPED[name];
  return make ? Object.assign(make(), { cause: error }) : error;
}

export const isCognitoError = (error: unknown, name: string): boolean => (error as { name?: string } | null)?.name === name;

/**
 * cognito-local's answer to an API it does not implement: HTTP 500 with `__type: "CognitoLocal#Unsupported"`
 * (the SDK names the error `Unsupported`) and a message starting "Cognito Local unsupported feature".
 * Amazon Cognito never answers so, so a check that passes here cannot hide a real Cognito failure.
 */
export function isCognitoLocalUnsupported(error: unknown): boolean {
  const e = error as { name?: string; message?: string } | null;
  return e?.name === 'Unsupported' && typeof e.message === 'string' && e.message.startsWith('Cognito Local unsupported feature');
}
