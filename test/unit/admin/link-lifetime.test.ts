import { describe, expect, it } from 'vitest';
import { SIGV4_MAX_EXPIRES_SECONDS } from '../../../contract/limits.js';
import { CredentialsExpiringError, planLinkLifetime, UNKNOWN_EXPIRY_SECONDS } from '../../../lambdas/admin/link-lifetime.js';

const now = new Date('2026-11-25T12:00:00Z');
const inHours = (h: number) => new Date(now.getTime() + h * 3600_000);

describe('planLinkLifetime', () => {
  it('grants the request when nothing limits it (long-lived keys, e.g. local)', () => {
    expect(planLinkLifetime(3600, now, {})).toEqual({ seconds: 3600, expiresAt: inHours(1), capped: false, cappedBy: null, reason: null });
  });

  it('grants exactly 7 days without calling it capped', () => {
    expect(planLinkLifetime(SIGV4_MAX_EXPIRES_SECONDS, now, {}).capped).toBe(false);
  });

  it('caps at 7 days and says so', () => {
    const plan = planLinkLifetime(SIGV4_MAX_EXPIRES_SECONDS + 1, now, {});
    expect(plan).toMatchObject({ seconds: SIGV4_MAX_EXPIRES_SECONDS, capped: true, cappedBy: 'max_lifetime' });
    expect(plan.reason).toMatch(/7 days/);
  });

  it("caps at the signing credentials' expiry minus a minute (Lambda role credentials)", () => {
    const plan = planLinkLifetime(7 * 24 * 3600, now, { sessionToken: 't', expiration: inHours(6) });
    expect(plan.seconds).toBe(6 * 3600 - 60);
    expect(plan.expiresAt).toEqual(new Date(inHours(6).getTime() - 60_000));
    expect(plan).toMatchObject({ capped: true, cappedBy: 'credentials' });
    expect(plan.reason).toContain('2026-11-25T18:00:00.000Z');
  });

  it('is not capped when the request fits inside the credentials', () => {
    expect(planLinkLifetime(900, now, { sessionToken: 't', expiration: inHours(6) })).toMatchObject({ seconds: 900, capped: false });
  });

  it('assumes one hour for temporary credentials with an unknown expiry', () => {
    const plan = planLinkLifetime(86_400, now, { sessionToken: 't' });
    expect(plan).toMatchObject({ seconds: UNKNOWN_EXPIRY_SECONDS, capped: true, cappedBy: 'credentials' });
  });

  it('refuses to sign with credentials about to expire', () => {
    expect(() => planLinkLifetime(900, now, { sessionToken: 't', expiration: new Date(now.getTime() + 30_000) })).toThrow(CredentialsExpiringError);
  });
});
