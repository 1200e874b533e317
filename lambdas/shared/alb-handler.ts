// Wraps a request handler as an ALB Lambda target: parse, run, map every error, log once per request.
import type { ALBEvent, ALBResult, Context } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { isPortalError, toHttpError } from './errors.js';
import { json, parseAlbEvent, toAlbResult, type HttpRequest, type HttpResponse } from './http.js';

export type RequestHandler = (request: HttpRequest, lambdaContext: Context | undefined) => Promise<HttpResponse>;

export function createAlbHandler(logger: Logger, handle: RequestHandler) {
  return async (event: ALBEvent, lambdaContext?: Context): Promise<ALBResult> => {
    if (lambdaContext) logger.addContext(lambdaContext);
    const multiValue = event.multiValueHeaders !== undefined;
    let response: HttpResponse;
    try {
      const request = parseAlbEvent(event);
      response = await handle(request, lambdaContext);
    } catch (error) {
      const mapped = toHttpError(error);
      if (mapped.status >= 500 || !isPortalError(error)) logger.error('request failed', { error: error as Error, path: event.path });
      else logger.info('request refused', { status: mapped.status, code: mapped.body.error.code, path: event.path });
      response = json(mapped.status, mapped.body);
    }
    return toAlbResult(response, multiValue);
  };
}
