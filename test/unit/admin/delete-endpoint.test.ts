// The delete-endpoint use case step by step: it writes its intent before the first step, stops at the
// failing step and audits which one it was.
import { describe, expect, it } from 'vitest';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { AdminDeleteUserCommand, TooManyRequestsException } from '@aws-sdk/client-cognito-identity-provider';
import { webhookSecretKey } from '../../../contract/bucket-layout.js';
import { deleteEndpoint } from '../../../lambdas/admin/delete-endpoint.js';
import { parseDeleteEndpoint } from '../../../lambdas/admin/endpoint-input.js';
import type { EndpointRecord } from '../../../lambdas/shared/endpoint-record.js';
import { auditEvents, CONTEXT, existingRecord, expectIntentThenResult, inputsOf, makeRecord, POOL, RECORD_KEY, recordChangedMeanwhile, recordWrites, s3Error, useCaseHarness, type UseCaseHarness } from './harness.js';

const KEEP_FILES = parseDeleteEndpoint(undefined, 'acme');
/** Disabled long before the call: every upload URL it handed out has expired, so a purge may run. */
const CLOSED = makeRecord({ logins: ['bob@acme.example', 'carol@acme.example'], disabled: true });
const PURGE = parseDeleteEndpoint({ purgeFiles: true, confirm: 'acme' }, 'acme');

function existing(h: UseCaseHarness, record: EndpointRecord = makeRecord({ logins: ['bob@acme.example', 'carol@acme.example'] })) {
  existingRecord(h, record);
  h.s3Mock.on(DeleteObjectCommand).resolves({});
  h.s3Mock.on(ListMultipartUploadsCommand).resolves({ IsTruncated: false });
  h.s3Mock.on(ListObjectsV2Command).resolves({});
  h.s3Mock.on(DeleteObjectsCommand).resolves({});
  h.cognitoMock.on(AdminDeleteUserCommand).resolves({});
}

/** The intent every deletion writes first, then its result naming it. */
const intentThen = (h: UseCaseHarness, purgeFiles: boolean, result: { details: object; [field: string]: unknown }) =>
  expectIntentThenResult(h, { action: 'endpoint.deleting', endpoint: 'acme', target: 'acme', details: { purgeFiles } }, result);

/** The calls each step made (tried), in the order the use case runs the steps. */
const stepsDone = (h: UseCaseHarness) => ({
  recordWrites: recordWrites(h).length,
  loginDeletes: h.cognitoMock.commandCalls(AdminDeleteUserCommand).length,
  purgeStarted: h.s3Mock.commandCalls(ListMultipartUploadsCommand).length > 0,
  recordDeletes: h.s3Mock.commandCalls(DeleteObjectCommand).length,
});

describe('deleteEndpoint', () => {
  it('disables the record, removes the logins, deletes the record, audits, and returns the result as data', async () => {
    const h = useCaseHarness();
    existing(h);
    const result = await deleteEndpoint(h.services, CONTEXT, 'acme', KEEP_FILES);
    expect(result).toEqual({ name: 'acme', loginsRemoved: ['bob@acme.example', 'carol@acme.example'], filesPurged: null, uploadsAborted: null });
    expect(stepsDone(h)).toEqual({ recordWrites: 1, loginDeletes: 2, purgeStarted: false, recordDeletes: 1 });
    intentThen(h, false, {
      action: 'endpoint.deleted',
      details: { loginsRemoved: ['bob@acme.example', 'carol@acme.example'], purgeFiles: false, filesPurged: null, uploadsAborted: null },
    });
  });

  it('purges only when the input carries the confirmed purge, and reports what it purged', async () => {
    const h = useCaseHarness();
    existing(h, CLOSED);
    h.s3Mock.on(ListObjectsV2Command, { Prefix: 'uploads/acme/' }).resolvesOnce({ Contents: [{ Key: 'uploads/acme/a.pdf' }] }).resolves({});
    expect(await deleteEndpoint(h.services, CONTEXT, 'acme', PURGE)).toMatchObject({ filesPurged: 1, uploadsAborted: 0 });
    expect(inputsOf(h.s3Mock, DeleteObjectsCommand)).toEqual([{ Bucket: 'portal-bucket', Delete: { Objects: [{ Key: 'uploads/acme/a.pdf' }], Quiet: true } }]);

    const kept = useCaseHarness();
    existing(kept);
    kept.s3Mock.on(ListObjectsV2Command, { Prefix: 'uploads/acme/' }).resolves({ Contents: [{ Key: 'uploads/acme/a.pdf' }] });
    expect(await deleteEndpoint(kept.services, CONTEXT, 'acme', KEEP_FILES)).toMatchObject({ filesPurged: null });
    expect(kept.s3Mock.commandCalls(ListObjectsV2Command)).toHaveLength(0);
    expect(kept.s3Mock.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
  });

  it("deletes the webhook's signing secret after the record, so no secret outlives the endpoint that named it", async () => {
    const h = useCaseHarness();
    const webhook = { url: 'https://hooks.acme.example/portal', secretId: '5f0c2a9e-1d7b-4c2e-9a51-3b8f6d4e2c10', secretCreatedAt: CONTEXT.now.toISOString() };
    existing(h, makeRecord({ logins: [], disabled: true, notifications: { adminRecipients: [], customerReceipt: false, webhook } }));
    await deleteEndpoint(h.services, CONTEXT, 'acme', KEEP_FILES);
    expect(h.s3Mock.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input.Key)).toEqual([RECORD_KEY, webhookSecretKey('acme', webhook.secretId)]);

    const none = useCaseHarness();
    existing(none, CLOSED);
    await deleteEndpoint(none.services, CONTEXT, 'acme', KEEP_FILES);
    expect(none.s3Mock.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input.Key)).toEqual([RECORD_KEY]);
  });

  it.each([
    {
      step: 'disable endpoint',
      fail: (h: UseCaseHarness) => recordChangedMeanwhile(h),
      error: { code: 'conflict' },
      done: { recordWrites: 1, loginDeletes: 0, purgeStarted: false, recordDeletes: 0 },
    },
    {
      step: 'remove logins',
      fail: (h: UseCaseHarness) => h.cognitoMock.on(AdminDeleteUserCommand, { Username: 'carol@acme.example' }).rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} })),
      error: { code: 'directory_busy' },
      done: { recordWrites: 1, loginDeletes: 2, purgeStarted: false, recordDeletes: 0 },
    },
    {
      step: 'purge files',
      fail: (h: UseCaseHarness) => {
        h.s3Mock.on(ListObjectsV2Command, { Prefix: 'uploads/acme/' }).resolves({ Contents: [{ Key: 'uploads/acme/a' }] });
        h.s3Mock.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'uploads/acme/a', Code: 'AccessDenied' }] });
      },
      error: { code: 'purge_failed' },
      record: CLOSED,
      done: { recordWrites: 0, loginDeletes: 2, purgeStarted: true, recordDeletes: 0 },
    },
    {
      step: 'delete record',
      fail: (h: UseCaseHarness) => h.s3Mock.on(DeleteObjectCommand, { Key: RECORD_KEY }).rejects(s3Error('InternalError', 500)),
      error: { name: 'InternalError' },
      record: CLOSED,
      done: { recordWrites: 0, loginDeletes: 2, purgeStarted: true, recordDeletes: 1 },
    },
  ] as { step: string; fail: (h: UseCaseHarness) => void; error: object; record?: EndpointRecord; done: ReturnType<typeof stepsDone> }[])('stops when the step $step fails and audits the deletion as incomplete with that step', async ({ step, fail, error, record, done }) => {
    const h = useCaseHarness();
    existing(h, record);
    fail(h);
    await expect(deleteEndpoint(h.services, CONTEXT, 'acme', PURGE)).rejects.toMatchObject(error);
    expect(stepsDone(h)).toEqual(done);
    intentThen(h, true, { action: 'endpoint.deleted', endpoint: 'acme', target: 'acme', details: { incomplete: true, failedStep: step, purgeFiles: true } });
  });

  it('ends access, then refuses to purge while an upload URL the endpoint handed out may be alive (409 purge_too_soon), and purges on the retry after it', async () => {
    const h = useCaseHarness();
    existing(h);
    h.s3Mock.on(ListObjectsV2Command, { Prefix: 'uploads/acme/' }).resolvesOnce({ Contents: [{ Key: 'uploads/acme/a.pdf' }] }).resolves({});
    // Disabled now: the uploads Lambda may hand out URLs for 30 s more (its record cache), each valid 5 minutes, plus 30 s for clocks.
    await expect(deleteEndpoint(h.services, CONTEXT, 'acme', PURGE)).rejects.toMatchObject({ code: 'purge_too_soon', status: 409, message: expect.stringContaining('in 360 s') });
    expect(stepsDone(h)).toEqual({ recordWrites: 1, loginDeletes: 2, purgeStarted: false, recordDeletes: 0 });
    intentThen(h, true, { action: 'endpoint.deleted', details: { incomplete: true, failedStep: 'purge files', purgeFiles: true } });

    const at = (seconds: number) => ({ ...CONTEXT, now: new Date(CONTEXT.now.getTime() + seconds * 1000) });
    const disabled = makeRecord({ logins: [], disabled: true, updatedAt: CONTEXT.now.toISOString() });
    const early = useCaseHarness();
    existing(early, disabled);
    await expect(deleteEndpoint(early.services, at(300), 'acme', PURGE)).rejects.toMatchObject({ code: 'purge_too_soon', message: expect.stringContaining('in 60 s') });
    expect(stepsDone(early).purgeStarted).toBe(false);
    const retry = useCaseHarness();
    existing(retry, disabled);
    retry.s3Mock.on(ListObjectsV2Command, { Prefix: 'uploads/acme/' }).resolvesOnce({ Contents: [{ Key: 'uploads/acme/a.pdf' }] }).resolves({});
    expect(await deleteEndpoint(retry.services, at(360), 'acme', PURGE)).toMatchObject({ filesPurged: 1 });
    expect(stepsDone(retry)).toEqual({ recordWrites: 0, loginDeletes: 0, purgeStarted: true, recordDeletes: 1 });
  });

  it('skips disabling a record that is already disabled, and names the first step that then fails', async () => {
    const h = useCaseHarness();
    existing(h, makeRecord({ disabled: true }));
    h.cognitoMock.on(AdminDeleteUserCommand).rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    await expect(deleteEndpoint(h.services, CONTEXT, 'acme', KEEP_FILES)).rejects.toMatchObject({ code: 'directory_busy' });
    expect(recordWrites(h)).toEqual([]);
    intentThen(h, false, { action: 'endpoint.deleted', details: { incomplete: true, failedStep: 'remove logins', purgeFiles: false } });
  });

  it('refuses a stale version before the first step: nothing changed, so nothing is audited', async () => {
    const h = useCaseHarness();
    existing(h);
    await expect(deleteEndpoint(h.services, CONTEXT, 'acme', { ...PURGE, version: '"e0"' })).rejects.toMatchObject({ code: 'conflict' });
    expect(stepsDone(h)).toEqual({ recordWrites: 0, loginDeletes: 0, purgeStarted: false, recordDeletes: 0 });
    expect(auditEvents(h)).toEqual([]);
  });

  it('changes nothing when the intent cannot be written: no step runs, no result is written', async () => {
    const h = useCaseHarness();
    existing(h);
    h.s3Mock.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput) => {
      if (input.Key!.startsWith('_portal/audit/')) throw s3Error('InternalError', 500);
      return { ETag: '"e2"' };
    });
    await expect(deleteEndpoint(h.services, CONTEXT, 'acme', PURGE)).rejects.toMatchObject({ name: 'InternalError' });
    expect(stepsDone(h)).toEqual({ recordWrites: 0, loginDeletes: 0, purgeStarted: false, recordDeletes: 0 });
    expect(h.logger.error).not.toHaveBeenCalled();
  });

  it('still reports the step that failed when the incomplete audit cannot be written', async () => {
    const h = useCaseHarness();
    existing(h);
    let auditWrites = 0;
    h.s3Mock.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput) => {
      // The intent (its two copies) is stored; every later audit write fails.
      if (input.Key!.startsWith('_portal/audit/') && ++auditWrites > 2) throw s3Error('InternalError', 500);
      return { ETag: '"e2"' };
    });
    h.cognitoMock.on(AdminDeleteUserCommand, { Username: 'bob@acme.example' }).rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    await expect(deleteEndpoint(h.services, CONTEXT, 'acme', KEEP_FILES)).rejects.toMatchObject({ code: 'directory_busy' });
    expect(h.logger.error).toHaveBeenCalledWith(
      'audit write failed',
      expect.objectContaining({ audit: expect.objectContaining({ details: { incomplete: true, failedStep: 'remove logins', purgeFiles: false, intentId: expect.any(String) } }) }),
    );
    expect(inputsOf(h.cognitoMock, AdminDeleteUserCommand)).toContainEqual({ UserPoolId: POOL, Username: 'bob@acme.example' });
  });
});
