// The layering rules of `npm run lint` (eslint.layering.js), run on import lines as each folder would
// write them: every forbidden direction is refused (static or dynamic import, or a require made by
// createRequire), and the allowed ones pass.
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
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
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
    // Nested folders: the rule follows the folder, not the number of `../`.
    ['lambdas/shared/catalog/catalog-items.ts', "import { x } from '../../uploads/multipart.js';"],
    ['lambdas/uploads/checks/size.ts', "import { x } from '../../admin/settings.js';"],
    ['lambdas/uploads/checks/size.ts', "import { x } from '../../../infra/config.js';"],
    ['lambdas/uploads/app.ts', "import { x } from '../../lambdas/admin/settings.js';"],
    ['lambdas/shared/catalog/deep/deeper/deepest/too-deep/x.ts', "import { x } from '../y.js';"],
    ['web/src/customer/api.ts', "import type { MeResponse } from '../../../lambdas/uploads/me.js';"],
    ['web/build/precompress.ts', "import { x } from '../../lambdas/web/app.js';"],
    ['local/s3-setup.ts', "import { CORS_ALLOWED_HEADERS } from '../infra/storage.js';"],
    ['local/gateway/gateway.ts', "import { Stack } from 'aws-cdk-lib';"],
    ['infra/storage.ts', "import { x } from '../lambdas/shared/upload-reservation.js';"],
    // Dynamic imports follow the same rules as static ones.
    ['local/portal.ts', "const config = await import('../infra/config.js');"],
    ['local/portal.ts', "const stack = await import(`../infra/${name}.js`);"],
    ['local/gateway/gateway.ts', "const cdk = await import('aws-cdk-lib');"],
    ['lambdas/uploads/app.ts', "const admin = await import('../admin/settings.js');"],
    ['web/src/customer/api.ts', "const me = await import('../../../lambdas/uploads/me.js');"],
    // createRequire would load anything past the import rules.
    ['local/gateway/gateway.ts', "import { createRequire } from 'node:module'; const cdk = createRequire(import.meta.url)('aws-cdk-lib');"],
    ['lambdas/uploads/app.ts', "import * as module from 'node:module'; const load = module.createRequire(import.meta.url);"],
    ['web/src/customer/api.ts', "import { createRequire } from 'node:module';"],
    ['contract/limits.ts', "import { createRequire } from 'node:module';"],
    // Allow-lists: root folders no layer names (scripts/, bin/) and root files are refused too.
    ['web/src/customer/api.ts', "import { x } from '../../../scripts/readme-errors.js';"],
    ['lambdas/uploads/app.ts', "import { x } from '../../scripts/verify-file.js';"],
    ['local/portal.ts', "import { x } from '../bin/portal.js';"],
    ['web/build/precompress.ts', "import { layering } from '../../eslint.layering.js';"],
    ['infra/storage.ts', "import { x } from '../scripts/readme-errors.js';"],
    // contract/ at any depth.
    ['contract/api/v2/uploads.ts', "import { x } from '../../../infra/config.js';"],
    ['contract/api/v2/uploads.ts', "import { createHash } from 'node:crypto';"],
  ])('%s may not: %s', async (file, line) => {
    expect(await refusals(file, line)).not.toEqual([]);
  });

  it.each([
    ['contract/errors.ts', "import { x } from './limits.js';"],
    ['contract/api/uploads.ts', "import { x } from '../limits.js'; import { y } from './route.js';"],
    ['lambdas/uploads/app.ts', "import { x } from '../shared/http.js'; import { y } from '../../contract/errors.js'; import { z } from './core.js'; import { S3Client } from '@aws-sdk/client-s3';"],
    ['lambdas/shared/catalog/catalog-items.ts', "import { x } from '../errors.js'; import { y } from '../../shared/errors.js'; import { z } from '../../../contract/bucket-layout.js'; import { w } from './catalog-path.js';"],
    ['lambdas/uploads/checks/size.ts', "import { x } from '../core.js'; import { y } from '../../shared/http.js'; import { z } from '../../../contract/limits.js'; import { w } from '../../uploads/part-signer.js';"],
    ['lambdas/notify/app.ts', "import { x } from '../shared/notifications/webhook-address.js'; import { y } from '../shared/catalog/catalog-db.js';"],
    ['web/src/admin/api.ts', "import { x } from '../shared/api-client.js'; import { y } from '../../../contract/api/admin.js'; import Uppy from '@uppy/core';"],
    ['local/portal.ts', "import { x } from '../contract/routes.js'; import { y } from './gateway/gateway.js';"],
    ['infra/storage.ts', "import { x } from '../contract/bucket-layout.js'; import { Bucket } from 'aws-cdk-lib/aws-s3';"],
    ['infra/web-pages.ts', "import { createRequire } from 'node:module'; const manifest = createRequire(root).resolve('vite/package.json');"],
    ['contract/api/v2/uploads.ts', "import { x } from '../../limits.js'; import { y } from '../route.js'; import { z } from './paths.js';"],
    ['local/portal.ts', "const gateway = await import('./gateway/gateway.js'); const handler = await import('../lambdas/uploads/handler.js'); const dep = await import('dynalite');"],
    ['lambdas/uploads/app.ts', "const shared = await import('../shared/http.js'); const sdk = await import('@aws-sdk/client-s3');"],
  ])('%s may: %s', async (file, line) => {
    expect(await refusals(file, line)).toEqual([]);
  });
});
