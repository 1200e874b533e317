// The admin IdP's accounts: one dev admin (LOCAL_ADMIN_EMAIL / LOCAL_ADMIN_PASSWORD), standing in for
// the company's own IdP (Entra ID and the like), which releases sub, email and name.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AccountDirectory } from './account-directory.js';
import { signInPage } from './pages.js';

export interface AdminAccount {
  email: string;
  password: string;
  name?: string;
}

export const ADMIN_IDP_TITLE = 'Company sign-in (local)';

/** The claims the company IdP releases per scope; the admin Lambda reads sub, email and name. */
export const ADMIN_CLAIMS: Record<string, string[]> = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: ['name'],
};

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Compares hashes so the time taken says nothing about where the strings differ. */
const sameSecret = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

/** A stable subject for an e-mail address, so a restart keeps the same admin identity in audit logs. */
export function adminSubject(email: string): string {
  const hex = digest(`local-admin:${email.toLowerCase()}`).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function createAdminDirectory(account: AdminAccount): AccountDirectory {
  const subject = adminSubject(account.email);
  return {
    async interaction({ uid, step, method, form }) {
      if (method !== 'POST' || step !== 'login') return { kind: 'page', status: 200, html: signInPage({ title: ADMIN_IDP_TITLE, uid }) };
      const email = (form.email ?? '').trim();
      const ok = sameSecret(email.toLowerCase(), account.email.toLowerCase()) && sameSecret(form.password ?? '', account.password);
      if (!ok) return { kind: 'page', status: 401, html: signInPage({ title: ADMIN_IDP_TITLE, uid, email, error: 'Incorrect email or password.' }) };
      return { kind: 'signed-in', accountId: subject };
    },
    async claims(accountId) {
      if (accountId !== subject) return undefined;
      return { sub: subject, email: account.email, email_verified: true, name: account.name ?? 'Local Admin' };
    },
  };
}
