// The uploads Lambda's entry point (ALB target). Dependencies are built from the environment on the
// first request, so the local gateway can set the environment and then import this module in process.
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { ALBEvent, ALBResult, Context } from 'aws-lambda';
import { parseLambdaEnv } from '../../contract/lambda-env.js';
import { createAlbHandler } from '../shared/alb-handler.js';
import { createS3Client } from '../shared/aws-clients.js';
import { createCatalogDb } from '../shared/catalog/catalog-db.js';
import { createIdentityVerifier, identitySettings } from '../shared/identity.js';
import { createLogger } from '../shared/logger.js';
import { createUploadsApp } from './app.js';
import { flushMetrics, powertoolsUploadMetrics } from './metrics.js';
import { uploadSettings } from './settings.js';
import { createSignInVerifier } from './sign-in-verifier.js';

export type AlbLambdaHandler = (event: ALBEvent, context?: Context) => Promise<ALBResult>;

export function createUploadsHandler(rawEnv: NodeJS.ProcessEnv = process.env): AlbLambdaHandler {
  const env = parseLambdaEnv('uploads', rawEnv);
  const logger = createLogger('uploads', env);
  // POWERTOOLS_METRICS_DISABLED=true (read by Powertools itself) silences the EMF lines (tests, local runs).
  const metrics = new Metrics({ namespace: env.POWERTOOLS_METRICS_NAMESPACE, serviceName: env.POWERTOOLS_SERVICE_NAME ?? 'uploads' });
  const identity = identitySettings(env);
  const app = createUploadsApp({
    s3: createS3Client(env),
    settings: uploadSettings(env),
    verifyIdentity: createIdentityVerifier(identity),
    signIns: createSignInVerifier(identity.customer),
    catalog: createCatalogDb(env),
    metrics: powertoolsUploadMetrics(metrics),
    logger,
  });
  const alb = createAlbHandler(logger, app);
  return async (event, context) => {
    try {
      return await alb(event, context);
    } finally {
      flushMetrics(metrics);
    }
  };
}

let instance: AlbLambdaHandler | undefined;

export const handler = async (event: ALBEvent, context?: Context): Promise<ALBResult> => {
  instance ??= createUploadsHandler();
  return instance(event, context);
};
