// The uploads API behind `/api/*`: the Companion S3 protocol as `@uppy/aws-s3` calls it with
// `endpoint: '/api'` (v5) or `companionEndpoint: '/api'` (v6), the batch signing call, `/api/me` and
// `/api/files` (from the file catalog). The portal's page adds checksums: a create body may carry `checksumAlgorithm` and the
// `parts` to sign along (the answer then adds their `presignedUrls`), completion the whole file's
// `checksum`, and `/s3/params` a `checksum`; stock clients send none of these and see the plain protocol.
// Every request is authenticated first, so an unauthenticated caller learns nothing, not even which
// routes exist. Handlers stay thin: parse, check access, call the core, answer JSON. What an admin does
// here in a customer's folder is audited like its console actions (upload-audit.ts).
import { Logger } from '@aws-lambda-powertools/logger';
import { randomUUID } from 'node:crypto';
import { UPLOADS_ROUTES as R, type CompleteMultipartResponse, type CreateMultipartResponse, type ListPartsResponse, type OpenUploadsResponse, type SignPartResponse, type SignPartsResponse } from '../../contract/api/uploads.js';
import type { S3Client } from '@aws-sdk/client-s3';
import type { RequestHandler } from '../shared/alb-handler.js';
import { AuditWriter, newAuditId } from '../shared/audit-writer.js';
import type { CatalogDb } from '../shared/catalog/catalog-db.js';
import { json, readJsonBody } from '../shared/http.js';
import type { IdentityVerifier, Principal } from '../shared/identity.js';
import { Router } from '../shared/router.js';
import { QuotaHolds } from '../shared/catalog/quota-holds.js';
import { EndpointDirectory, resolveEndpointScope, resolveKeyScope, type AccessSources } from './access.js';
import { BucketPresigner } from './bucket-presigner.js';
import { ChecksumModes } from './checksum-modes.js';
import { completeUpload } from './complete-upload.js';
import { parseCompletionRequest } from './completion.js';
import type { UploadsCore } from './core.js';
import { listFiles, parsePageSize } from './files.js';
import { describeMe } from './me.js';
import { noMetrics, type UploadMetrics } from './metrics.js';
import { abortUpload, createUpload, listAllParts, parseUploadId, prefetchFacts, signParts, signPlainPart } from './multipart.js';
import { parseCreateRequest, parseFileChecksum, parseParamsQuery } from './new-upload.js';
import { parsePartNumber } from './part-numbers.js';
import { PartSigner } from './part-signer.js';
import { parsePartsToSign } from './parts-to-sign.js';
import type { UploadSettings } from './settings.js';
import type { SignInVerifier } from './sign-in-verifier.js';
import { presignSmallUpload } from './small-upload.js';
import { listOpenUploads } from './open-uploads.js';
import { loginOf } from './upload-quota.js';
import { auditAdminStart, auditedAbort } from './upload-audit.js';

export interface UploadsAppDeps {
  s3: S3Client;
  settings: UploadSettings;
  verifyIdentity: IdentityVerifier;
  /** When a customer's session began (its access token), asked only for a login with a "not before" time. */
  signIns: SignInVerifier;
  /** The file catalog, read by GET /api/files. */
  catalog: CatalogDb;
  /** @default no metrics */
  metrics?: UploadMetrics;
  /** @default a Powertools logger for service `uploads` */
  logger?: Logger;
  /** @default the system clock */
  now?: () => Date;
  /** Audit event ids. @default 16 random hex characters */
  newAuditId?: () => string;
}

/** What each route knows about its request besides the request itself. */
interface UploadsRequestContext {
  principal: Principal;
  requestId: string;
}

export function createUploadsApp(deps: UploadsAppDeps): RequestHandler {
  const logger = deps.logger ?? new Logger({ serviceName: 'uploads' });
  const presigner = new BucketPresigner(deps.s3, deps.settings.bucket);
  const core: UploadsCore = {
    s3: deps.s3,
    settings: deps.settings,
    metrics: deps.metrics ?? noMetrics,
    logger,
    now: deps.now ?? (() => new Date()),
    presigner,
    partSigner: new PartSigner(presigner),
    checksumModes: new ChecksumModes(deps.s3, deps.settings.bucket),
    audit: new AuditWriter(deps.s3, deps.settings.bucket, logger),
    newAuditId: deps.newAuditId ?? newAuditId,
    quota: new QuotaHolds(deps.catalog, deps.settings.maxOpenUploadsPerLogin),
  };
  const access: AccessSources = {
    directory: new EndpointDirectory(core.s3, core.settings.bucket, core.settings.endpointCacheSeconds * 1000, core.now),
    signIns: deps.signIns,
  };
  const keyScope = (principal: Principal, key: string | undefined, options?: { fresh?: boolean }) => resolveKeyScope(principal, key, access, core.now(), options);

  const router = new Router<UploadsRequestContext>()
    .add(R.createMultipart.method, R.createMultipart.path, async (request, _params, { principal, requestId }) => {
      // Our page asks for its first parts' URLs here (`parts`), which saves the batch call before the first byte.
      const { upload, checksumAlgorithm, parts } = parseCreateRequest(readJsonBody(request));
      const scope = await resolveEndpointScope(principal, upload.endpoint, access, core.now());
      const created = await createUpload(core, scope, upload, checksumAlgorithm);
      const started = { kind: 'multipart', uploadId: created.uploadId, declaredSize: upload.declaredSize ?? null };
      const target = { ...scope, key: created.key };
      await auditAdminStart(core, target, { requestId, sourceIp: request.sourceIp }, started, () => abortUpload(core, target, created.uploadId));
      const answer: CreateMultipartResponse = parts ? { ...created, presignedUrls: await signParts(core, { ...created, endpoint: scope.endpoint }, parts) } : created;
      return json(200, answer);
    })
    // Literal segments before `:partNumber`, which would otherwise swallow them.
    .add(R.signParts.method, R.signParts.path, async (request, params, { principal }) => {
      // A cold instance reads the upload's reservation (its facts) and the endpoint record: both S3
      // reads, so they go together. The facts are used only once the access check has passed.
      const facts = params.uploadId === undefined ? undefined : prefetchFacts(core, principal, request.query.key, params.uploadId);
      const scope = await keyScope(principal, request.query.key);
      const uploadId = parseUploadId(params.uploadId);
      const parts = parsePartsToSign((readJsonBody(request) as { parts?: unknown } | null)?.parts);
      const answer: SignPartsResponse = { presignedUrls: await signParts(core, { key: scope.key, uploadId, endpoint: scope.endpoint }, parts, facts) };
      return json(200, answer);
    })
    .add(R.completeMultipart.method, R.completeMultipart.path, async (request, params, { principal, requestId }) => {
      // The endpoint record afresh, not the cached one: an upload whose login was removed or whose
      // endpoint was disabled a moment ago is not turned into a file.
      const scope = await keyScope(principal, request.query.key, { fresh: true });
      const uploadId = parseUploadId(params.uploadId);
      const completion = parseCompletionRequest(readJsonBody(request));
      const completed = await completeUpload(core, scope, uploadId, completion, { requestId, sourceIp: request.sourceIp });
      const answer: CompleteMultipartResponse = { location: completed.location, key: completed.key, checksum: completed.checksum };
      return json(200, answer);
    })
    .add(R.signPart.method, R.signPart.path, async (request, params, { principal }) => {
      const scope = await keyScope(principal, request.query.key);
      const uploadId = parseUploadId(params.uploadId);
      const partNumber = parsePartNumber(params.partNumber);
      const url = await signPlainPart(core, { endpoint: scope.endpoint, key: scope.key, uploadId }, partNumber);
      core.metrics.add('PartsSigned', 1);
      const answer: SignPartResponse = { url, expires: core.settings.presignExpiresSeconds };
      return json(200, answer);
    })
    .add(R.listParts.method, R.listParts.path, async (request, params, { principal }) => {
      const scope = await keyScope(principal, request.query.key);
      const uploadId = parseUploadId(params.uploadId);
      const parts = await listAllParts(core, { key: scope.key, uploadId });
      // Each part's checksum as S3 verified it: a resuming page compares them with the file it has now.
      const answer: ListPartsResponse = parts.map(({ PartNumber, Size, ETag, ChecksumCRC64NVME }) => ({ PartNumber, Size, ETag, ...(ChecksumCRC64NVME ? { ChecksumCRC64NVME } : {}) }));
      return json(200, answer);
    })
    .add(R.abortMultipart.method, R.abortMultipart.path, async (request, params, { principal, requestId }) => {
      const scope = await keyScope(principal, request.query.key);
      const uploadId = parseUploadId(params.uploadId);
      await auditedAbort(core, scope, { requestId, sourceIp: request.sourceIp }, uploadId, () => abortUpload(core, scope, uploadId));
      return json(200, {});
    })
    .add(R.smallUpload.method, R.smallUpload.path, async (request, _params, { principal, requestId }) => {
      const upload = { ...parseParamsQuery(request.query), checksum: parseFileChecksum(request.query.checksum) };
      const scope = await resolveEndpointScope(principal, upload.endpoint, access, core.now());
      const presigned = await presignSmallUpload(core, scope, upload);
      await auditAdminStart(core, { ...scope, key: presigned.key }, { requestId, sourceIp: request.sourceIp }, { kind: 'put', declaredSize: upload.declaredSize ?? null });
      return json(200, presigned);
    })
    .add(R.openUploads.method, R.openUploads.path, async (request, _params, { principal }) => {
      const scope = await resolveEndpointScope(principal, request.query.endpoint, access, core.now());
      const answer: OpenUploadsResponse = { uploads: await listOpenUploads(core, scope.endpoint, loginOf(principal)) };
      return json(200, answer);
    })
    .add(R.me.method, R.me.path, async (request, _params, { principal }) => {
      // An admin has no endpoint of its own; `?endpoint=` describes one it is about to upload into.
      const wanted = principal.kind === 'admin' ? request.query.endpoint : undefined;
      const scope = principal.kind === 'customer' || wanted ? await resolveEndpointScope(principal, wanted, access, core.now()) : null;
      // What is left, as the customer reads it: files the catalog has counted are not held as well.
      const use = scope ? await core.quota.useNow(scope.endpoint, core.now()) : null;
      return json(200, describeMe(principal, scope?.record ?? null, core.settings, use));
    })
    .add(R.files.method, R.files.path, async (request, _params, { principal }) => {
      const scope = await resolveEndpointScope(principal, request.query.endpoint, access, core.now());
      const pageSize = parsePageSize(request.query.pageSize);
      return json(200, await listFiles(deps.catalog, scope.endpoint, request.query.continuationToken, pageSize));
    });

  return async (request, lambdaContext) => {
    const principal = await deps.verifyIdentity(request.headers);
    const requestId = lambdaContext?.awsRequestId ?? request.headers['x-amzn-trace-id'] ?? randomUUID();
    return router.handle(request, { principal, requestId });
  };
}
