// The admin Lambda's entry point (ALB target for /admin/api/*). Dependencies are built from
// process.env on the first call, so the local gateway can set the environment before importing.
import type { ALBEvent, ALBResult, Context } from 'aws-lambda';
import { createAlbHandler } from '../shared/alb-handler.js';
import { createCognitoClient, createS3Client } from '../shared/aws-clients.js';
import { createIdentityVerifier, identitySettingsFromEnv } from '../shared/identity.js';
import { createLogger } from '../shared/logger.js';
import { createAdminApp } from './app.js';
import { lazyCognitoClient } from './lazy-cognito.js';
import { adminSettingsFromEnv } from './settings.js';

let albHandler: ((event: ALBEvent, context?: Context) => Promise<ALBResult>) | undefined;

function build() {
  const logger = createLogger(process.env.POWERTOOLS_SERVICE_NAME || 'portal-admin');
  const app = createAdminApp({
    settings: adminSettingsFromEnv(),
    s3: createS3Client(),
    cognito: lazyCognitoClient(createCognitoClient),
    verifyIdentity: createIdentityVerifier(identitySettingsFromEnv()),
    logger,
  });
  return createAlbHandler(logger, app);
}

export async function handler(event: ALBEvent, context?: Context): Promise<ALBResult> {
  albHandler ??= build();
  return albHandler(event, context);
}
