// The customer pool's password rules, as pure code: the stack configures the pool with them, the admin
// API generates temporary passwords that meet them, and the local sign-in page checks new passwords
// with the same function (cognito-local does not enforce the pool's policy itself).

/** Mirrors Cognito's PasswordPolicyType. */
export interface PasswordPolicy {
  minLength: number;
  requireUppercase: boolean;
  requireLowercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
}

/** What the stack configures on the customer pool (cdk-nag COG1 wants all four classes set explicitly). */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minLength: 12,
  requireUppercase: true,
  requireLowercase: true,
  requireNumbers: true,
  requireSymbols: true,
};

/** How long a temporary password from the admin console stays valid, unless the deployment says otherwise. */
export const TEMPORARY_PASSWORD_VALIDITY_DAYS = 7;

/** Cognito counts these as special characters (plus a space that is neither first nor last). */
export const COGNITO_SYMBOLS = '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+-';

/** Cognito refuses passwords longer than this. */
export const COGNITO_MAX_PASSWORD_LENGTH = 256;

export type PasswordProblemCode = 'too_short' | 'too_long' | 'no_uppercase' | 'no_lowercase' | 'no_number' | 'no_symbol' | 'edge_whitespace';

export interface PasswordProblem {
  code: PasswordProblemCode;
  message: string;
}

const hasSymbol = (password: string): boolean =>
  [...password].some((ch, i) => COGNITO_SYMBOLS.includes(ch) || (ch === ' ' && i > 0 && i < password.length - 1));

/** Every way `password` breaks `policy`; empty when it is acceptable. Cognito's classes are ASCII only. */
export function checkPassword(password: string, policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  if ([...password].length < policy.minLength) problems.push({ code: 'too_short', message: `Use at least ${policy.minLength} characters` });
  if ([...password].length > COGNITO_MAX_PASSWORD_LENGTH) problems.push({ code: 'too_long', message: `Use at most ${COGNITO_MAX_PASSWORD_LENGTH} characters` });
  if (policy.requireUppercase && !/[A-Z]/.test(password)) problems.push({ code: 'no_uppercase', message: 'Include an upper-case letter (A-Z)' });
  if (policy.requireLowercase && !/[a-z]/.test(password)) problems.push({ code: 'no_lowercase', message: 'Include a lower-case letter (a-z)' });
  if (policy.requireNumbers && !/[0-9]/.test(password)) problems.push({ code: 'no_number', message: 'Include a digit (0-9)' });
  if (policy.requireSymbols && !hasSymbol(password)) problems.push({ code: 'no_symbol', message: 'Include a symbol such as ! # % * + - = ? @ ^ _ ~' });
  if (/^\s|\s$/.test(password)) problems.push({ code: 'edge_whitespace', message: 'Do not start or end with a space' });
  return problems;
}
