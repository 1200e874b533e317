// The console's audit page names every action in words, says when a result was cut short, and shows an
// action it does not know (written by a newer portal) as it is.
import { describe, expect, it } from 'vitest';
import { ACTION_TEXT, actionLabel } from '../../../web/src/admin/audit-page.js';

describe('audit action labels', () => {
  it('labels intents as started and their results as done', () => {
    expect(actionLabel({ action: 'endpoint.deleting', details: {} })).toBe('Endpoint deletion started');
    expect(actionLabel({ action: 'endpoint.deleted', details: { intentId: 'a' } })).toBe('Endpoint deleted');
    expect(actionLabel({ action: 'upload.completing', details: {} })).toBe('Upload completion started');
    expect(actionLabel({ action: 'upload.started', details: { principalKind: 'admin' } })).toBe('Upload started by an admin');
  });

  it('marks a result that failed part-way as incomplete', () => {
    expect(actionLabel({ action: 'file.deleted', details: { incomplete: true, failedStep: 'delete object' } })).toBe('File deleted (incomplete)');
  });

  it('shows an unknown action as it is', () => {
    const fromNewerPortal = JSON.parse('{"action":"quota.changed","details":{}}') as Parameters<typeof actionLabel>[0];
    expect(actionLabel(fromNewerPortal)).toBe('quota.changed');
  });

  it('gives every action a distinct label', () => {
    const labels = Object.values(ACTION_TEXT);
    expect(new Set(labels).size).toBe(labels.length);
  });
});
