// How long a presigned link may live. S3 caps SigV4 presigned URLs at 7 days, and a URL dies with
// the credentials that signed it: in Lambda those are the role's temporary credentials, so a
// "7-day" link would really stop working within hours. Pure; the caller supplies the credentials.
import { SIGV4_MAX_EXPIRES_SECONDS } from '../../contract/limits.js';

/** Keep clear of the credentials' expiry: clocks drift, and the URL is used after it is made. */
export const CREDENTIAL_MARGIN_SECONDS = 60;
/**
 * Temporary credentials whose expiry the SDK cannot see (Lambda's environment credentials carry no
 * expiry unless AWS_CREDENTIAL_EXPIRATION is set): assume no more than this is left.
 */
export const UNKNOWN_EXPIRY_SECONDS = 3600;

export interface SigningCredentials {
  sessionToken?: string;
  expiration?: Date;
}

export interface LinkLifetime {
  seconds: number;
  expiresAt: Date;
  capped: boolean;
  cappedBy: 'max_lifetime' | 'credentials' | null;
  reason: string | null;
}

export class CredentialsExpiringError extends Error {
  override readonly name = 'CredentialsExpiringError';
}

export function planLinkLifetime(requestedSeconds: number, now: Date, credentials: SigningCredentials): LinkLifetime {
  let limit = SIGV4_MAX_EXPIRES_SECONDS;
  let cappedBy: LinkLifetime['cappedBy'] = 'max_lifetime';
  let reason = `S3 presigned links last at most ${SIGV4_MAX_EXPIRES_SECONDS / 86_400} days`;
  if (credentials.expiration) {
    const left = Math.floor((credentials.expiration.getTime() - now.getTime()) / 1000) - CREDENTIAL_MARGIN_SECONDS;
    if (left < limit) {
      limit = left;
      cappedBy = 'credentials';
      reason = `The link is signed with the portal's temporary AWS credentials, which expire at ${credentials.expiration.toISOString()}`;
    }
  } else if (credentials.sessionToken) {
    limit = UNKNOWN_EXPIRY_SECONDS;
    cappedBy = 'credentials';
    reason = `The link is signed with the portal's temporary AWS credentials, whose expiry is not known; links are limited to ${UNKNOWN_EXPIRY_SECONDS / 3600} hour(s)`;
  }
  if (limit < 1) throw new CredentialsExpiringError('The signing credentials are about to expire');
  const seconds = Math.min(requestedSeconds, limit);
  const capped = requestedSeconds > limit;
  return {
    seconds,
    expiresAt: new Date(now.getTime() + seconds * 1000),
    capped,
    cappedBy: capped ? cappedBy : null,
    reason: capped ? reason : null,
  };
}
