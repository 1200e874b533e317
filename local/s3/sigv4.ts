// Verifies SigV4 auth (Authorization header or presigned query) by re-signing the received request with the SDK's own signer.
import { timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { SIGV4_MAX_EXPIRES_SECONDS } from '../../contract/limits.js';
import { header, type Ctx, type Env } from './context.js';
import { S3Error } from './errors.js';

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SIGNED_STREAMING = /^STREAMING-AWS4-(HMAC-SHA256|ECDSA-P256-SHA256)-PAYLOAD(-TRAILER)?$/;
const MAX_SKEW_MS = 15 * 60 * 1000;
const QUERY_AUTH_PARAMS = new Set(['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature']);
/** Makes the SDK's payload-hash lookup return our value instead of hashing a body it does not have. */
const STREAM_BODY = { pipe: () => undefined };

export interface AuthResult {
  accessKeyId: string;
  presigned: boolean;
  /** The declared payload hash: a hex SHA-256 to verify, or one of the UNSIGNED/STREAMING markers. */
  payloadHash: string;
}

export interface Credential {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

/** Keeps the canonical request and string to sign so a mismatch can be explained the way S3 does. */
class ExplainingSigner extends SignatureV4 {
  canonicalRequest = '';
  stringToSign = '';
  protected override createCanonicalRequest(request: HttpRequest, canonicalHeaders: Record<string, string>, payloadHash: string): string {
    this.canonicalRequest = super.createCanonicalRequest(request, canonicalHeaders, payloadHash);
    return this.canonicalRequest;
  }
  protected override async createStringToSign(longDate: string, scope: string, canonicalRequest: string, algorithm: string): Promise<string> {
    this.stringToSign = await super.createStringToSign(longDate, scope, canonicalRequest, algorithm);
    return this.stringToSign;
  }
}

export function parseAmzDate(value: string | undefined): Date | undefined {
  const m = value ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value) : null;
  if (!m) return undefined;
  const date = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Parses `AKID/yyyymmdd/region/s3/aws4_request` and checks the scope against this server. */
export function parseCredential(value: string, env: Env, code: string): Credential {
  const parts = value.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || !/^\d{8}$/.test(parts[1]!)) {
    throw new S3Error(code, `Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`);
  }
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  if (region !== env.region) throw new S3Error(code, `The authorization header is malformed; the region '${region}' is wrong; expecting '${env.region}'`, { Region: env.region });
  if (service !== 's3') throw new S3Error(code, `The authorization header is malformed; incorrect service "${service}". This endpoint belongs to "s3".`);
  return { accessKeyId, date, region, service };
}

export function secretFor(env: Env, accessKeyId: string): string {
  const secret = env.secrets.get(accessKeyId);
  if (secret === undefined) throw new S3Error('InvalidAccessKeyId', undefined, { AWSAccessKeyId: accessKeyId });
  return secret;
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function checkPayloadHash(value: string): string {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return value.toLowerCase();
  if (value === UNSIGNED_PAYLOAD || value === STREAMING_UNSIGNED_TRAILER) return value;
  if (SIGNED_STREAMING.test(value)) throw new S3Error('NotImplemented', `This server does not implement x-amz-content-sha256: ${value}; use ${STREAMING_UNSIGNED_TRAILER} or a payload hash.`, { Header: 'x-amz-content-sha256' });
  throw new S3Error('InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER or a valid sha256 value.', { ArgumentName: 'x-amz-content-sha256', ArgumentValue: value });
}

/** The signed headers exactly as received (repeated headers joined as SigV4 specifies). */
function signedHeaderBag(ctx: Ctx, names: readonly string[]): Record<string, string> {
  const bag: Record<string, string> = {};
  for (const name of names) {
    const values = ctx.req.headersDistinct[name];
    if (values) bag[name] = values.join(',');
  }
  return bag;
}

function parseSignedHeaders(value: string, code: string): string[] {
  const names = value.split(';').map((h) => h.trim());
  if (names.some((h) => h === '' || h !== h.toLowerCase())) throw new S3Error(code, 'SignedHeaders must be a ;-separated list of lower-case header names.');
  if (!names.includes('host')) throw new S3Error(code, 'The host header must be signed.');
  return names;
}

/** Like S3: every x-amz-* header sent must be covered by the signature, or it could be added by anyone on the way. */
function requireSignedAmzHeaders(ctx: Ctx, signedHeaders: readonly string[]): void {
  const unsigned = Object.keys(ctx.req.headers).filter((h) => h.startsWith('x-amz-') && !signedHeaders.includes(h));
  if (unsigned.length > 0) throw new S3Error('AccessDenied', 'There were headers present in the request which were not signed', { HeadersNotSigned: unsigned.join(', ') });
}

function mismatch(signer: ExplainingSigner, accessKeyId: string, provided: string): S3Error {
  return new S3Error('SignatureDoesNotMatch', undefined, {
    AWSAccessKeyId: accessKeyId,
    StringToSign: signer.stringToSign,
    SignatureProvided: provided,
    CanonicalRequest: signer.canonicalRequest,
  });
}

function newSigner(env: Env, credential: Credential, secretAccessKey: string): ExplainingSigner {
  // S3 signs the path as sent (already URI-encoded once), hence uriEscapePath: false, exactly like the SDK's S3 signer.
  return new ExplainingSigner({
    service: 's3',
    region: env.region,
    credentials: { accessKeyId: credential.accessKeyId, secretAccessKey },
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
}

async function verifyHeaderAuth(ctx: Ctx, env: Env, authorization: string): Promise<AuthResult> {
  if (!authorization.startsWith('AWS4-HMAC-SHA256 ')) {
    if (authorization.startsWith('AWS ')) throw new S3Error('InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
    throw new S3Error('AuthorizationHeaderMalformed', "The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.");
  }
  const fields = new Map<string, string>();
  for (const part of authorization.slice('AWS4-HMAC-SHA256 '.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credentialValue = fields.get('Credential');
  const signedHeadersValue = fields.get('SignedHeaders');
  const provided = fields.get('Signature');
  if (!credentialValue || !signedHeadersValue || !provided) {
    throw new S3Error('AuthorizationHeaderMalformed', 'The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.');
  }
  const credential = parseCredential(credentialValue, env, 'AuthorizationHeaderMalformed');
  const amzDate = header(ctx, 'x-amz-date');
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate) throw new S3Error('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  if (credential.date !== amzDate!.slice(0, 8)) throw new S3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; Invalid credential date "${credential.date}". This date is not the same as X-Amz-Date: "${amzDate!.slice(0, 8)}".`);
  const secret = secretFor(env, credential.accessKeyId);
  const now = env.now();
  if (Math.abs(now.getTime() - signingDate.getTime()) > MAX_SKEW_MS) {
    throw new S3Error('RequestTimeTooSkewed', undefined, { RequestTime: amzDate, ServerTime: now.toISOString(), MaxAllowedSkewMilliseconds: MAX_SKEW_MS });
  }
  const signedHeaders = parseSignedHeaders(signedHeadersValue, 'AuthorizationHeaderMalformed');
  requireSignedAmzHeaders(ctx, signedHeaders);
  const declaredHash = header(ctx, 'x-amz-content-sha256');
  if (declaredHash === undefined) throw new S3Error('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  const payloadHash = checkPayloadHash(declaredHash);

  const headers = signedHeaderBag(ctx, signedHeaders);
  // The payload line of the canonical request is this header's value whether or not it was itself signed.
  headers['x-amz-content-sha256'] = declaredHash;
  const signer = newSigner(env, credential, secret);
  const request = new HttpRequest({ method: ctx.method, protocol: 'http:', hostname: 'localhost', path: ctx.rawPath, query: ctx.query.toRecord(), headers, body: STREAM_BODY });
  const signed = await signer.sign(request, {
    signingDate,
    signingRegion: credential.region,
    signingService: credential.service,
    signableHeaders: new Set(signedHeaders),
    unsignableHeaders: signedHeaders.includes('x-amz-content-sha256') ? undefined : new Set(['x-amz-content-sha256']),
  });
  const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers['authorization']))?.[1] ?? '';
  if (!safeEqual(expected, provided)) throw mismatch(signer, credential.accessKeyId, provided);
  return { accessKeyId: credential.accessKeyId, presigned: false, payloadHash };
}

async function verifyQueryAuth(ctx: Ctx, env: Env): Promise<AuthResult> {
  const q = ctx.query;
  const code = 'AuthorizationQueryParametersError';
  if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') throw new S3Error(code, 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const credentialValue = q.get('X-Amz-Credential');
  const amzDate = q.get('X-Amz-Date');
  const expiresValue = q.get('X-Amz-Expires');
  const signedHeadersValue = q.get('X-Amz-SignedHeaders');
  const provided = q.get('X-Amz-Signature');
  if (!credentialValue || !amzDate || !expiresValue || !signedHeadersValue || !provided) throw new S3Error(code);
  const credential = parseCredential(credentialValue, env, code);
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate) throw new S3Error(code, `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  if (credential.date !== amzDate.slice(0, 8)) throw new S3Error(code, `Invalid credential date "${credential.date}". This date is not the same as X-Amz-Date: "${amzDate.slice(0, 8)}".`);
  if (!/^\d{1,7}$/.test(expiresValue)) throw new S3Error(code, 'X-Amz-Expires should be a number');
  const expiresIn = Number(expiresValue);
  if (expiresIn > SIGV4_MAX_EXPIRES_SECONDS) throw new S3Error(code, `X-Amz-Expires must be less than a week (in seconds) that is; ${SIGV4_MAX_EXPIRES_SECONDS}`);
  const secret = secretFor(env, credential.accessKeyId);
  const now = env.now();
  const expiresAt = new Date(signingDate.getTime() + expiresIn * 1000);
  if (now.getTime() > expiresAt.getTime()) {
    throw new S3Error('AccessDenied', 'Request has expired', { 'X-Amz-Expires': expiresValue, Expires: expiresAt.toISOString(), ServerTime: now.toISOString() });
  }
  if (signingDate.getTime() - now.getTime() > MAX_SKEW_MS) throw new S3Error('AccessDenied', 'Request is not valid yet');
  const signedHeaders = parseSignedHeaders(signedHeadersValue, code);
  requireSignedAmzHeaders(ctx, signedHeaders);

  const headers = signedHeaderBag(ctx, signedHeaders);
  // Presigned S3 requests hash the payload as UNSIGNED-PAYLOAD unless the URL itself carries X-Amz-Content-Sha256.
  const hashIsSignedHeader = 'x-amz-content-sha256' in headers;
  const declaredHash = headers['x-amz-content-sha256'] ?? q.getIgnoreCase('X-Amz-Content-Sha256') ?? UNSIGNED_PAYLOAD;
  const payloadHash = checkPayloadHash(declaredHash);
  headers['x-amz-content-sha256'] = declaredHash;
  const signer = newSigner(env, credential, secret);
  const request = new HttpRequest({
    method: ctx.method,
    protocol: 'http:',
    hostname: 'localhost',
    path: ctx.rawPath,
    query: ctx.query.toRecord((name) => QUERY_AUTH_PARAMS.has(name)),
    headers,
    body: STREAM_BODY,
  });
  // Signed x-amz-* headers that arrived as headers were not hoisted into the query by the presigner, so keep them.
  const keep = new Set([...signedHeaders, 'x-amz-content-sha256']);
  const signed = await signer.presign(request, {
    signingDate,
    expiresIn,
    signingRegion: credential.region,
    signingService: credential.service,
    signableHeaders: new Set(signedHeaders),
    unsignableHeaders: hashIsSignedHeader ? undefined : new Set(['x-amz-content-sha256']),
    unhoistableHeaders: keep,
  });
  const expected = String(signed.query?.['X-Amz-Signature'] ?? '');
  if (!safeEqual(expected, provided)) throw mismatch(signer, credential.accessKeyId, provided);
  return { accessKeyId: credential.accessKeyId, presigned: true, payloadHash };
}

/** Authenticates a request; anything without SigV4 credentials is anonymous, which these private buckets refuse. */
export async function authenticate(ctx: Ctx, env: Env): Promise<AuthResult> {
  const authorization = header(ctx, 'authorization');
  const q = ctx.query;
  const queryAuth = q.has('X-Amz-Algorithm') || q.has('X-Amz-Signature') || q.has('X-Amz-Credential');
  if (authorization !== undefined && queryAuth) throw new S3Error('InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified');
  if (authorization !== undefined) return verifyHeaderAuth(ctx, env, authorization);
  if (queryAuth) return verifyQueryAuth(ctx, env);
  if (q.has('AWSAccessKeyId') || q.has('Signature')) throw new S3Error('InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
  throw new S3Error('AccessDenied');
}
