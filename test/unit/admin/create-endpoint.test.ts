// The create-endpoint use case step by step: which step fails decides what is undone.
import { describe, expect, it } from 'vitest';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { AdminCreateUserCommand, AdminDeleteUserCommand, TooManyRequestsException, UsernameExistsException } from '@aws-sdk/client-cognito-identity-provider';
import { createEndpoint } from '../../../lambdas/admin/create-endpoint.js';
import { parseCreateEndpoint } from '../../../lambdas/admin/endpoint-input.js';
import { refusalOfAsync } from '../../support/portal-error.js';
import { CONTEXT, inputsOf, makeRecord, noSuchKey, NOW, objectBody, POOL, RECORD_KEY, s3Error, useCaseHarness, type UseCaseHarness } from './harness.js';

const INPUT = parseCreateEndpoint({ name: 'acme', customerEmail: 'bob@acme.example' }, NOW);

function freshName(h: UseCaseHarness) {
  h.s3Mock.on(GetObjectCommand, { Key: RECORD_KEY }).rejects(noSuchKey());
  h.s3Mock.on(ListObjectsV2Command, { Prefix: 'uploads/acme/' }).resolves({ KeyCount: 0 });
  h.s3Mock.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput) => ({ ETag: input.Key === RECORD_KEY ? (input.IfNoneMatch ? '"v1"' : '"v2"') : '"audit"' }));
  h.s3Mock.on(DeleteObjectCommand).resolves({});
  h.cognitoMock.on(AdminCreateUserCommand).resolves({ User: { Username: 'bob@acme.example' } });
  h.cognitoMock.on(AdminDeleteUserCommand).resolves({});
}

const auditActions = (h: UseCaseHarness) =>
  inputsOf<PutObjectCommandInput>(h.s3Mock, PutObjectCommand)
    .filter((p) => p.Key!.startsWith('_portal/audit/all/'))
    .map((p) => JSON.parse((p.Body as string)).action);

describe('createEndpoint', () => {
  it('creates the record, the login, records the login, audits, and returns the result as data', async () => {
    const h = useCaseHarness();
    freshName(h);
    const result = await createEndpoint(h.services, CONTEXT, INPUT);
    expect(result).toEqual({
      endpoint: expect.objectContaining({ name: 'acme', state: 'active', loginCount: 1, version: '"v2"' }),
      login: { username: 'bob@acme.example', email: 'bob@acme.example', temporaryPassword: expect.any(String), portalUrl: 'https://portal.example.com/', invitationSent: false },
    });
    expect(inputsOf<PutObjectCommandInput>(h.s3Mock, PutObjectCommand).map((p) => [p.Key!.replace(/\/[^/]*$/, '/'), p.IfNoneMatch, p.IfMatch])).toEqual([
      ['_portal/endpoints/', '*', undefined],
      ['_portal/endpoints/', undefined, '"v1"'],
      ['_portal/audit/all/', '*', undefined],
      ['_portal/audit/endpoint/acme/', '*', undefined],
    ]);
    expect(auditActions(h)).toEqual(['endpoint.created']);
    expect(h.s3Mock.commandCalls(DeleteObjectCommand)).toHaveLength(0);
    expect(h.cognitoMock.commandCalls(AdminDeleteUserCommand)).toHaveLength(0);
  });

  it('refuses a taken name before any step (409 endpoint_exists)', async () => {
    const h = useCaseHarness();
    freshName(h);
    h.s3Mock.on(GetObjectCommand, { Key: RECORD_KEY }).resolves(objectBody(JSON.stringify(makeRecord())));
    expect(await refusalOfAsync(() => createEndpoint(h.services, CONTEXT, INPUT))).toMatchObject({ code: 'endpoint_exists' });
    expect(h.s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(h.cognitoMock.calls()).toHaveLength(0);
  });

  it('step "create record" fails (another admin won the name): nothing to undo, no login made', async () => {
    const h = useCaseHarness();
    freshName(h);
    h.s3Mock.on(PutObjectCommand, { Key: RECORD_KEY, IfNoneMatch: '*' }).rejects(s3Error('PreconditionFailed', 412));
    expect(await refusalOfAsync(() => createEndpoint(h.services, CONTEXT, INPUT))).toMatchObject({ code: 'endpoint_exists' });
    expect(h.cognitoMock.calls()).toHaveLength(0);
    expect(h.s3Mock.commandCalls(DeleteObjectCommand)).toHaveLength(0);
    expect(auditActions(h)).toEqual([]);
  });

  it('step "create login" fails: the record is deleted, the login is not (it was never made)', async () => {
    const h = useCaseHarness();
    freshName(h);
    h.cognitoMock.on(AdminCreateUserCommand).rejects(new UsernameExistsException({ message: 'User account already exists', $metadata: {} }));
    expect(await refusalOfAsync(() => createEndpoint(h.services, CONTEXT, INPUT))).toMatchObject({ status: 409, code: 'login_exists' });
    expect(inputsOf(h.s3Mock, DeleteObjectCommand)).toEqual([{ Bucket: 'portal-bucket', Key: RECORD_KEY }]);
    expect(h.cognitoMock.commandCalls(AdminDeleteUserCommand)).toHaveLength(0);
    expect(inputsOf<PutObjectCommandInput>(h.s3Mock, PutObjectCommand).map((p) => p.Key)).toEqual([RECORD_KEY]);
    expect(auditActions(h)).toEqual([]);
  });

  it('step "record login" fails: the login is deleted, then the record', async () => {
    const h = useCaseHarness();
    freshName(h);
    h.s3Mock.on(PutObjectCommand, { Key: RECORD_KEY, IfMatch: '"v1"' }).rejects(s3Error('PreconditionFailed', 412));
    expect(await refusalOfAsync(() => createEndpoint(h.services, CONTEXT, INPUT))).toMatchObject({ status: 409, code: 'conflict' });
    expect(inputsOf(h.cognitoMock, AdminDeleteUserCommand)).toEqual([{ UserPoolId: POOL, Username: 'bob@acme.example' }]);
    expect(inputsOf(h.s3Mock, DeleteObjectCommand)).toEqual([{ Bucket: 'portal-bucket', Key: RECORD_KEY }]);
    const [loginDeleted] = h.cognitoMock.commandCalls(AdminDeleteUserCommand);
    const [recordDeleted] = h.s3Mock.commandCalls(DeleteObjectCommand);
    expect(loginDeleted!.calledBefore(recordDeleted!)).toBe(true);
    expect(auditActions(h)).toEqual([]);
  });

  it('a compensation that fails is logged, the next one still runs, and the original error is what the caller gets', async () => {
    const h = useCaseHarness();
    freshName(h);
    h.s3Mock.on(PutObjectCommand, { Key: RECORD_KEY, IfMatch: '"v1"' }).rejects(s3Error('PreconditionFailed', 412));
    const throttled = new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} });
    h.cognitoMock.on(AdminDeleteUserCommand).rejects(throttled);
    expect(await refusalOfAsync(() => createEndpoint(h.services, CONTEXT, INPUT))).toMatchObject({ status: 409, code: 'conflict' });
    expect(h.logger.error).toHaveBeenCalledWith('compensation failed', {
      useCase: 'create endpoint',
      step: 'create login',
      error: expect.objectContaining({ code: 'directory_busy', cause: throttled }),
    });
    expect(inputsOf(h.s3Mock, DeleteObjectCommand)).toEqual([{ Bucket: 'portal-bucket', Key: RECORD_KEY }]);
  });
});
