// The sign-in, new-password and sign-out pages both local IdPs render.
import { errorBox, html, page, raw, type Raw } from './html.js';

export interface SignInPageInput {
  title: string;
  uid: string;
  email?: string;
  error?: string;
  hint?: string;
}

export function signInPage(input: SignInPageInput): string {
  return page(
    input.title,
    html`<h1>${input.title}</h1>${input.hint ? html`<p class="hint">${input.hint}</p>` : ''}${errorBox(input.error)}
<form method="post" action="/interaction/${input.uid}/login" novalidate>
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${input.email ?? ''}"${input.email ? '' : raw(' autofocus')}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${input.email ? raw(' autofocus') : ''}>
<button type="submit">Sign in</button>
</form>`,
  );
}

export interface NewPasswordPageInput {
  title: string;
  uid: string;
  email: string;
  rules: string[];
  error?: string;
  problems?: string[];
}

export function newPasswordPage(input: NewPasswordPageInput): string {
  return page(
    `${input.title}: new password`,
    html`<h1>Choose a new password</h1><p class="hint">First sign-in of ${input.email}: replace the temporary password.</p>${errorBox(input.error, input.problems)}
<form method="post" action="/interaction/${input.uid}/new-password" novalidate>
<input type="hidden" name="email" value="${input.email}" autocomplete="username">
<label for="new-password">New password</label>
<input id="new-password" name="newPassword" type="password" autocomplete="new-password" required autofocus aria-describedby="password-rules">
<ul class="rules" id="password-rules">${input.rules.map((rule) => html`<li>${rule}</li>`)}</ul>
<button type="submit">Set password and sign in</button>
</form>`,
  );
}

export function messagePage(title: string, message: string, link?: { href: string; text: string }): string {
  return page(title, html`<h1>${title}</h1>${errorBox(message)}${link ? html`<p><a href="${link.href}">${link.text}</a></p>` : ''}`);
}

/** oidc-provider's end-session confirmation: `form` is its own hidden form (with an xsrf token). */
export function signOutPage(title: string, form: string): Raw {
  return html`<h1>${title}</h1><p class="hint">Sign out of this identity provider?</p>${raw(form)}<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>`;
}
