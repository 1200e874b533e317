// The uploads API behind `/api/*`: the Companion S3 protocol as `@uppy/aws-s3` calls it with
// `endpoint: '/api'` (v5) or `companionEndpoint: '/api'` (v6), the batch signing call, `/api/me` and
// `/api/files` (from the file catalog). One extension: a create body may carry `partNumbers` (as the batch call takes them),
// and the answer then adds their `presignedUrls`; stock clients send neither and see neither.
// Every request is authenticated first, so an unauthenticated caller learns nothing, not even which
// routes exist. Handlers stay thin: parse, check access, call the core, answer JSON.
import { Logger } from '@aws-lambda-powertools/logger';
import { UPLOADS_ROUTES as R, type CompleteMultipartResponse, type CreateMultipartResponse, type ListPartsResponse, type SignPartResponse, type SignPartsResponse } from '../../contract/api/uploads.js';
import type { S3Client } from '@aws-sdk/client-s3';
import type { RequestHandler } from '../shared/alb-handler.js';
import type { CatalogDb } from '../shared/catalog/catalog-db.js';
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
  /** The file catalog, read by GET /api/files. */
  catalog: CatalogDb;
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
    .add(R.createMultipart.method, R.createMultipart.path, async (request, _params, principal) => {
      const body = readJsonBody(request);
      const upload = parseCreateBody(body);
      // Our page asks for its first parts' URLs here, which saves the batch call before the first byte.
      const partNumbers = parseCreatePartNumbers((body as { partNumbers?: unknown }).partNumbers);
      const scope = await resolveEndpointScope(principal, upload.endpoint, directory, core.now());
      const created = await createUpload(core, scope, upload);
      const answer: CreateMultipartResponse = partNumbers ? { ...created, presignedUrls: await signParts(core, created, partNumbers) } : created;
      return json(200, answer);
    })
    // Literal segments before `:partNumber`, which would otherwise swallow them.
    .add(R.signParts.method, R.signParts.path, async (request, params, principal) => {
      const scope = await keyScope(principal, request.query.key);
      const uploadId = parseUploadId(params.uploadId);
      const partNumbers = parsePartNumbers(request.query.partNumbers);
      const answer: SignPartsResponse = { presignedUrls: await signParts(core, { key: scope.key, uploadId }, partNumbers) };
      return json(200, answer);
    })
    .add(R.completeMultipart.method, R.completeMultipart.path, async (request, params, principal) => {
      const scope = await keyScope(principal, request.query.key);
      const uploadId = parseUploadId(params.uploadId);
      const parts = parseCompletionParts(readJsonBody(request));
      const completed = await completeUpload(core, scope, uploadId, parts);
      const answer: CompleteMultipartResponse = { location: completed.location, key: completed.key };
      return json(200, answer);
    })
    .add(R.signPart.method, R.signPart.path, async (request, params, principal) => {
      const scope = await keyScope(principal, request.query.key);
      const uploadId = parseUploadId(params.uploadId);
      const partNumber = parsePartNumber(params.partNumber);
      const url = await signPart(core, { key: scope.key, uploadId }, partNumber);
      core.metrics.add('PartsSigned', 1);
      const answer: SignPartResponse = { url, expires: core.settings.presignExpiresSeconds };
      return json(200, answer);
    })
    .add(R.listParts.method, R.listParts.path, async (request, params, principal) => {
      const scope = await keyScope(principal, request.query.key);
      const uploadId = parseUploadId(params.uploadId);
      const parts = await listAllParts(core, { key: scope.key, uploadId });
      const answer: ListPartsResponse = parts.map(({ PartNumber, Size, ETag }) => ({ PartNumber, Size, ETag }));
      return json(200, answer);
    })
    .add(R.abortMultipart.method, R.abortMultipart.path, async (request, params, principal) => {
      const scope = await keyScope(principal, request.query.key);
      await abortUpload(core, scope, parseUploadId(params.uploadId));
      return json(200, {});
    })
    .add(R.smallUpload.method, R.smallUpload.path, async (request, _params, principal) => {
      const upload = parseParamsQuery(request.query);
      const scope = await resolveEndpointScope(principal, upload.endpoint, directory, core.now());
      return json(200, await presignSmallUpload(core, scope, upload));
    })
    .add(R.me.method, R.me.path, async (request, _params, principal) => {
      // An admin has no endpoint of its own; `?endpoint=` describes one it is about to upload into.
      const wanted = principal.kind === 'admin' ? request.query.endpoint : undefined;
      const scope = principal.kind === 'customer' || wanted ? await resolveEndpointScope(principal, wanted, directory, core.now()) : null;
      return json(200, describeMe(principal, scope?.record ?? null, core.settings));
    })
    .add(R.files.method, R.files.path, async (request, _params, principal) => {
      const scope = await resolveEndpointScope(principal, request.query.endpoint, directory, core.now());
      const pageSize = parsePageSize(request.query.pageSize);
      return json(200, await listFiles(deps.catalog, scope.endpoint, request.query.continuationToken, pageSize));
    });

  return async (request) => router.handle(request, await deps.verifyIdentity(request.headers));
}
