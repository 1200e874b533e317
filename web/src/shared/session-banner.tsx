// Tells the person their session ended and how to carry on. Shown by both pages on any 401.
import { useEffect, useState } from 'preact/hooks';
import { onSessionExpired } from './api-client.js';
import { SIGN_IN_AGAIN } from './error-messages.js';

export function SessionBanner({ signInHref }: { signInHref: string }) {
  const [expired, setExpired] = useState(false);
  useEffect(() => onSessionExpired(() => setExpired(true)), []);
  if (!expired) return null;
  return (
    <div class="banner banner-error" role="alert">
      <p>{SIGN_IN_AGAIN}</p>
      {/* A full navigation: the ALB sends it through the sign-in page and back here. */}
      <a class="button" href={signInHref}>
        Sign in again
      </a>
    </div>
  );
}
