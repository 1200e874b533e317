// One structured JSON logger per function (Powertools), so every line carries the request id.
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '../../contract/lambda-env.js';

/** `env` is the function's parsed environment: POWERTOOLS_SERVICE_NAME overrides the default name. */
export function createLogger(defaultServiceName: string, env: { readonly LOG_LEVEL?: LogLevel; readonly POWERTOOLS_SERVICE_NAME?: string | undefined } = {}): Logger {
  return new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME ?? defaultServiceName, logLevel: env.LOG_LEVEL ?? 'INFO' });
}
