import { describe, expect, it } from 'vitest';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { usageKey } from '../../../lambdas/shared/catalog/catalog-items.js';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type DeleteObjectsCommandInput,
  type ListObjectsV2CommandInput,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  NotAuthorizedException,
  TooManyRequestsException,
  UsernameExistsException,
  UserNotFoundException,
  type AdminCreateUserCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { EndpointSummary } from '../../../contract/api/admin.js';
import { checkPassword } from '../../../contract/password-policy.js';
import { existingRecord, harness, inputsOf, makeRecord, noSuchKey, NOW, objectBody, POOL, RECORD_KEY, recordChangedMeanwhile, s3Error, type Harness } from './harness.js';

const putsTo = (h: Harness, prefix: string) => inputsOf<PutObjectCommandInput>(h.s3Mock, PutObjectCommand).filter((p) => p.Key!.startsWith(prefix));
const bodyOf = (input: PutObjectCommandInput) => JSON.parse((input.Body as string));

/** A fresh name: no record, no leftover files. */
function freshName(h: Harness) {
  h.s3Mock.on(GetObjectCommand, { Key: RECORD_KEY }).rejects(noSuchKey());
  h.s3Mock.on(ListObjectsV2Command, { Prefix: 'uploads/acme/' }).resolves({ KeyCount: 0, IsTruncated: false });
  h.s3Mock.on(PutObjectCommand, { Key: RECORD_KEY, IfNoneMatch: '*' }).resolves({ ETag: '"v1"' });
  h.s3Mock.on(PutObjectCommand, { Key: RECORD_KEY, IfMatch: '"v1"' }).resolves({ ETag: '"v2"' });
  h.s3Mock.on(PutObjectCommand, { ContentType: 'application/json' }).callsFake(async (input: PutObjectCommandInput) => {
    if (input.Key === RECORD_KEY) return { ETag: input.IfNoneMatch ? '"v1"' : '"v2"' };
    return { ETag: '"audit"' };
  });
}

const CREATE = { name: 'acme', customerEmail: 'Bob@Acme.example', displayName: 'ACME Ltd', expiresAt: '2027-01-31T00:00:00Z', allowedExtensions: ['PDF'] };

describe('POST /admin/api/endpoints', () => {
  it('writes the record with If-None-Match, creates the login, records it with If-Match, and audits', async () => {
    const h = harness();
    freshName(h);
    h.cognitoMock.on(AdminCreateUserCommand).resolves({ User: { Username: 'bob@acme.example' } });

    const res = await h.call('POST', '/admin/api/endpoints', { body: CREATE });

    expect(res.status).toBe(201);
    const [create] = inputsOf<AdminCreateUserCommandInput>(h.cognitoMock, AdminCreateUserCommand);
    expect(create).toEqual({
      UserPoolId: POOL,
      Username: 'bob@acme.example',
      TemporaryPassword: res.body.login.temporaryPassword,
      UserAttributes: [
        { Name: 'email', Value: 'bob@acme.example' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'custom:endpoint', Value: 'acme' },
      ],
      MessageAction: 'SUPPRESS',
    });
    expect(res.body.login.temporaryPassword.length).toBeGreaterThanOrEqual(16);
    expect(checkPassword(res.body.login.temporaryPassword)).toEqual([]);
    expect(res.body.login).toEqual({
      username: 'bob@acme.example',
      email: 'bob@acme.example',
      temporaryPassword: expect.any(String),
      portalUrl: 'https://portal.example.com/',
      invitationSent: false,
    });

    const [first, second] = putsTo(h, '_portal/endpoints/');
    expect(first).toMatchObject({ Bucket: 'portal-bucket', Key: RECORD_KEY, IfNoneMatch: '*', ContentType: 'application/json' });
    expect(first!.IfMatch).toBeUndefined();
    const expectedRecord = {
      name: 'acme',
      displayName: 'ACME Ltd',
      customerEmail: 'bob@acme.example',
      expiresAt: '2027-01-31T00:00:00.000Z',
      maxFileSizeBytes: null,
      quotaBytes: null,
      quotaFiles: null,
      allowedExtensions: ['pdf'],
      notes: '',
      disabled: false,
      createdAt: NOW.toISOString(),
      createdBy: 'alice@corp.example',
      updatedAt: NOW.toISOString(),
    };
    expect(bodyOf(first!)).toEqual({ ...expectedRecord, logins: [] });
    expect(second).toMatchObject({ Key: RECORD_KEY, IfMatch: '"v1"' });
    expect(bodyOf(second!)).toEqual({ ...expectedRecord, logins: ['bob@acme.example'] });

    expect(res.body.endpoint).toEqual({
      ...expectedRecord,
      state: 'active',
      loginCount: 1,
      version: '"v2"',
      portalUrl: 'https://portal.example.com/',
    });

    const audit = putsTo(h, '_portal/audit/');
    expect(audit.map((p) => p.Key)).toEqual([
      expect.stringMatching(/^_portal\/audit\/all\/\d{13}-evt0001\.json$/),
      expect.stringMatching(/^_portal\/audit\/endpoint\/acme\/\d{13}-evt0001\.json$/),
    ]);
    expect(audit.every((p) => p.IfNoneMatch === '*')).toBe(true);
    const event = bodyOf(audit[0]!);
    expect(event).toMatchObject({
      id: 'evt0001',
      at: NOW.toISOString(),
      action: 'endpoint.created',
      actor: { subject: 'admin-sub-1', email: 'alice@corp.example' },
      endpoint: 'acme',
      target: 'acme',
      sourceIp: '203.0.113.9',
      details: { customerEmail: 'bob@acme.example', login: 'bob@acme.example', invitationSent: false },
    });
    expect(JSON.stringify(event)).not.toContain(res.body.login.temporaryPassword);
    expect(h.logger.info).toHaveBeenCalledWith('audit', { audit: event });
  });

  it('lets Cognito e-mail the invitation when COGNITO_SEND_INVITE is on', async () => {
    const h = harness({ settings: { sendInvite: true } });
    freshName(h);
    h.cognitoMock.on(AdminCreateUserCommand).resolves({ User: { Username: 'bob@acme.example' } });
    const res = await h.call('POST', '/admin/api/endpoints', { body: CREATE });
    expect(res.status).toBe(201);
    const [create] = inputsOf<AdminCreateUserCommandInput>(h.cognitoMock, AdminCreateUserCommand);
    expect(create!.DesiredDeliveryMediums).toEqual(['EMAIL']);
    expect(create!.MessageAction).toBeUndefined();
    expect(res.body.login.invitationSent).toBe(true);
  });

  it('keeps the username Cognito hands back (pools with e-mail as a username attribute)', async () => {
    const h = harness();
    freshName(h);
    h.cognitoMock.on(AdminCreateUserCommand).resolves({ User: { Username: '3f2a-uuid' } });
    const res = await h.call('POST', '/admin/api/endpoints', { body: CREATE });
    expect(res.body.login).toMatchObject({ username: '3f2a-uuid', email: 'bob@acme.example' });
    expect(bodyOf(putsTo(h, '_portal/endpoints/')[1]!).logins).toEqual(['3f2a-uuid']);
  });

  it('answers 409 endpoint_exists for a taken name, touching nothing', async () => {
    const h = harness();
    h.s3Mock.on(GetObjectCommand, { Key: RECORD_KEY }).resolves(objectBody(JSON.stringify(makeRecord())));
    const res = await h.call('POST', '/admin/api/endpoints', { body: CREATE });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'endpoint_exists' } } });
    expect(h.s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(h.cognitoMock.calls()).toHaveLength(0);
  });

  it('answers 409 endpoint_exists when another admin wins the race (If-None-Match 412), before any login exists', async () => {
    const h = harness();
    freshName(h);
    h.s3Mock.on(PutObjectCommand, { Key: RECORD_KEY, IfNoneMatch: '*' }).rejects(s3Error('PreconditionFailed', 412));
    const res = await h.call('POST', '/admin/api/endpoints', { body: CREATE });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'endpoint_exists' } } });
    expect(h.cognitoMock.calls()).toHaveLength(0);
  });

  it('refuses a name whose earlier endpoint left files behind (409 name_has_files)', async () => {
    const h = harness();
    freshName(h);
    h.s3Mock.on(ListObjectsV2Command, { Prefix: 'uploads/acme/' }).resolves({ KeyCount: 1, Contents: [{ Key: 'uploads/acme/old.pdf' }] });
    const res = await h.call('POST', '/admin/api/endpoints', { body: CREATE });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'name_has_files' } } });
    expect(inputsOf(h.s3Mock, ListObjectsV2Command)).toEqual([{ Bucket: 'portal-bucket', Prefix: 'uploads/acme/', MaxKeys: 1 }]);
    expect(h.s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it.each([
    [{ name: 'AC', customerEmail: 'b@a.io' }, 'invalid_name'],
    [{ name: 'acme_1', customerEmail: 'b@a.io' }, 'invalid_name'],
    [{ name: 'acme', customerEmail: 'nope' }, 'invalid_email'],
    [{ name: 'acme', customerEmail: 'b@a.io', expiresAt: '2020-01-01T00:00:00Z' }, 'invalid_expiry'],
  ])('answers 400 for %j without any AWS call', async (body, code) => {
    const h = harness();
    const res = await h.call('POST', '/admin/api/endpoints', { body });
    expect(res).toMatchObject({ status: 400, body: { error: { code } } });
    expect(h.s3Mock.calls()).toHaveLength(0);
  });

  it('answers 400 invalid_json for malformed JSON', async () => {
    const h = harness();
    expect(await h.call('POST', '/admin/api/endpoints', { body: '{"name":' })).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
  });

  it('answers 415 for a form post and 403 for a cross-site one, before any AWS call', async () => {
    const h = harness();
    const form = await h.call('POST', '/admin/api/endpoints', { body: 'name=acme', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form).toMatchObject({ status: 415, body: { error: { code: 'unsupported_media_type' } } });
    const crossSite = await h.call('POST', '/admin/api/endpoints', { body: CREATE, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite).toMatchObject({ status: 403, body: { error: { code: 'csrf_rejected' } } });
    const foreignOrigin = await h.call('POST', '/admin/api/endpoints', { body: CREATE, bare: true, headers: { 'content-type': 'application/json', origin: 'https://evil.example' } });
    expect(foreignOrigin).toMatchObject({ status: 403, body: { error: { code: 'csrf_rejected' } } });
    const script = await h.call('POST', '/admin/api/endpoints', { body: { name: 'A' }, bare: true, headers: { 'content-type': 'application/json', 'x-requested-with': 'portal' } });
    expect(script.status).toBe(400); // passed the guard, failed validation
    expect(h.s3Mock.calls()).toHaveLength(0);
  });

  it('maps a duplicate login (UsernameExistsException) to 409 login_exists and removes the new record', async () => {
    const h = harness();
    freshName(h);
    h.cognitoMock.on(AdminCreateUserCommand).rejects(new UsernameExistsException({ message: 'User account already exists', $metadata: {} }));
    const res = await h.call('POST', '/admin/api/endpoints', { body: CREATE });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'login_exists', message: 'A login with this e-mail address already exists' } } });
    expect(inputsOf(h.s3Mock, DeleteObjectCommand)).toEqual([{ Bucket: 'portal-bucket', Key: RECORD_KEY }]);
    expect(putsTo(h, '_portal/audit/')).toHaveLength(0);
  });

  it('maps Cognito throttling to 503 directory_busy', async () => {
    const h = harness();
    freshName(h);
    h.cognitoMock.on(AdminCreateUserCommand).rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    expect(await h.call('POST', '/admin/api/endpoints', { body: CREATE })).toMatchObject({ status: 503, body: { error: { code: 'directory_busy' } } });
  });

  it('hides unexpected Cognito errors (IAM, pool ids) behind a 500 server_error', async () => {
    const h = harness();
    freshName(h);
    h.cognitoMock.on(AdminCreateUserCommand).rejects(new NotAuthorizedException({ message: `User arn:aws:sts::1:assumed-role/x is not authorized on ${POOL}`, $metadata: {} }));
    const res = await h.call('POST', '/admin/api/endpoints', { body: CREATE });
    expect(res).toEqual({ status: 500, headers: expect.any(Object), body: { error: { code: 'server_error', message: 'Internal server error' } } });
  });

  it('undoes the login and the record when the final record write loses a race', async () => {
    const h = harness();
    freshName(h);
    h.cognitoMock.on(AdminCreateUserCommand).resolves({ User: { Username: 'bob@acme.example' } });
    h.s3Mock.on(PutObjectCommand, { Key: RECORD_KEY, IfMatch: '"v1"' }).rejects(s3Error('PreconditionFailed', 412));
    const res = await h.call('POST', '/admin/api/endpoints', { body: CREATE });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect(inputsOf(h.cognitoMock, AdminDeleteUserCommand)).toEqual([{ UserPoolId: POOL, Username: 'bob@acme.example' }]);
    expect(inputsOf(h.s3Mock, DeleteObjectCommand)).toEqual([{ Bucket: 'portal-bucket', Key: RECORD_KEY }]);
  });

  it('still answers 201 when the audit write fails, and logs the event as an error', async () => {
    const h = harness();
    freshName(h);
    h.s3Mock.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput) => {
      if (input.Key!.startsWith('_portal/audit/')) throw s3Error('InternalError', 500);
      return { ETag: input.IfNoneMatch ? '"v1"' : '"v2"' };
    });
    h.cognitoMock.on(AdminCreateUserCommand).resolves({ User: { Username: 'bob@acme.example' } });
    const res = await h.call('POST', '/admin/api/endpoints', { body: CREATE });
    expect(res.status).toBe(201);
    expect(h.logger.error).toHaveBeenCalledWith('audit write failed', expect.objectContaining({ audit: expect.objectContaining({ action: 'endpoint.created' }) }));
  });
});

function listing(h: Harness, records: ReturnType<typeof makeRecord>[]) {
  h.s3Mock.on(ListObjectsV2Command, { Prefix: '_portal/endpoints/' }).resolves({
    Contents: [...records.map((r) => ({ Key: `_portal/endpoints/${r.name}.json`, ETag: `"${r.name}-1"` })), { Key: '_portal/endpoints/README.txt' }],
    IsTruncated: false,
  });
  for (const r of records) h.s3Mock.on(GetObjectCommand, { Key: `_portal/endpoints/${r.name}.json` }).resolves(objectBody(JSON.stringify(r), `"${r.name}-1"`));
}

describe('GET /admin/api/endpoints', () => {
  const records = [
    makeRecord({ name: 'old', customerEmail: 'x@old.example', createdAt: '2026-01-01T00:00:00.000Z', logins: ['x@old.example'] }),
    makeRecord({ name: 'acme', createdAt: '2026-11-01T10:00:00.000Z' }),
    makeRecord({ name: 'beta', customerEmail: 'y@beta.example', createdAt: '2026-11-20T00:00:00.000Z', disabled: true, logins: [] }),
    makeRecord({ name: 'gone', customerEmail: 'z@gone.example', createdAt: '2026-06-01T00:00:00.000Z', expiresAt: '2026-07-01T00:00:00.000Z', logins: [] }),
  ];

  it('lists newest first with state, version and login count', async () => {
    const h = harness();
    listing(h, records);
    const res = await h.call('GET', '/admin/api/endpoints');
    expect(res.status).toBe(200);
    expect(res.body.endpoints.map((e: EndpointSummary) => [e.name, e.state, e.loginCount, e.version])).toEqual([
      ['beta', 'disabled', 0, '"beta-1"'],
      ['acme', 'active', 1, '"acme-1"'],
      ['gone', 'expired', 0, '"gone-1"'],
      ['old', 'active', 1, '"old-1"'],
    ]);
    expect(res.body.nextToken).toBeNull();
    expect(inputsOf(h.s3Mock, ListObjectsV2Command)).toEqual([{ Bucket: 'portal-bucket', Prefix: '_portal/endpoints/', MaxKeys: 1000 }]);
  });

  it('filters by name or e-mail with ?q=', async () => {
    const h = harness();
    listing(h, records);
    expect((await h.call('GET', '/admin/api/endpoints', { query: { q: 'BETA' } })).body.endpoints.map((e: EndpointSummary) => e.name)).toEqual(['beta']);
    expect((await h.call('GET', '/admin/api/endpoints', { query: { q: 'old.example' } })).body.endpoints.map((e: EndpointSummary) => e.name)).toEqual(['old']);
  });

  it('pages with a keyset token, and fetches unchanged records only once', async () => {
    const h = harness();
    listing(h, records);
    const first = await h.call('GET', '/admin/api/endpoints', { query: { pageSize: '3' } });
    expect(first.body.endpoints.map((e: EndpointSummary) => e.name)).toEqual(['beta', 'acme', 'gone']);
    const second = await h.call('GET', '/admin/api/endpoints', { query: { pageSize: '3', continuationToken: first.body.nextToken } });
    expect(second.body).toMatchObject({ endpoints: [{ name: 'old' }], nextToken: null });
    expect(h.s3Mock.commandCalls(GetObjectCommand)).toHaveLength(4); // cached by ETag on the second call
  });

  it('follows S3 list pages', async () => {
    const h = harness();
    h.s3Mock
      .on(ListObjectsV2Command, { Prefix: '_portal/endpoints/' })
      .resolvesOnce({ Contents: [{ Key: '_portal/endpoints/acme.json', ETag: '"a"' }], IsTruncated: true, NextContinuationToken: 'page2' })
      .resolvesOnce({ Contents: [{ Key: '_portal/endpoints/beta.json', ETag: '"b"' }], IsTruncated: false });
    h.s3Mock.on(GetObjectCommand, { Key: RECORD_KEY }).resolves(objectBody(JSON.stringify(makeRecord()), '"a"'));
    h.s3Mock.on(GetObjectCommand, { Key: '_portal/endpoints/beta.json' }).resolves(objectBody(JSON.stringify(makeRecord({ name: 'beta' })), '"b"'));
    const res = await h.call('GET', '/admin/api/endpoints');
    expect(res.body.endpoints).toHaveLength(2);
    expect(inputsOf<ListObjectsV2CommandInput>(h.s3Mock, ListObjectsV2Command).map((i) => i.ContinuationToken)).toEqual([undefined, 'page2']);
  });

  it.each([
    [{ pageSize: '0' }, 'invalid_page_size'],
    [{ pageSize: '201' }, 'invalid_page_size'],
    [{ continuationToken: 'garbage!' }, 'invalid_token'],
  ])('answers 400 for %j', async (query, code) => {
    const h = harness();
    listing(h, records);
    expect(await h.call('GET', '/admin/api/endpoints', { query })).toMatchObject({ status: 400, body: { error: { code } } });
  });
});

describe('GET /admin/api/endpoints/:name', () => {
  it("shows settings, each login with its Cognito status, and the files counted by the catalog's usage item (no listing)", async () => {
    const h = harness();
    h.s3Mock.on(GetObjectCommand, { Key: RECORD_KEY }).resolves(objectBody(JSON.stringify(makeRecord({ logins: ['bob@acme.example', 'ghost@acme.example'] })), '"e7"'));
    h.cognitoMock.on(AdminGetUserCommand, { Username: 'bob@acme.example' }).resolves({
      Username: 'bob@acme.example',
      UserStatus: 'FORCE_CHANGE_PASSWORD',
      Enabled: true,
      UserCreateDate: new Date('2026-11-01T10:00:01Z'),
      UserAttributes: [{ Name: 'email', Value: 'bob@acme.example' }],
    });
    h.cognitoMock.on(AdminGetUserCommand, { Username: 'ghost@acme.example' }).rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));
    h.ddbMock.on(GetItemCommand, { Key: usageKey('acme') }).resolves({
      Item: { ...usageKey('acme'), fileCount: { N: '2' }, totalBytes: { N: String(1000 + 5 * 2 ** 30) }, reconciledAt: { S: '2026-11-20T00:00:00.000Z' } },
    });

    const res = await h.call('GET', '/admin/api/endpoints/acme');

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'acme',
      version: '"e7"',
      state: 'active',
      fileCount: 2,
      totalBytes: 1000 + 5 * 2 ** 30,
      usageComplete: true,
      usageReconciledAt: '2026-11-20T00:00:00.000Z',
      loginCount: 2,
    });
    expect(res.body.logins).toEqual([
      { username: 'bob@acme.example', email: 'bob@acme.example', status: 'FORCE_CHANGE_PASSWORD', enabled: true, createdAt: '2026-11-01T10:00:01.000Z' },
      { username: 'ghost@acme.example', email: '', status: 'MISSING', enabled: false, createdAt: null },
    ]);
    expect(h.s3Mock.commandCalls(ListObjectsV2Command)).toHaveLength(0);
    expect(inputsOf(h.cognitoMock, AdminGetUserCommand)).toEqual([
      { UserPoolId: POOL, Username: 'bob@acme.example' },
      { UserPoolId: POOL, Username: 'ghost@acme.example' },
    ]);
  });

  it('answers 0 files and no reconcile time for an endpoint the catalog has no usage of yet', async () => {
    const h = harness();
    h.s3Mock.on(GetObjectCommand, { Key: RECORD_KEY }).resolves(objectBody(JSON.stringify(makeRecord({ logins: [] })), '"e7"'));
    expect((await h.call('GET', '/admin/api/endpoints/acme')).body).toMatchObject({ fileCount: 0, totalBytes: 0, usageReconciledAt: null });
  });

  it('answers 404 endpoint_not_found and 400 for a bad name', async () => {
    const h = harness();
    h.s3Mock.on(GetObjectCommand).rejects(noSuchKey());
    expect(await h.call('GET', '/admin/api/endpoints/nope')).toMatchObject({ status: 404, body: { error: { code: 'endpoint_not_found' } } });
    expect(await h.call('GET', '/admin/api/endpoints/Bad_Name')).toMatchObject({ status: 400, body: { error: { code: 'invalid_name' } } });
  });
});

describe('PATCH /admin/api/endpoints/:name', () => {
  const existing = (h: Harness, record = makeRecord({ logins: ['bob@acme.example', 'carol@acme.example'] })) => existingRecord(h, record);

  it('disables: writes with If-Match, disables every login in Cognito, audits the change', async () => {
    const h = harness();
    const before = existing(h);
    const res = await h.call('PATCH', '/admin/api/endpoints/acme', { body: { disabled: true, version: '"e1"' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'acme', disabled: true, state: 'disabled', version: '"e2"' });
    const [put] = putsTo(h, '_portal/endpoints/');
    expect(put).toMatchObject({ Key: RECORD_KEY, IfMatch: '"e1"' });
    expect(bodyOf(put!)).toEqual({ ...before, disabled: true, updatedAt: NOW.toISOString() });
    expect(inputsOf(h.cognitoMock, AdminDisableUserCommand)).toEqual([
      { UserPoolId: POOL, Username: 'bob@acme.example' },
      { UserPoolId: POOL, Username: 'carol@acme.example' },
    ]);
    expect(h.cognitoMock.commandCalls(AdminEnableUserCommand)).toHaveLength(0);
    expect(bodyOf(putsTo(h, '_portal/audit/all/')[0]!)).toMatchObject({
      action: 'endpoint.updated',
      details: { changes: { disabled: { from: false, to: true } }, state: 'disabled' },
    });
  });

  it('audits the change even when Cognito then fails (a repeated PATCH finishes the job)', async () => {
    const h = harness();
    existing(h);
    h.cognitoMock.on(AdminDisableUserCommand).rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    const res = await h.call('PATCH', '/admin/api/endpoints/acme', { body: { disabled: true } });
    expect(res).toMatchObject({ status: 503, body: { error: { code: 'directory_busy' } } });
    expect(putsTo(h, '_portal/endpoints/')).toHaveLength(1);
    expect(bodyOf(putsTo(h, '_portal/audit/all/')[0]!)).toMatchObject({ action: 'endpoint.updated', details: { state: 'disabled' } });
  });

  it('re-enables the logins when the endpoint is enabled again', async () => {
    const h = harness();
    existing(h, makeRecord({ disabled: true }));
    const res = await h.call('PATCH', '/admin/api/endpoints/acme', { body: { disabled: false } });
    expect(res.body.state).toBe('active');
    expect(inputsOf(h.cognitoMock, AdminEnableUserCommand)).toEqual([{ UserPoolId: POOL, Username: 'bob@acme.example' }]);
  });

  it('disables the logins when the new expiry has passed', async () => {
    const h = harness();
    existing(h);
    const res = await h.call('PATCH', '/admin/api/endpoints/acme', { body: { expiresAt: '2026-11-25T11:00:00Z' } });
    expect(res.body.state).toBe('expired');
    expect(h.cognitoMock.commandCalls(AdminDisableUserCommand)).toHaveLength(2);
  });

  it('stays enabled when re-enabling an endpoint that has expired meanwhile', async () => {
    const h = harness();
    existing(h, makeRecord({ disabled: true, expiresAt: '2026-11-01T00:00:00.000Z' }));
    const res = await h.call('PATCH', '/admin/api/endpoints/acme', { body: { disabled: false } });
    expect(res.body.state).toBe('expired');
    expect(h.cognitoMock.commandCalls(AdminEnableUserCommand)).toHaveLength(0);
    expect(h.cognitoMock.commandCalls(AdminDisableUserCommand)).toHaveLength(1);
  });

  it('answers 409 conflict when S3 refuses the If-Match (changed by someone else), and leaves Cognito alone', async () => {
    const h = harness();
    existing(h);
    recordChangedMeanwhile(h);
    const res = await h.call('PATCH', '/admin/api/endpoints/acme', { body: { notes: 'mine' } });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'conflict', message: expect.stringMatching(/changed by someone else.*reload/) } } });
    expect(h.cognitoMock.calls()).toHaveLength(0);
    expect(putsTo(h, '_portal/audit/')).toHaveLength(0);
  });

  it('answers 409 conflict when the version the admin saw is stale, without writing', async () => {
    const h = harness();
    existing(h);
    const res = await h.call('PATCH', '/admin/api/endpoints/acme', { body: { notes: 'mine', version: '"e0"' } });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect(h.s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('answers 409 conflict when the record was deleted under it (S3 404 on If-Match)', async () => {
    const h = harness();
    existing(h);
    h.s3Mock.on(PutObjectCommand, { Key: RECORD_KEY }).rejects(noSuchKey());
    expect((await h.call('PATCH', '/admin/api/endpoints/acme', { body: { notes: 'x' } })).status).toBe(409);
  });

  it('answers 404 for an unknown endpoint and 400 for an unknown field', async () => {
    const h = harness();
    h.s3Mock.on(GetObjectCommand).rejects(noSuchKey());
    expect((await h.call('PATCH', '/admin/api/endpoints/nope', { body: { notes: 'x' } })).status).toBe(404);
    expect(await h.call('PATCH', '/admin/api/endpoints/acme', { body: { customerEmail: 'x@y.io' } })).toMatchObject({ status: 400, body: { error: { code: 'unknown_field' } } });
  });
});

describe('DELETE /admin/api/endpoints/:name', () => {
  /** `closed`: disabled long ago, so a purge may run at once (no upload URL it handed out is alive). */
  function existing(h: Harness, closed = false) {
    existingRecord(h, makeRecord({ logins: ['bob@acme.example', 'carol@acme.example'], disabled: closed }));
    h.s3Mock.on(DeleteObjectCommand).resolves({});
  }

  it('removes the logins and the record and keeps the files (no body, no Content-Type needed)', async () => {
    const h = harness();
    existing(h);
    h.cognitoMock.on(AdminDeleteUserCommand, { Username: 'carol@acme.example' }).rejects(new UserNotFoundException({ message: 'gone', $metadata: {} }));
    const res = await h.call('DELETE', '/admin/api/endpoints/acme');
    expect(res).toMatchObject({ status: 200, body: { name: 'acme', loginsRemoved: ['bob@acme.example', 'carol@acme.example'], filesPurged: null } });
    expect(inputsOf(h.cognitoMock, AdminDeleteUserCommand)).toEqual([
      { UserPoolId: POOL, Username: 'bob@acme.example' },
      { UserPoolId: POOL, Username: 'carol@acme.example' },
    ]);
    expect(inputsOf(h.s3Mock, DeleteObjectCommand)).toEqual([{ Bucket: 'portal-bucket', Key: RECORD_KEY }]);
    expect(h.s3Mock.commandCalls(ListObjectsV2Command)).toHaveLength(0);
    expect(h.s3Mock.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
    expect(putsTo(h, '_portal/audit/all/').map((p) => bodyOf(p))).toEqual([
      expect.objectContaining({ action: 'endpoint.deleting', details: { logins: ['bob@acme.example', 'carol@acme.example'], purgeFiles: false } }),
      expect.objectContaining({ action: 'endpoint.deleted', details: expect.objectContaining({ purgeFiles: false, filesPurged: null }) }),
    ]);
  });

  it('purges files and upload reservations when confirmed with the name', async () => {
    const h = harness();
    existing(h, true);
    const thousand = Array.from({ length: 1000 }, (_, i) => ({ Key: `uploads/acme/f${i}` }));
    h.s3Mock
      .on(ListObjectsV2Command, { Prefix: 'uploads/acme/' })
      .resolvesOnce({ Contents: thousand, IsTruncated: true })
      .resolvesOnce({ Contents: [{ Key: 'uploads/acme/last' }], IsTruncated: false })
      .resolves({ IsTruncated: false });
    h.s3Mock
      .on(ListObjectsV2Command, { Prefix: 'uploads/.portal-pending/acme/' })
      .resolvesOnce({ Contents: [{ Key: 'uploads/.portal-pending/acme/ab.json' }] })
      .resolves({});
    h.s3Mock.on(DeleteObjectsCommand).resolves({});
    h.s3Mock.on(ListMultipartUploadsCommand).resolves({ IsTruncated: false });
    const res = await h.call('DELETE', '/admin/api/endpoints/acme', { body: { purgeFiles: true, confirm: 'acme' } });
    expect(res).toMatchObject({ status: 200, body: { filesPurged: 1001, uploadsAborted: 0 } });
    const batches = inputsOf<DeleteObjectsCommandInput>(h.s3Mock, DeleteObjectsCommand);
    expect(batches.map((b) => [b.Delete!.Objects!.length, b.Delete!.Quiet])).toEqual([
      [1000, true],
      [1, true],
      [1, true],
    ]);
    expect(batches[1]!.Delete!.Objects).toEqual([{ Key: 'uploads/acme/last' }]);
    expect(batches[2]!.Delete!.Objects).toEqual([{ Key: 'uploads/.portal-pending/acme/ab.json' }]);
    expect(batches.flatMap((b) => b.Delete!.Objects!).every((o) => o.Key!.startsWith('uploads/acme/') || o.Key!.startsWith('uploads/.portal-pending/acme/'))).toBe(true);
  });

  it("aborts the endpoint's unfinished uploads, page by page, before deleting its files", async () => {
    const h = harness();
    existing(h, true);
    h.s3Mock
      .on(ListMultipartUploadsCommand, { Prefix: 'uploads/acme/' })
      .resolvesOnce({ Uploads: [{ Key: 'uploads/acme/a.bin', UploadId: 'u1' }, { Key: 'uploads/acme/b.bin', UploadId: 'u2' }], IsTruncated: true, NextKeyMarker: 'uploads/acme/b.bin', NextUploadIdMarker: 'u2' })
      .resolvesOnce({ Uploads: [{ Key: 'uploads/acme/c.bin', UploadId: 'u3' }], IsTruncated: false });
    // u2 was completed meanwhile: a file now, deleted with the others.
    h.s3Mock.on(AbortMultipartUploadCommand).resolves({});
    h.s3Mock.on(AbortMultipartUploadCommand, { UploadId: 'u2' }).rejects(s3Error('NoSuchUpload', 404));
    h.s3Mock.on(ListObjectsV2Command, { Prefix: 'uploads/acme/' }).resolvesOnce({ Contents: [{ Key: 'uploads/acme/b.bin' }] }).resolves({});
    h.s3Mock.on(ListObjectsV2Command, { Prefix: 'uploads/.portal-pending/acme/' }).resolves({});
    h.s3Mock.on(DeleteObjectsCommand).resolves({});
    const res = await h.call('DELETE', '/admin/api/endpoints/acme', { body: { purgeFiles: true, confirm: 'acme' } });
    expect(res).toMatchObject({ status: 200, body: { filesPurged: 1, uploadsAborted: 2 } });
    const lists = h.s3Mock.commandCalls(ListMultipartUploadsCommand).map((c) => c.args[0].input);
    expect(lists.map((l) => [l.KeyMarker, l.UploadIdMarker])).toEqual([[undefined, undefined], ['uploads/acme/b.bin', 'u2']]);
    expect(h.s3Mock.commandCalls(AbortMultipartUploadCommand).map((c) => [c.args[0].input.Key, c.args[0].input.UploadId])).toEqual([
      ['uploads/acme/a.bin', 'u1'],
      ['uploads/acme/b.bin', 'u2'],
      ['uploads/acme/c.bin', 'u3'],
    ]);
    const order = h.s3Mock.calls().map((c) => c.args[0].constructor.name).filter((n) => n === 'AbortMultipartUploadCommand' || n === 'DeleteObjectsCommand');
    expect(order.indexOf('DeleteObjectsCommand')).toBeGreaterThan(order.lastIndexOf('AbortMultipartUploadCommand'));
    expect(bodyOf(putsTo(h, '_portal/audit/all/')[1]!)).toMatchObject({ action: 'endpoint.deleted', details: { filesPurged: 1, uploadsAborted: 2 } });
  });

  it('stops the purge with 500 purge_failed when an upload cannot be aborted, keeping the record for a retry', async () => {
    const h = harness();
    existing(h, true);
    h.s3Mock.on(ListMultipartUploadsCommand).resolves({ Uploads: [{ Key: 'uploads/acme/a.bin', UploadId: 'u1' }], IsTruncated: false });
    h.s3Mock.on(AbortMultipartUploadCommand).rejects(s3Error('AccessDenied', 403));
    const res = await h.call('DELETE', '/admin/api/endpoints/acme', { body: { purgeFiles: true, confirm: 'acme' } });
    expect(res).toMatchObject({ status: 500, body: { error: { code: 'purge_failed' } } });
    expect(h.s3Mock.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
    expect(h.s3Mock.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  it('disables the record (If-Match) and removes the logins before any purge, then answers 409 purge_too_soon while its upload URLs may be alive, keeping the record', async () => {
    const h = harness();
    existing(h);
    h.s3Mock.on(ListMultipartUploadsCommand).resolves({ IsTruncated: false });
    h.s3Mock.on(ListObjectsV2Command).resolves({});
    const res = await h.call('DELETE', '/admin/api/endpoints/acme', { body: { purgeFiles: true, confirm: 'acme' } });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'purge_too_soon', message: expect.stringMatching(/delete it again in \d+ s/) } } });
    const [write] = putsTo(h, '_portal/endpoints/');
    expect(write).toMatchObject({ Key: RECORD_KEY, IfMatch: '"e1"' });
    expect(bodyOf(write!)).toMatchObject({ name: 'acme', disabled: true, logins: ['bob@acme.example', 'carol@acme.example'] });
    expect(h.cognitoMock.commandCalls(AdminDeleteUserCommand)).toHaveLength(2);
    expect(h.s3Mock.commandCalls(ListMultipartUploadsCommand)).toHaveLength(0);
    expect(h.s3Mock.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
    expect(h.s3Mock.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  it('answers 409 and removes nothing when the record changed between reading and disabling it', async () => {
    const h = harness();
    existing(h);
    recordChangedMeanwhile(h);
    const res = await h.call('DELETE', '/admin/api/endpoints/acme');
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect(h.cognitoMock.calls()).toHaveLength(0);
    expect(h.s3Mock.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  it('does not rewrite a record that is already disabled', async () => {
    const h = harness();
    h.s3Mock.on(GetObjectCommand, { Key: RECORD_KEY }).resolves(objectBody(JSON.stringify(makeRecord({ disabled: true })), '"e1"'));
    h.s3Mock.on(PutObjectCommand).resolves({});
    h.s3Mock.on(DeleteObjectCommand).resolves({});
    expect((await h.call('DELETE', '/admin/api/endpoints/acme')).status).toBe(200);
    expect(putsTo(h, '_portal/endpoints/')).toEqual([]);
  });

  it('answers 409 conflict when the version the admin saw is stale, deleting nothing', async () => {
    const h = harness();
    existing(h);
    const res = await h.call('DELETE', '/admin/api/endpoints/acme', { body: { purgeFiles: true, confirm: 'acme', version: '"e0"' } });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect(h.cognitoMock.calls()).toHaveLength(0);
    expect(h.s3Mock.commandCalls(DeleteObjectCommand)).toHaveLength(0);
    expect(h.s3Mock.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
    const current = await h.call('DELETE', '/admin/api/endpoints/acme', { body: { version: '"e1"' } });
    expect(current).toMatchObject({ status: 200, body: { name: 'acme', filesPurged: null } });
  });

  it('audits a deletion that failed part-way, then reports the error', async () => {
    const h = harness();
    existing(h, true);
    h.s3Mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'uploads/acme/a' }] });
    h.s3Mock.on(ListMultipartUploadsCommand).resolves({ IsTruncated: false });
    h.s3Mock.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'uploads/acme/a', Code: 'AccessDenied' }] });
    const res = await h.call('DELETE', '/admin/api/endpoints/acme', { body: { purgeFiles: true, confirm: 'acme' } });
    expect(res).toMatchObject({ status: 500, body: { error: { code: 'purge_failed' } } });
    expect(h.s3Mock.commandCalls(DeleteObjectCommand)).toHaveLength(0); // the record stays, a retry can finish
    expect(bodyOf(putsTo(h, '_portal/audit/all/')[1]!)).toMatchObject({ action: 'endpoint.deleted', details: { incomplete: true, failedStep: 'purge files' } });
  });

  it.each([{ purgeFiles: true }, { purgeFiles: true, confirm: 'acme2' }, { purgeFiles: true, confirm: 'ACME' }])(
    'refuses to purge with a wrong confirmation %j, deleting nothing',
    async (body) => {
      const h = harness();
      existing(h);
      const res = await h.call('DELETE', '/admin/api/endpoints/acme', { body });
      expect(res).toMatchObject({ status: 400, body: { error: { code: 'confirmation_mismatch' } } });
      expect(h.cognitoMock.calls()).toHaveLength(0);
      expect(h.s3Mock.commandCalls(DeleteObjectCommand)).toHaveLength(0);
      expect(h.s3Mock.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
    },
  );

  it('needs JSON when a DELETE carries a body (415)', async () => {
    const h = harness();
    existing(h);
    const res = await h.call('DELETE', '/admin/api/endpoints/acme', { body: 'purgeFiles=true&confirm=acme', headers: { 'content-type': 'text/plain' } });
    expect(res).toMatchObject({ status: 415 });
    expect(h.s3Mock.calls()).toHaveLength(0);
  });

  it('refuses a bodiless cross-site DELETE (CSRF rule still applies)', async () => {
    const h = harness();
    expect(await h.call('DELETE', '/admin/api/endpoints/acme', { bare: true })).toMatchObject({ status: 403, body: { error: { code: 'csrf_rejected' } } });
    expect(h.s3Mock.calls()).toHaveLength(0);
  });

  it('answers 404 for an unknown endpoint', async () => {
    const h = harness();
    h.s3Mock.on(GetObjectCommand).rejects(noSuchKey());
    expect((await h.call('DELETE', '/admin/api/endpoints/nope')).status).toBe(404);
    expect(h.cognitoMock.calls()).toHaveLength(0);
  });
});
