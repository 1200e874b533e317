// The uploads API behind `/api/*`: the Companion S3 protocol as `@uppy/aws-s3` calls it with
// `endpoint: '/api'` (v5) or `companionEndpoint: '/api'` (v6), the batch signing call, `/api/me` and
// `/api/files`. One extension: a create body may carry `partNumbers` (as the batch call takes them),
// and the answer then adds their `presignedUrls`; stock clients send neither and see neither.
// Every request is authenticated first, so an unauthenticated caller learns nothing, not even which
// routes exist. Handlers stay thin: parse, check access, call the core, answer JSON.
import { Logger } from '@aws-lambda-powertools/logger';
import type { S3Client } from '@aws-sdk/client-s3';
import type { RequestHandler } from '../shared/alb-handler.js';
import { json, readJsonBody } from '../shared/http.js';
import type { IdentityVerifier, Principal } from '../shared/identity.js';
import { Router } from '../shared/router.js';
import { EndpointDirectory, resolveEndpointScope, resolveKeyScope } from './access.js';
import { parseCompletionParts } from './completion.js';
import type { UploadsCore } from './core.js';
import { listFiles, parsePageSize } from './files.js';
import { describeMe } from './me.js';
import { noMetrics, type UploadMetrics } from './metrics.js';
import { abortUpload, completeUpload, createUpload, listAllParts, parseUploadId, signPart, signParts } from './multipart.js';
import { parseCreateBody, parseParamsQuery } from './new-upload.js';
import { parseCreatePartNumbers, parsePartNumber, parsePartNumbers } from './part-numbers.js';
import { PartSigner } from './part-signer.js';
import type { UploadSettings } from './settings.js';
import { presignSmallUpload } from './small-upload.js';

export interface UploadsAppDeps {
  s3: S3Client;
  settings: UploadSettings;
  verifyIdentity: IdentityVerifier;
  /** @default no metrics */
  metrics?: UploadMetrics;
  /** @default a Powertools logger for service `uploads` */
  logger?: Logger;
  /** @default the system clock */
  now?: () => Date;
}

export function createUploadsApp(deps: UploadsAppDeps): RequestHandler {
  const core: UploadsCore = {
    s3: deps.s3,
    settings: deps.settings,
    metrics: deps.metrics ?? noMetrics,
    logger: deps.logger ?? new Logger({ serviceName: 'uploads' }),
    now: deps.now ?? (() => new Date()),
    partSigner: new PartSigner(deps.s3, deps.settings.bucket),
  };
  const directory = new EndpointDirectory(core.s3, core.settings.bucket, core.settings.endpointCacheSeconds * 1000, core.now);
  const keyScope = (principal: Principal, key: string | undefined) => resolveKeyScope(principal, key, directory, core.now());

  const router = new Router<Principal>()
    .add('POST', '/api/s3/multipart', async (request, _params, principal) => {
      const body = readJsonBody(request);
      const upload = parseCreateBody(body);
      // Our page asks for its first parts' URLs here, which saves the batch call before the first byte.
      const partNumbers = parseCreatePartNumbers((body as { partNumbers?: unknown }).partNumbers);
      const scope = await resolveEndpointScope(principal, upload.endpoint, directory, core.now());
      const created = await createUpload(core, scope, upload);
      return json(200, partNumbers ? { ...created, presignedUrls: await signParts(core, created, partNumbers) } : created);
    })
    // Literal segments before `:partNumber`, which would otherwise swallow them.
    .add('GET', '/api/s3/multipart/:uploadId/batch', async (request, params, principal) => {
      const scope = await keyScope(principal, request.query.key);
      const uploadId = parseUploadId(params.uploadId);
      const partNumbers = parsePartNumbers(request.query.partNumbers);
      return json(200, { presignedUrls: await signParts(core, { key: scope.key, uploadId }, partNumbers) });
    })
    .add('POST', '/api/s3/multipart/:uploadId/complete', async (request, params, principal) => {
      const scope = await keyScope(principal, request.query.key);
      const uploadId = parseUploadId(params.uploadId);
      const parts = parseCompletionParts(readJsonBody(request));
      const completed = await completeUpload(core, scope, uploadId, parts);
      return json(200, { location: completed.location, key: completed.key });
    })
    .add('GET', '/api/s3/multipart/:uploadId/:partNumber', async (request, params, principal) => {
      const scope = await keyScope(principal, request.query.key);
      const uploadId = parseUploadId(params.uploadId);
      const partNumber = parsePartNumber(params.partNumber);
      const url = await signPart(core, { key: scope.key, uploadId }, partNumber);
      core.metrics.add('PartsSigned', 1);
      return json(200, { url, expires: core.settings.presignExpiresSeconds });
    })
    .add('GET', '/api/s3/multipart/:uploadId', async (request, params, principal) => {
      const scope = await keyScope(principal, request.query.key);
      const uploadId = parseUploadId(params.uploadId);
      const parts = await listAllParts(core, { key: scope.key, uploadId });
      return json(200, parts.map(({ PartNumber, Size, ETag }) => ({ PartNumber, Size, ETag })));
    })
    .add('DELETE', '/api/s3/multipart/:uploadId', async (request, params, principal) => {
      const scope = await keyScope(principal, request.query.key);
      await abortUpload(core, scope, parseUploadId(params.uploadId));
      return json(200, {});
    })
    .add('GET', '/api/s3/params', async (request, _params, principal) => {
      const upload = parseParamsQuery(request.query);
      const scope = await resolveEndpointScope(principal, upload.endpoint, directory, core.now());
      return json(200, await presignSmallUpload(core, scope, upload));
    })
    .add('GET', '/api/me', async (request, _params, principal) => {
      // An admin has no endpoint of its own; `?endpoint=` describes one it is about to upload into.
      const wanted = principal.kind === 'admin' ? request.query.endpoint : undefined;
      const scope = principal.kind === 'customer' || wanted ? await resolveEndpointScope(principal, wanted, directory, core.now()) : null;
      return json(200, describeMe(principal, scope?.record ?? null, core.settings));
    })
    .add('GET', '/api/files', async (request, _params, principal) => {
      const scope = await resolveEndpointScope(principal, request.query.endpoint, directory, core.now());
      const pageSize = parsePageSize(request.query.pageSize);
      return json(200, await listFiles(core, scope.endpoint, request.query.continuationToken, pageSize));
    });

  return async (request) => router.handle(request, await deps.verifyIdentity(request.headers));
}
