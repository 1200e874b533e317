// The update-endpoint use case step by step: save, audit, then bring the logins in line; nothing is undone.
import { describe, expect, it } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { AdminDisableUserCommand, AdminEnableUserCommand, TooManyRequestsException } from '@aws-sdk/client-cognito-identity-provider';
import { parsePatchEndpoint } from '../../../lambdas/admin/endpoint-input.js';
import { changedFields, updateEndpoint } from '../../../lambdas/admin/update-endpoint.js';
import { auditEvents, CONTEXT, existingRecord, makeRecord, NOW, recordChangedMeanwhile, recordWrites, useCaseHarness, type UseCaseHarness } from './harness.js';

function existing(h: UseCaseHarness, record = makeRecord({ logins: ['bob@acme.example', 'carol@acme.example'] })) {
  existingRecord(h, record);
  h.cognitoMock.on(AdminDisableUserCommand).resolves({});
  h.cognitoMock.on(AdminEnableUserCommand).resolves({});
}

describe('updateEndpoint', () => {
  it('saves the record, audits the change, syncs the logins, and returns the summary as data', async () => {
    const h = useCaseHarness();
    existing(h);
    const summary = await updateEndpoint(h.services, CONTEXT, 'acme', parsePatchEndpoint({ disabled: true, notes: '' }, NOW));
    expect(summary).toMatchObject({ name: 'acme', disabled: true, state: 'disabled', version: '"e2"' });
    expect(recordWrites(h).map((p) => p.IfMatch)).toEqual(['"e1"']);
    // `notes` was asked for but did not change: only real changes are audited.
    expect(auditEvents(h)).toEqual([expect.objectContaining({ action: 'endpoint.updated', details: { changes: { disabled: { from: false, to: true } }, state: 'disabled' } })]);
    expect(h.cognitoMock.commandCalls(AdminDisableUserCommand)).toHaveLength(2);
    const [save] = h.s3Mock.commandCalls(PutObjectCommand);
    expect(save!.calledBefore(h.cognitoMock.commandCalls(AdminDisableUserCommand)[0]!)).toBe(true);
  });

  it('step "save record" fails: nothing is audited and Cognito is left alone', async () => {
    const h = useCaseHarness();
    existing(h);
    recordChangedMeanwhile(h);
    await expect(updateEndpoint(h.services, CONTEXT, 'acme', parsePatchEndpoint({ disabled: true }, NOW))).rejects.toMatchObject({ code: 'conflict' });
    expect(auditEvents(h)).toEqual([]);
    expect(h.cognitoMock.calls()).toHaveLength(0);
  });

  it('step "sync logins" fails: the saved change stays audited and is not rolled back (a repeated PATCH finishes it)', async () => {
    const h = useCaseHarness();
    existing(h);
    h.cognitoMock.on(AdminDisableUserCommand).rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    await expect(updateEndpoint(h.services, CONTEXT, 'acme', parsePatchEndpoint({ disabled: true }, NOW))).rejects.toMatchObject({ code: 'directory_busy' });
    expect(recordWrites(h)).toHaveLength(1);
    expect(auditEvents(h)).toEqual([expect.objectContaining({ action: 'endpoint.updated', details: expect.objectContaining({ state: 'disabled' }) })]);
    expect(h.logger.error).not.toHaveBeenCalled();
  });

  it('refuses a stale version before saving', async () => {
    const h = useCaseHarness();
    existing(h);
    await expect(updateEndpoint(h.services, CONTEXT, 'acme', parsePatchEndpoint({ notes: 'x', version: '"e0"' }, NOW))).rejects.toMatchObject({ code: 'conflict' });
    expect(h.s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});

describe('changedFields', () => {
  it('lists the requested fields whose value changed, comparing lists by value', () => {
    const before = makeRecord({ allowedExtensions: ['pdf'], notes: 'a' });
    const input = parsePatchEndpoint({ allowedExtensions: ['PDF'], notes: 'b', maxFileSizeBytes: 5 }, NOW);
    const after = { ...before, ...input.changes };
    expect(changedFields(before, after, input)).toEqual({ notes: { from: 'a', to: 'b' }, maxFileSizeBytes: { from: null, to: 5 } });
  });
});
