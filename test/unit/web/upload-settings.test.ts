import { describe, expect, it } from 'vitest';
import { readEnv } from '../../../contract/lambda-env.js';
import { describeMe } from '../../../lambdas/uploads/me.js';
import { UPLOAD_SETTINGS_ENV, uploadSettings } from '../../../lambdas/uploads/settings.js';
import { DEFAULT_UPLOAD_SETTINGS } from '../../../web/src/shared/uploader.js';

describe("the page's upload settings when /api/me is not reachable", () => {
  it('are what the uploads Lambda tells the page when the stack sets nothing but the bucket', () => {
    const settings = uploadSettings(readEnv('uploads', UPLOAD_SETTINGS_ENV, { BUCKET_NAME: 'portal-data' }));
    const me = describeMe({ kind: 'admin', subject: 's', email: 'a@example.com', name: 'A' }, null, settings);
    expect(DEFAULT_UPLOAD_SETTINGS).toEqual(me.upload);
  });
});
