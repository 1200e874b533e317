// The admin Lambda's entry point (ALB target for /admin/api/*). Dependencies are built from
// process.env on the first call, so the local gateway can set the environment before importing.
import type { ALBEvent, ALBResult, Context } from 'aws-lambda';
import { parseLambdaEnv } from '../../contract/lambda-env.js';
import { createAlbHandler } from '../shared/alb-handler.js';
import { createCognitoClient, createS3Client } from '../shared/aws-clients.js';
import { createCatalogDb } from '../shared/catalog/catalog-db.js';
import { createIdentityVerifier, identitySettings } from '../shared/identity.js';
import { createLogger } from '../shared/logger.js';
import { createAdminApp } from './app.js';
import { lazyCognitoClient } from './lazy-cognito.js';
import { adminSettings } from './settings.js';

let albHandler: ((event: ALBEvent, context?: Context) => Promise<ALBResult>) | undefined;

function build() {
  const env = parseLambdaEnv('admin', process.env);
  const logger = createLogger('portal-admin', env);
  const app = createAdminApp({
    settings: adminSettings(env),
    s3: createS3Client(env),
    cognito: lazyCognitoClient(() => createCognitoClient(env)),
    catalog: createCatalogDb(env),
    verifyIdentity: createIdentityVerifier(identitySettings(env)),
    logger,
  });
  return createAlbHandler(logger, app);
}

export async function handler(event: ALBEvent, context?: Context): Promise<ALBResult> {
  albHandler ??= build();
  return albHandler(event, context);
}
