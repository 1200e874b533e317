// The web Lambda: serves the built pages (dist/web, bundled as /var/task/web). Dependencies are
// built on the first call, so the local gateway can set the environment before importing this.
import type { ALBEvent, ALBResult, Context } from 'aws-lambda';
import { parseLambdaEnv } from '../../contract/lambda-env.js';
import { createAlbHandler } from '../shared/alb-handler.js';
import { createLogger } from '../shared/logger.js';
import { createWebApp } from './app.js';
import { webSettings } from './config.js';
import { createDiskStore } from './static-files.js';

let handle: ((event: ALBEvent, context?: Context) => Promise<ALBResult>) | undefined;

export async function handler(event: ALBEvent, context?: Context): Promise<ALBResult> {
  if (!handle) {
    const env = parseLambdaEnv('web', process.env);
    const logger = createLogger('web', env);
    const settings = webSettings(env);
    handle = createAlbHandler(logger, createWebApp({ settings, files: createDiskStore(settings.webRoot), logger }));
  }
  return handle(event, context);
}
