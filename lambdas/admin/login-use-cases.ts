// Use cases on one endpoint's customer logins: add one, remove one, reset its password.
import { MAX_LOGINS_PER_ENDPOINT } from '../../contract/limits.js';
import { PortalError } from '../shared/errors.js';
import { endpointState, type EndpointRecord, type StoredEndpoint } from '../shared/endpoint-record.js';
import type { LoginCredentials } from '../../contract/api/admin.js';
import type { RequestContext } from './auditor.js';
import type { CustomerLogins } from './customer-logins.js';
import type { EndpointStore } from './endpoint-store.js';
import { customerPortalUrl } from './endpoint-view.js';
import type { AdminServices } from './services.js';
import { runSteps, type StepFailure } from './step-runner.js';

export type LoginServices = Pick<AdminServices, 'store' | 'logins' | 'auditor' | 'settings' | 'logger'>;

/** A login named in a path: `/endpoints/:endpoint/logins/:username`. */
export interface LoginRef {
  endpoint: string;
  username: string;
}

export async function addLogin(services: LoginServices, context: RequestContext, endpoint: string, email: string): Promise<LoginCredentials> {
  const { store, logins, auditor, settings } = services;
  const { record, etag } = await store.get(endpoint);
  if (record.logins.length >= MAX_LOGINS_PER_ENDPOINT) throw new PortalError('too_many_logins', `An endpoint has at most ${MAX_LOGINS_PER_ENDPOINT} logins`);

  return runSteps({ useCase: 'add login', logger: services.logger }, async (step) => {
    // Not listed in the record, the login could not be seen or removed from the console: any later
    // failure undoes it.
    const login = await step('create login', () => logins.create(email, endpoint), (made) => logins.delete(made.username));
    // A login added to a disabled or expired endpoint starts disabled, like its siblings.
    if (endpointState(record, context.now) !== 'active') await step('disable login', () => logins.setEnabled(login.username, false));
    await step('record login', () => store.replace({ ...record, logins: [...record.logins, login.username], updatedAt: context.now.toISOString() }, etag));
    await step('audit addition', () => auditor.afterChange(context, { action: 'login.added', endpoint, target: login.username, details: { email } }));
    return { ...login, portalUrl: customerPortalUrl(settings.portalUrl), invitationSent: settings.sendInvite };
  });
}

export async function removeLogin(services: LoginServices, context: RequestContext, ref: LoginRef): Promise<void> {
  const { store, logins, auditor } = services;
  const { record, etag } = await requireLogin(store, ref);

  const audit = auditor.destructive(context, { action: 'login.removing', endpoint: record.name, target: ref.username });
  const plan = {
    useCase: 'remove login',
    logger: services.logger,
    before: audit.intent,
    onFailure: ({ failedStep }: StepFailure) => audit.result({ action: 'login.removed', endpoint: record.name, target: ref.username, details: { incomplete: true, failedStep } }),
  };
  await runSteps(plan, async (step) => {
    // Cognito first: access ends even if the record update then loses a race (a retry finishes it).
    await step('delete login', () => logins.delete(ref.username));
    // Its sessions are cut off as well (sessionsNotBefore), should the username ever be listed again.
    await step('unlist login', () =>
      store.replace(
        { ...record, logins: record.logins.filter((u) => u !== ref.username), sessionsNotBefore: cutOff(record, ref.username, context.now), updatedAt: context.now.toISOString() },
        etag,
      ),
    );
    await step('audit removal', () => audit.result({ action: 'login.removed', endpoint: record.name, target: ref.username }));
  });
}

export async function resetPassword(services: LoginServices, context: RequestContext, ref: LoginRef): Promise<LoginCredentials> {
  const { store, logins, auditor, settings } = services;
  const { record, etag } = await requireLogin(store, ref);
  const info = await logins.describe(ref.username);
  if (info.status === 'MISSING') throw new PortalError('login_not_found', 'The login no longer exists in the user directory');
  const facts = { endpoint: record.name, target: info.username };
  // Every step changes something (the sessions cut off, the password, the refresh tokens): an intent
  // before the first, like a removal, so a reset cut short still shows in the trail.
  const audit = auditor.destructive(context, { action: 'login.password_resetting', ...facts });

  const temporaryPassword = await runSteps(
    {
      useCase: 'reset password',
      logger: services.logger,
      before: audit.intent,
      // What the steps before the failed one changed stays changed; the result says which step failed.
      onFailure: ({ failedStep }: StepFailure) => audit.result({ action: 'login.password_reset', ...facts, details: { incomplete: true, failedStep, sessionsEnded: false } }),
    },
    async (step) => {
      // First, so the sessions opened with the old password are refused (uploads Lambda, within its
      // record cache's 30 s) even if a later step fails: a session that began before now is cut off.
      await step('cut off sessions', () =>
        store.replace({ ...record, sessionsNotBefore: cutOff(record, ref.username, context.now), updatedAt: context.now.toISOString() }, etag),
      );
      const password = await step('set temporary password', () => logins.resetPassword(info.username));
      // Then end the sessions opened with the old password (after, so none opened meanwhile survives).
      const sessionsEnded = await step('end sessions', () => endSessions(logins, info.username));
      await step('audit reset', () => audit.result({ action: 'login.password_reset', ...facts, details: { sessionsEnded } }));
      return password;
    },
  );
  return { username: info.username, email: info.email, temporaryPassword, portalUrl: customerPortalUrl(settings.portalUrl), invitationSent: false };
}

/** The record's not-before times with `username`'s set to `now` (keys in lower case, as usernames compare). */
function cutOff(record: EndpointRecord, username: string, now: Date): Record<string, string> {
  return { ...record.sessionsNotBefore, [username.toLowerCase()]: now.toISOString() };
}

/** The endpoint's record, and 404 unless `username` is one of its logins (no reaching other endpoints' users). */
async function requireLogin(store: EndpointStore, ref: LoginRef): Promise<StoredEndpoint> {
  const stored = await store.get(ref.endpoint);
  if (!stored.record.logins.includes(ref.username)) throw new PortalError('login_not_found', `${ref.endpoint} has no login ${ref.username}`);
  return stored;
}

/** Whether sessions were ended (false on cognito-local); any failure is a 502 the admin can act on. */
async function endSessions(logins: CustomerLogins, username: string): Promise<boolean> {
  try {
    return await logins.signOutEverywhere(username);
  } catch (error) {
    throw new PortalError('sign_out_failed', "The password was reset, but the login's open sessions could not be ended; reset it again", { cause: error });
  }
}
