// Tells the person their session ended and how to carry on. Shown by both pages on any 401.
import { useEffect, useState } from 'preact/hooks';
import { onSessionExpired, type SessionEnd } from './api-client.js';
import { messageForApiError, SIGN_IN_AGAIN } from './error-messages.js';

/**
 * `signOutHref`: where a revoked session (password reset by an admin) is sent. Its ALB cookie still
 * opens the pages, so "sign in again" would only come back to the refused session: it signs out
 * first (ALB cookie and IdP session), and signing in then asks for the new password.
 */
export function SessionBanner({ signInHref, signOutHref }: { signInHref: string; signOutHref?: string }) {
  const [ended, setEnded] = useState<SessionEnd | null>(null);
  useEffect(() => onSessionExpired(setEnded), []);
  if (!ended) return null;
  const signOut = ended === 'revoked' && signOutHref !== undefined;
  return (
    <div class="banner banner-error" role="alert">
      <p>{signOut ? messageForApiError({ status: 401, code: 'session_revoked' }) : SIGN_IN_AGAIN}</p>
      {/* A full navigation: the ALB sends it through the sign-in page (or the sign-out) and back here. */}
      <a class="button" href={signOut ? signOutHref : signInHref}>
        {signOut ? 'Sign out' : 'Sign in again'}
      </a>
    </div>
  );
}
