// The login use cases step by step: what each failing step leaves behind, undoes and audits.
import { describe, expect, it } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  InvalidPasswordException,
  NotAuthorizedException,
  TooManyRequestsException,
  UsernameExistsException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { MAX_LOGINS_PER_ENDPOINT } from '../../../contract/limits.js';
import { addLogin, removeLogin, resetPassword } from '../../../lambdas/admin/login-use-cases.js';
import { auditEvents, CONTEXT, existingRecord, expectIntentThenResult, inputsOf, makeRecord, POOL, recordChangedMeanwhile, recordWrites, s3Error, useCaseHarness, type UseCaseHarness } from './harness.js';

const BOB = { endpoint: 'acme', username: 'bob@acme.example' };
/** Where the audit trail names BOB. */
const BOB_AS_TARGET = { endpoint: 'acme', target: 'bob@acme.example' };
const throttled = () => new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} });

function existing(h: UseCaseHarness, record = makeRecord()) {
  existingRecord(h, record);
  h.cognitoMock.on(AdminCreateUserCommand).resolves({ User: { Username: 'carol@acme.example' } });
  h.cognitoMock.on(AdminDeleteUserCommand).resolves({});
  h.cognitoMock.on(AdminDisableUserCommand).resolves({});
  h.cognitoMock.on(AdminGetUserCommand).resolves({ Username: 'bob@acme.example', UserStatus: 'CONFIRMED', Enabled: true, UserAttributes: [{ Name: 'email', Value: 'bob@acme.example' }] });
  h.cognitoMock.on(AdminSetUserPasswordCommand).resolves({});
  h.cognitoMock.on(AdminUserGlobalSignOutCommand).resolves({});
}

const deletedLogins = (h: UseCaseHarness) => inputsOf<{ Username: string }>(h.cognitoMock, AdminDeleteUserCommand).map((i) => i.Username);

describe('addLogin', () => {
  it('creates the login, lists it in the record, audits, and returns the credentials as data', async () => {
    const h = useCaseHarness();
    existing(h);
    const credentials = await addLogin(h.services, CONTEXT, 'acme', 'carol@acme.example');
    expect(credentials).toEqual({ username: 'carol@acme.example', email: 'carol@acme.example', temporaryPassword: expect.any(String), portalUrl: 'https://portal.example.com/', invitationSent: false });
    expect(JSON.parse((recordWrites(h)[0]!.Body as string)).logins).toEqual(['bob@acme.example', 'carol@acme.example']);
    expect(auditEvents(h)).toEqual([expect.objectContaining({ action: 'login.added', target: 'carol@acme.example', details: { email: 'carol@acme.example' } })]);
    expect(deletedLogins(h)).toEqual([]);
  });

  it('refuses an endpoint at its login limit before any step', async () => {
    const h = useCaseHarness();
    existing(h, makeRecord({ logins: Array.from({ length: MAX_LOGINS_PER_ENDPOINT }, (_, i) => `u${i}@acme.example`) }));
    await expect(addLogin(h.services, CONTEXT, 'acme', 'carol@acme.example')).rejects.toMatchObject({ code: 'too_many_logins' });
    expect(h.cognitoMock.calls()).toHaveLength(0);
  });

  it('step "create login" fails: nothing to undo, the record is untouched', async () => {
    const h = useCaseHarness();
    existing(h);
    h.cognitoMock.on(AdminCreateUserCommand).rejects(new UsernameExistsException({ message: 'exists', $metadata: {} }));
    await expect(addLogin(h.services, CONTEXT, 'acme', 'carol@acme.example')).rejects.toMatchObject({ code: 'login_exists' });
    expect(deletedLogins(h)).toEqual([]);
    expect(recordWrites(h)).toEqual([]);
    expect(auditEvents(h)).toEqual([]);
  });

  it('step "disable login" fails (endpoint disabled): the new login is deleted again, the record untouched', async () => {
    const h = useCaseHarness();
    existing(h, makeRecord({ disabled: true }));
    h.cognitoMock.on(AdminDisableUserCommand).rejects(throttled());
    await expect(addLogin(h.services, CONTEXT, 'acme', 'carol@acme.example')).rejects.toMatchObject({ code: 'directory_busy' });
    expect(deletedLogins(h)).toEqual(['carol@acme.example']);
    expect(recordWrites(h)).toEqual([]);
    expect(auditEvents(h)).toEqual([]);
  });

  it('step "record login" fails: the new login is deleted again', async () => {
    const h = useCaseHarness();
    existing(h);
    recordChangedMeanwhile(h);
    await expect(addLogin(h.services, CONTEXT, 'acme', 'carol@acme.example')).rejects.toMatchObject({ code: 'conflict' });
    expect(inputsOf(h.cognitoMock, AdminDeleteUserCommand)).toEqual([{ UserPoolId: POOL, Username: 'carol@acme.example' }]);
    expect(auditEvents(h)).toEqual([]);
  });

  it('a failing undo is logged and the original error is still what the caller gets', async () => {
    const h = useCaseHarness();
    existing(h);
    recordChangedMeanwhile(h);
    h.cognitoMock.on(AdminDeleteUserCommand).rejects(new NotAuthorizedException({ message: 'not allowed', $metadata: {} }));
    await expect(addLogin(h.services, CONTEXT, 'acme', 'carol@acme.example')).rejects.toMatchObject({ code: 'conflict' });
    expect(h.logger.error).toHaveBeenCalledWith('compensation failed', { useCase: 'add login', step: 'create login', error: expect.objectContaining({ name: 'NotAuthorizedException' }) });
  });
});

describe('removeLogin', () => {
  /** The intent every removal writes first, then its result naming it. */
  const intentThen = (h: UseCaseHarness, details: object) =>
    expectIntentThenResult(h, { action: 'login.removing', ...BOB_AS_TARGET }, { action: 'login.removed', ...BOB_AS_TARGET, details });

  it('writes the intent, deletes the login, then unlists it, then audits the result', async () => {
    const h = useCaseHarness();
    existing(h, makeRecord({ logins: ['bob@acme.example', 'carol@acme.example'] }));
    await removeLogin(h.services, CONTEXT, BOB);
    expect(deletedLogins(h)).toEqual(['bob@acme.example']);
    expect(JSON.parse((recordWrites(h)[0]!.Body as string)).logins).toEqual(['carol@acme.example']);
    intentThen(h, {});
  });

  it('step "delete login" fails: the record still lists it, the result says which step failed', async () => {
    const h = useCaseHarness();
    existing(h);
    h.cognitoMock.on(AdminDeleteUserCommand).rejects(throttled());
    await expect(removeLogin(h.services, CONTEXT, BOB)).rejects.toMatchObject({ code: 'directory_busy' });
    expect(recordWrites(h)).toEqual([]);
    intentThen(h, { incomplete: true, failedStep: 'delete login' });
  });

  it('step "unlist login" fails: access has ended anyway (no re-creation), a retry finishes it, and the trail says so', async () => {
    const h = useCaseHarness();
    existing(h);
    recordChangedMeanwhile(h);
    await expect(removeLogin(h.services, CONTEXT, BOB)).rejects.toMatchObject({ code: 'conflict' });
    expect(deletedLogins(h)).toEqual(['bob@acme.example']);
    expect(h.cognitoMock.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
    intentThen(h, { incomplete: true, failedStep: 'unlist login' });
  });

  it('deletes nothing when the intent cannot be written', async () => {
    const h = useCaseHarness();
    existing(h);
    h.s3Mock.on(PutObjectCommand).rejects(s3Error('InternalError', 500));
    await expect(removeLogin(h.services, CONTEXT, BOB)).rejects.toMatchObject({ name: 'InternalError' });
    expect(deletedLogins(h)).toEqual([]);
  });

  it('refuses a username that is not one of the endpoint’s logins before any step', async () => {
    const h = useCaseHarness();
    existing(h);
    await expect(removeLogin(h.services, CONTEXT, { endpoint: 'acme', username: 'mallory@other.example' })).rejects.toMatchObject({ code: 'login_not_found' });
    expect(h.cognitoMock.calls()).toHaveLength(0);
  });
});

describe('resetPassword', () => {
  /** The intent every reset writes first, then its result naming it. */
  const intentThen = (h: UseCaseHarness, details: object) =>
    expectIntentThenResult(h, { action: 'login.password_resetting', ...BOB_AS_TARGET }, { action: 'login.password_reset', ...BOB_AS_TARGET, details });

  it('writes the intent, sets a temporary password, ends the sessions, audits the result, and returns the credentials as data', async () => {
    const h = useCaseHarness();
    existing(h);
    const credentials = await resetPassword(h.services, CONTEXT, BOB);
    const [set] = inputsOf<{ Password: string }>(h.cognitoMock, AdminSetUserPasswordCommand);
    expect(credentials).toEqual({ username: 'bob@acme.example', email: 'bob@acme.example', temporaryPassword: set!.Password, portalUrl: 'https://portal.example.com/', invitationSent: false });
    intentThen(h, { sessionsEnded: true });
  });

  it('step "set temporary password" fails: no sign-out; the intent is there, and the result says which step failed (the sessions were already cut off)', async () => {
    const h = useCaseHarness();
    existing(h);
    h.cognitoMock.on(AdminSetUserPasswordCommand).rejects(new InvalidPasswordException({ message: 'policy', $metadata: {} }));
    await expect(resetPassword(h.services, CONTEXT, BOB)).rejects.toMatchObject({ code: 'invalid_password' });
    expect(h.cognitoMock.commandCalls(AdminUserGlobalSignOutCommand)).toHaveLength(0);
    expect(recordWrites(h)).toHaveLength(1);
    intentThen(h, { incomplete: true, failedStep: 'set temporary password', sessionsEnded: false });
  });

  it('step "cut off sessions" fails: nothing else runs, and the intent and its incomplete result are there', async () => {
    const h = useCaseHarness();
    existing(h);
    recordChangedMeanwhile(h);
    await expect(resetPassword(h.services, CONTEXT, BOB)).rejects.toMatchObject({ code: 'conflict' });
    expect(h.cognitoMock.commandCalls(AdminSetUserPasswordCommand)).toHaveLength(0);
    intentThen(h, { incomplete: true, failedStep: 'cut off sessions', sessionsEnded: false });
  });

  it('step "end sessions" fails: the result says so (sessionsEnded: false), then 502 sign_out_failed carrying the cause', async () => {
    const h = useCaseHarness();
    existing(h);
    const cause = throttled();
    h.cognitoMock.on(AdminUserGlobalSignOutCommand).rejects(cause);
    await expect(resetPassword(h.services, CONTEXT, BOB)).rejects.toMatchObject({ status: 502, code: 'sign_out_failed', cause: expect.objectContaining({ code: 'directory_busy' }) });
    intentThen(h, { incomplete: true, failedStep: 'end sessions', sessionsEnded: false });
    expect(h.cognitoMock.commandCalls(AdminSetUserPasswordCommand)).toHaveLength(1);
  });

  it('changes nothing when the intent cannot be written', async () => {
    const h = useCaseHarness();
    existing(h);
    h.s3Mock.on(PutObjectCommand).rejects(s3Error('InternalError', 500));
    await expect(resetPassword(h.services, CONTEXT, BOB)).rejects.toMatchObject({ name: 'InternalError' });
    expect(h.cognitoMock.commandCalls(AdminSetUserPasswordCommand)).toHaveLength(0);
    expect(h.cognitoMock.commandCalls(AdminUserGlobalSignOutCommand)).toHaveLength(0);
  });

  it('refuses a login Cognito no longer has before any step', async () => {
    const h = useCaseHarness();
    existing(h);
    h.cognitoMock.on(AdminGetUserCommand).rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));
    await expect(resetPassword(h.services, CONTEXT, BOB)).rejects.toMatchObject({ code: 'login_not_found' });
    expect(h.cognitoMock.commandCalls(AdminSetUserPasswordCommand)).toHaveLength(0);
  });
});
