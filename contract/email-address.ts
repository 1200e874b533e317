// The e-mail address rule of the admin API and the console: a customer's login address and the
// recipients of an endpoint's notifications, checked the same way in the page and in the admin Lambda.
// Deliberately plain: one `@`, a local part without spaces, quotes, brackets or the separators people
// paste lists with, and a DNS domain with at least one dot. It catches typos and keeps a line break
// (a header injection) out of Cognito and SES calls; whether mail arrives is for Cognito and SES to find.

/** RFC 5321 limits a path to 256 characters, two of them the angle brackets. */
export const EMAIL_ADDRESS_MAX_CHARS = 254;

const EMAIL_ADDRESS = /^[^\s@"'<>(),;:\\]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+$/;

/**
 * The address as stored: trimmed and lower-cased, so that one address always maps to the same Cognito
 * login and recipients compare equal; null when the value is not an address.
 */
export function normaliseEmailAddress(value: unknown): string | null {
  const address = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return address.length > 0 && address.length <= EMAIL_ADDRESS_MAX_CHARS && EMAIL_ADDRESS.test(address) ? address : null;
}

export const isEmailAddress = (value: unknown): boolean => normaliseEmailAddress(value) !== null;
