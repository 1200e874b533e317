import { describe, expect, it } from 'vitest';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  AliasExistsException,
  CognitoIdentityProviderServiceException,
  InvalidPasswordException,
  UserNotFoundException,
  type AdminSetUserPasswordCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { checkPassword } from '../../../contract/password-policy.js';
import { auditEvents, existingRecord, harness, inputsOf, makeRecord, noSuchKey, NOW, POOL, recordChangedMeanwhile, recordWrites, type Harness } from './harness.js';

const BASE = '/admin/api/endpoints/acme/logins';

describe('POST .../logins', () => {
  it('creates a Cognito user bound to the endpoint and lists it in the record (If-Match)', async () => {
    const h = harness();
    const record = existingRecord(h);
    h.cognitoMock.on(AdminCreateUserCommand).resolves({ User: { Username: 'carol@acme.example' } });
    const res = await h.call('POST', BASE, { body: { email: 'Carol@Acme.example' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      username: 'carol@acme.example',
      email: 'carol@acme.example',
      temporaryPassword: expect.any(String),
      portalUrl: 'https://portal.example.com/',
      invitationSent: false,
    });
    expect(checkPassword(res.body.temporaryPassword)).toEqual([]);
    expect(inputsOf(h.cognitoMock, AdminCreateUserCommand)).toEqual([
      {
        UserPoolId: POOL,
        Username: 'carol@acme.example',
        TemporaryPassword: res.body.temporaryPassword,
        UserAttributes: [
          { Name: 'email', Value: 'carol@acme.example' },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'custom:endpoint', Value: 'acme' },
        ],
        MessageAction: 'SUPPRESS',
      },
    ]);
    const [put] = recordWrites(h);
    expect(put!.IfMatch).toBe('"e1"');
    expect(JSON.parse((put!.Body as string))).toEqual({ ...record, logins: ['bob@acme.example', 'carol@acme.example'], updatedAt: NOW.toISOString() });
    expect(h.cognitoMock.commandCalls(AdminDisableUserCommand)).toHaveLength(0);
    expect(auditEvents(h)).toEqual([expect.objectContaining({ action: 'login.added', endpoint: 'acme', target: 'carol@acme.example', details: { email: 'carol@acme.example' } })]);
  });

  it('creates the login disabled when the endpoint is disabled', async () => {
    const h = harness();
    existingRecord(h, makeRecord({ disabled: true }));
    h.cognitoMock.on(AdminCreateUserCommand).resolves({ User: { Username: 'carol@acme.example' } });
    expect((await h.call('POST', BASE, { body: { email: 'carol@acme.example' } })).status).toBe(201);
    expect(inputsOf(h.cognitoMock, AdminDisableUserCommand)).toEqual([{ UserPoolId: POOL, Username: 'carol@acme.example' }]);
  });

  it.each([
    ['AliasExistsException', new AliasExistsException({ message: 'An account with the email already exists.', $metadata: {} })],
  ])('maps %s to 409 login_exists and leaves the record alone', async (_name, error) => {
    const h = harness();
    existingRecord(h);
    h.cognitoMock.on(AdminCreateUserCommand).rejects(error);
    expect(await h.call('POST', BASE, { body: { email: 'bob@other.example' } })).toMatchObject({ status: 409, body: { error: { code: 'login_exists' } } });
    expect(recordWrites(h)).toHaveLength(0);
  });

  it('deletes the new user again when the record changed meanwhile (412 -> 409)', async () => {
    const h = harness();
    existingRecord(h);
    h.cognitoMock.on(AdminCreateUserCommand).resolves({ User: { Username: 'carol@acme.example' } });
    recordChangedMeanwhile(h);
    const res = await h.call('POST', BASE, { body: { email: 'carol@acme.example' } });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect(inputsOf(h.cognitoMock, AdminDeleteUserCommand)).toEqual([{ UserPoolId: POOL, Username: 'carol@acme.example' }]);
  });

  it('answers 404 for an unknown endpoint before touching Cognito, and 400 for a bad e-mail', async () => {
    const h = harness();
    h.s3Mock.on(GetObjectCommand).rejects(noSuchKey());
    expect(await h.call('POST', '/admin/api/endpoints/nope/logins', { body: { email: 'a@b.io' } })).toMatchObject({ status: 404, body: { error: { code: 'endpoint_not_found' } } });
    expect(await h.call('POST', BASE, { body: { email: 'not-an-email' } })).toMatchObject({ status: 400, body: { error: { code: 'invalid_email' } } });
    expect(h.cognitoMock.calls()).toHaveLength(0);
  });

  it('caps the logins of one endpoint', async () => {
    const h = harness();
    existingRecord(h, makeRecord({ logins: Array.from({ length: 50 }, (_, i) => `u${i}@acme.example`) }));
    expect(await h.call('POST', BASE, { body: { email: 'one@more.example' } })).toMatchObject({ status: 409, body: { error: { code: 'too_many_logins' } } });
    expect(h.cognitoMock.calls()).toHaveLength(0);
  });
});

describe('DELETE .../logins/:username', () => {
  it('deletes the Cognito user, then drops it from the record with If-Match', async () => {
    const h = harness();
    const record = existingRecord(h, makeRecord({ logins: ['bob@acme.example', 'carol@acme.example'] }));
    const res = await h.call('DELETE', `${BASE}/carol%40acme.example`);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect(inputsOf(h.cognitoMock, AdminDeleteUserCommand)).toEqual([{ UserPoolId: POOL, Username: 'carol@acme.example' }]);
    const [put] = recordWrites(h);
    expect(put!.IfMatch).toBe('"e1"');
    // Its sessions are cut off from now on, should the username ever be listed again.
    expect(JSON.parse((put!.Body as string))).toEqual({ ...record, logins: ['bob@acme.example'], sessionsNotBefore: { 'carol@acme.example': NOW.toISOString() }, updatedAt: NOW.toISOString() });
    expect(auditEvents(h).map((e) => [e.action, e.target])).toEqual([
      ['login.removing', 'carol@acme.example'],
      ['login.removed', 'carol@acme.example'],
    ]);
  });

  it('refuses a username that is not one of this endpoint’s logins (404), never reaching Cognito', async () => {
    const h = harness();
    existingRecord(h);
    expect(await h.call('DELETE', `${BASE}/mallory%40other.example`)).toMatchObject({ status: 404, body: { error: { code: 'login_not_found' } } });
    expect(h.cognitoMock.calls()).toHaveLength(0);
  });

  it('finishes the record update when Cognito no longer has the user (a retry after a conflict)', async () => {
    const h = harness();
    existingRecord(h);
    h.cognitoMock.on(AdminDeleteUserCommand).rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));
    expect((await h.call('DELETE', `${BASE}/bob%40acme.example`)).status).toBe(204);
    expect(JSON.parse((recordWrites(h)[0]!.Body as string)).logins).toEqual([]);
  });

  it('answers 409 when the record changed between read and write', async () => {
    const h = harness();
    existingRecord(h);
    recordChangedMeanwhile(h);
    expect(await h.call('DELETE', `${BASE}/bob%40acme.example`)).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
  });
});

describe('POST .../logins/:username/reset-password', () => {
  function user(h: Harness) {
    h.cognitoMock.on(AdminGetUserCommand).resolves({ Username: 'bob@acme.example', UserStatus: 'CONFIRMED', Enabled: true, UserAttributes: [{ Name: 'email', Value: 'bob@acme.example' }] });
  }

  it('sets a new temporary (non-permanent) password and returns it', async () => {
    const h = harness();
    existingRecord(h);
    user(h);
    const res = await h.call('POST', `${BASE}/bob%40acme.example/reset-password`);
    expect(res.status).toBe(200);
    const [set] = inputsOf<AdminSetUserPasswordCommandInput>(h.cognitoMock, AdminSetUserPasswordCommand);
    expect(set).toEqual({ UserPoolId: POOL, Username: 'bob@acme.example', Password: res.body.temporaryPassword, Permanent: false });
    expect(res.body).toEqual({ username: 'bob@acme.example', email: 'bob@acme.example', temporaryPassword: set!.Password, portalUrl: 'https://portal.example.com/', invitationSent: false });
    expect(set!.Password!.length).toBeGreaterThanOrEqual(16);
    expect(checkPassword(set!.Password!)).toEqual([]);
    const [intent, event] = auditEvents(h);
    expect(intent).toMatchObject({ action: 'login.password_resetting', endpoint: 'acme', target: 'bob@acme.example' });
    expect(event).toMatchObject({ action: 'login.password_reset', endpoint: 'acme', target: 'bob@acme.example', details: { sessionsEnded: true, intentId: intent!.id } });
    // Sessions from before the reset are refused by the uploads Lambda: the record says since when.
    const [put] = recordWrites(h);
    expect(JSON.parse((put!.Body as string)).sessionsNotBefore).toEqual({ 'bob@acme.example': NOW.toISOString() });
    expect(JSON.stringify(event)).not.toContain(set!.Password);
  });

  it('then signs the login out everywhere (AdminUserGlobalSignOut), so refresh tokens from before the reset die', async () => {
    const h = harness();
    existingRecord(h);
    user(h);
    expect((await h.call('POST', `${BASE}/bob%40acme.example/reset-password`)).status).toBe(200);
    const order = h.cognitoMock.calls().map((c) => (c.args[0] as object).constructor.name);
    expect(order).toEqual(['AdminGetUserCommand', 'AdminSetUserPasswordCommand', 'AdminUserGlobalSignOutCommand']);
    expect(inputsOf(h.cognitoMock, AdminUserGlobalSignOutCommand)).toEqual([{ UserPoolId: POOL, Username: 'bob@acme.example' }]);
  });

  const cognitoError = (name: string, message: string, status: number) =>
    new CognitoIdentityProviderServiceException({ name, message, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });

  it("tolerates exactly cognito-local's 'unsupported' answer (it lacks AdminUserGlobalSignOut), and records that no sessions were ended", async () => {
    const h = harness();
    existingRecord(h);
    user(h);
    // What the SDK throws for cognito-local's `{"__type": "CognitoLocal#Unsupported", ...}` (measured).
    h.cognitoMock.on(AdminUserGlobalSignOutCommand).rejects(cognitoError('Unsupported', 'Cognito Local unsupported feature: Unsupported x-amz-target header "AdminUserGlobalSignOut"', 500));
    const res = await h.call('POST', `${BASE}/bob%40acme.example/reset-password`);
    expect(res.status).toBe(200);
    expect(res.body.temporaryPassword).toEqual(expect.any(String));
    expect(auditEvents(h)).toEqual([expect.objectContaining({ action: 'login.password_resetting' }), expect.objectContaining({ action: 'login.password_reset', details: { sessionsEnded: false, intentId: expect.any(String) } })]);
  });

  it.each([
    ['AccessDeniedException', 'User is not authorized to perform: cognito-idp:AdminUserGlobalSignOut', 400],
    ['Unsupported', 'Something else entirely', 500],
    ['InternalErrorException', 'Cognito Local unsupported feature: lookalike', 500],
    ['TooManyRequestsException', 'Rate exceeded', 400],
  ])('fails loudly (502 sign_out_failed) for %s from the sign-out, after recording the reset', async (name, message, status) => {
    const h = harness();
    existingRecord(h);
    user(h);
    h.cognitoMock.on(AdminUserGlobalSignOutCommand).rejects(cognitoError(name, message, status));
    const res = await h.call('POST', `${BASE}/bob%40acme.example/reset-password`);
    expect(res).toMatchObject({ status: 502, body: { error: { code: 'sign_out_failed' } } });
    expect(res.body.temporaryPassword).toBeUndefined();
    expect(auditEvents(h)).toEqual([
      expect.objectContaining({ action: 'login.password_resetting' }),
      expect.objectContaining({ action: 'login.password_reset', details: { incomplete: true, failedStep: 'end sessions', sessionsEnded: false, intentId: expect.any(String) } }),
    ]);
  });

  it('accepts `{}` as the body and refuses fields', async () => {
    const h = harness();
    existingRecord(h);
    user(h);
    expect((await h.call('POST', `${BASE}/bob%40acme.example/reset-password`, { body: {} })).status).toBe(200);
    expect(await h.call('POST', `${BASE}/bob%40acme.example/reset-password`, { body: { password: 'Mine123!mine' } })).toMatchObject({ status: 400, body: { error: { code: 'unknown_field' } } });
  });

  it('needs Content-Type: application/json even without a body (415)', async () => {
    const h = harness();
    const res = await h.call('POST', `${BASE}/bob%40acme.example/reset-password`, { bare: true, headers: { 'sec-fetch-site': 'same-origin' } });
    expect(res.status).toBe(415);
    expect(h.cognitoMock.calls()).toHaveLength(0);
  });

  it('answers 404 for a login of another endpoint, and for one Cognito no longer has', async () => {
    const h = harness();
    existingRecord(h);
    expect((await h.call('POST', `${BASE}/mallory%40other.example/reset-password`)).status).toBe(404);
    h.cognitoMock.on(AdminGetUserCommand).rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));
    expect(await h.call('POST', `${BASE}/bob%40acme.example/reset-password`)).toMatchObject({ status: 404, body: { error: { code: 'login_not_found' } } });
    expect(h.cognitoMock.commandCalls(AdminSetUserPasswordCommand)).toHaveLength(0);
  });

  it('maps InvalidPasswordException to 400 invalid_password', async () => {
    const h = harness();
    existingRecord(h);
    user(h);
    h.cognitoMock.on(AdminSetUserPasswordCommand).rejects(new InvalidPasswordException({ message: 'Password does not conform to policy', $metadata: {} }));
    expect(await h.call('POST', `${BASE}/bob%40acme.example/reset-password`)).toMatchObject({ status: 400, body: { error: { code: 'invalid_password' } } });
    // The sessions were cut off before the password step failed: the trail keeps the intent and says so.
    expect(auditEvents(h).map((e) => [e.action, e.details.failedStep])).toEqual([
      ['login.password_resetting', undefined],
      ['login.password_reset', 'set temporary password'],
    ]);
  });
});
