// The layering rules of `npm run lint` (eslint.layering.js), run on import lines as each folder would
// write them: every forbidden direction is refused, and the allowed ones pass.
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { layering } from '../../../eslint.layering.js';

const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tseslint.parser } }, ...layering],
});

async function refusals(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering', () => {
  it.each([
    ['contract/errors.ts', "import { x } from '../lambdas/shared/errors.js';"],
    ['contract/errors.ts', "import { createHash } from 'node:crypto';"],
    ['contract/api/uploads.ts', "import { x } from '../../infra/config.js';"],
    ['lambdas/uploads/app.ts', "import { ROUTES } from '../../infra/routes.js';"],
    ['lambdas/uploads/app.ts', "import { x } from '../../local/portal.js';"],
    ['lambdas/uploads/app.ts', "import { x } from '../admin/settings.js';"],
    ['lambdas/web/signout.ts', "import { App } from 'aws-cdk-lib';"],
    ['web/src/customer/api.ts', "import type { MeResponse } from '../../../lambdas/uploads/me.js';"],
    ['web/build/precompress.ts', "import { x } from '../../lambdas/web/app.js';"],
    ['local/s3-setup.ts', "import { CORS_ALLOWED_HEADERS } from '../infra/storage.js';"],
    ['local/gateway/gateway.ts', "import { Stack } from 'aws-cdk-lib';"],
    ['infra/storage.ts', "import { x } from '../lambdas/shared/upload-reservation.js';"],
  ])('%s may not: %s', async (file, line) => {
    expect(await refusals(file, line)).not.toEqual([]);
  });

  it.each([
    ['contract/errors.ts', "import { x } from './limits.js';"],
    ['contract/api/uploads.ts', "import { x } from '../limits.js'; import { y } from './route.js';"],
    ['lambdas/uploads/app.ts', "import { x } from '../shared/http.js'; import { y } from '../../contract/errors.js'; import { z } from './core.js'; import { S3Client } from '@aws-sdk/client-s3';"],
    ['web/src/admin/api.ts', "import { x } from '../shared/api-client.js'; import { y } from '../../../contract/api/admin.js'; import Uppy from '@uppy/core';"],
    ['local/portal.ts', "import { x } from '../contract/routes.js'; import { y } from './gateway/gateway.js';"],
    ['infra/storage.ts', "import { x } from '../contract/bucket-layout.js'; import { Bucket } from 'aws-cdk-lib/aws-s3';"],
  ])('%s may: %s', async (file, line) => {
    expect(await refusals(file, line)).toEqual([]);
  });
});
