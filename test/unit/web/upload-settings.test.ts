import { describe, expect, it } from 'vitest';
import { readEnv } from '../../../contract/lambda-env.js';
import { describeMe } from '../../../lambdas/uploads/me.js';
import { UPLOAD_SETTINGS_ENV, uploadSettings } from '../../../lambdas/uploads/settings.js';
import { DEFAULT_UPLOAD_SETTINGS, restoreLifetimeMs } from '../../../web/src/shared/uploader.js';

describe("the page's upload settings when /api/me is not reachable", () => {
  it('are what the uploads Lambda tells the page when the stack sets nothing but the bucket', () => {
    const settings = uploadSettings(readEnv('uploads', UPLOAD_SETTINGS_ENV, { BUCKET_NAME: 'portal-data' }));
    const me = describeMe({ kind: 'admin', subject: 's', email: 'a@example.com', name: 'A' }, null, settings);
    expect(DEFAULT_UPLOAD_SETTINGS).toEqual(me.upload);
  });
});

describe("how long the page keeps what a reload needs to resume", () => {
  it("follows the deployment's incompleteUploadDays (up to the lifecycle rule's next midnight), not a fixed week", () => {
    const day = 86_400_000;
    expect(restoreLifetimeMs({ incompleteUploadDays: 30 })).toBe(31 * day);
    expect(restoreLifetimeMs({ incompleteUploadDays: 1 })).toBe(2 * day);
    expect(restoreLifetimeMs(DEFAULT_UPLOAD_SETTINGS)).toBe((DEFAULT_UPLOAD_SETTINGS.incompleteUploadDays + 1) * day);
  });
});
