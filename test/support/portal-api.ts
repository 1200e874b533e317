// Calls into a running local portal as its users make them: the admin API (JSON with the console's
// CSRF header), a customer signed in at the hosted UI, and the Companion S3 protocol driven by hand
// over HTTP (parts PUT straight to the presigned S3 URLs, as the browser does). Plus an S3 client
// with the portal's own credentials to look at the bucket behind the API's back.
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, ListPartsCommand, S3Client } from '@aws-sdk/client-s3';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { CreateEndpointRequest, CreateEndpointResult, FileEntry, FileListing } from '../../contract/api/admin.js';
import type { CompleteMultipartResponse, PartToSign, SmallUploadParameters } from '../../contract/api/uploads.js';
import { BrowserClient, signInAdmin, signInCustomer, type LocalPortal } from './local-portal.js';
import { MiB } from '../../contract/limits.js';

/** Re-exported for the tests that import their other helpers from here. */
export { MiB };
/** What every customer sets at first sign-in; satisfies the pool's policy. */
export const NEW_PASSWORD = 'Integration-Test-Pw-42!';

/** Response bodies are read loosely: the tests' assertions check their shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

/** Every refusal's body (`lambdas/shared/errors.ts`); typed as always there so tests can read it after checking the status. */
export interface ErrorBody {
  error: { code: string; message: string };
}

export interface ApiResponse<T = Loose> {
  status: number;
  headers: Headers;
  body: T & ErrorBody;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A signed-in client's JSON calls to the portal (`/api/*`, `/admin/api/*`). */
export class PortalApi {
  constructor(
    readonly client: BrowserClient,
    readonly portal: LocalPortal,
  ) {}

  async call<T = Loose>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    // State-changing admin calls need a same-origin proof: the console's fetch sends X-Requested-With.
    if (method !== 'GET') (init.headers as Record<string, string>)['x-requested-with'] = 'portal';
    const response = await this.client.fetch(new URL(path, this.portal.url), init);
    return { status: response.status, headers: response.headers, body: (await readBody(response)) as T & ErrorBody };
  }

  get<T = Loose>(path: string, query: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const qs = new URLSearchParams(query).toString();
    return this.call<T>('GET', qs ? `${path}?${qs}` : path);
  }
}

/** Admin: creates an endpoint (and its first login) through the admin API; fails the test on anything but 201. */
export async function createEndpoint(admin: PortalApi, request: CreateEndpointRequest): Promise<CreateEndpointResult> {
  const response = await admin.call<CreateEndpointResult>('POST', '/admin/api/endpoints', request);
  if (response.status !== 201) throw new Error(`create endpoint ${request.name}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Admin: the file at `key` as the admin API lists it across its endpoint (undefined when not listed); fails on anything but 200. */
export async function listedFile(admin: PortalApi, endpoint: string, key: string): Promise<FileEntry | undefined> {
  const listing = await admin.get<FileListing>('/admin/api/files', { endpoint, scope: 'endpoint' });
  if (listing.status !== 200) throw new Error(`list ${endpoint}: ${listing.status} ${JSON.stringify(listing.body)}`);
  return listing.body.files.find((f) => f.key === key);
}

/** The admin signed in at the admin IdP over HTTP (no browser), calling the admin API as the console does. */
export async function signedInAdmin(portal: LocalPortal): Promise<PortalApi> {
  const client = new BrowserClient();
  await signInAdmin(client, portal);
  return new PortalApi(client, portal);
}

/** A customer signed in with the temporary password, having set NEW_PASSWORD. */
export async function signedInCustomer(portal: LocalPortal, login: { email: string; temporaryPassword: string }): Promise<PortalApi> {
  const client = new BrowserClient();
  const page = await signInCustomer(client, portal, login.email, login.temporaryPassword, NEW_PASSWORD, '/');
  if (!client.cookies().has('PortalSession-0')) throw new Error(`customer ${login.email} did not sign in: ${page.status} ${page.url}\n${page.body.slice(0, 300)}`);
  return new PortalApi(client, portal);
}

export interface Upload {
  key: string;
  uploadId: string;
}

export interface StoredPart {
  PartNumber: number;
  Size: number;
  ETag: string;
  ChecksumCRC64NVME?: string;
}

const enc = encodeURIComponent;

/** Base64 CRC64NVME of `data`, computed with the AWS SDK's own implementation (the tests' oracle). */
export async function crc64nvme(data: Uint8Array): Promise<string> {
  const hash = new Crc64Nvme();
  hash.update(data);
  return Buffer.from(await hash.digest()).toString('base64');
}

/** What the page sends to have parts signed: number, exact size and checksum of each (1-based numbers into `chunks`). */
export async function partsToSign(chunks: Buffer[], numbers = chunks.map((_, i) => i + 1)): Promise<PartToSign[]> {
  return Promise.all(numbers.map(async (partNumber) => ({ partNumber, size: chunks[partNumber - 1]!.length, checksum: await crc64nvme(chunks[partNumber - 1]!) })));
}

/** The headers a checksummed part's URL binds besides its length (which fetch sends itself). */
export const partHeaders = (checksum: string): Record<string, string> => ({ 'x-amz-checksum-crc64nvme': checksum, 'x-amz-sdk-checksum-algorithm': 'CRC64NVME' });

/** The Companion S3 protocol over a signed-in client, plain or with the portal page's checksums. Returns raw responses: tests check statuses. */
export class CompanionClient {
  constructor(readonly api: PortalApi) {}

  /** `checksummed`: as the portal's page creates (CRC64NVME); `parts`: parts to have signed along (the answer's `presignedUrls`). */
  create(filename: string, size: number | undefined, extra: { type?: string; metadata?: Record<string, string>; checksummed?: boolean; parts?: unknown } = {}) {
    const metadata: Record<string, string> = { ...(size === undefined ? {} : { size: String(size) }), ...extra.metadata };
    const body = {
      filename,
      type: extra.type ?? 'application/octet-stream',
      metadata,
      ...(extra.checksummed ? { checksumAlgorithm: 'CRC64NVME' } : {}),
      ...(extra.parts !== undefined ? { parts: extra.parts } : {}),
    };
    return this.api.call<Upload & { presignedUrls?: Record<string, string> }>('POST', '/api/s3/multipart', body);
  }

  signPart(upload: Upload, partNumber: number) {
    return this.api.get<{ url: string; expires: number }>(`/api/s3/multipart/${enc(upload.uploadId)}/${partNumber}`, { key: upload.key });
  }

  /** `parts` as the page sends them (PartToSign), or anything else to see it refused. */
  signBatch(upload: Upload, parts: unknown) {
    return this.api.call<{ presignedUrls: Record<string, string> }>('POST', `/api/s3/multipart/${enc(upload.uploadId)}/batch?key=${enc(upload.key)}`, { parts });
  }

  listParts(upload: Upload) {
    return this.api.get<StoredPart[]>(`/api/s3/multipart/${enc(upload.uploadId)}`, { key: upload.key });
  }

  complete(upload: Upload, parts: { PartNumber: number; ETag: string }[], checksum?: string) {
    return this.api.call<CompleteMultipartResponse>('POST', `/api/s3/multipart/${enc(upload.uploadId)}/complete?key=${enc(upload.key)}`, {
      parts,
      ...(checksum !== undefined ? { checksum } : {}),
    });
  }

  abort(upload: Upload) {
    return this.api.call<Record<string, never>>('DELETE', `/api/s3/multipart/${enc(upload.uploadId)}?key=${enc(upload.key)}`);
  }

  params(filename: string, size: number | undefined, type = 'application/octet-stream', metadata: Record<string, string> = {}, checksum?: string) {
    const query: Record<string, string> = { filename, type };
    if (size !== undefined) query['metadata[size]'] = String(size);
    for (const [name, value] of Object.entries(metadata)) query[`metadata[${name}]`] = value;
    if (checksum !== undefined) query.checksum = checksum;
    return this.api.get<SmallUploadParameters>('/api/s3/params', query);
  }

  /** As the portal's page sends a file: checksummed create, batch-sign, PUT every part to S3, complete with the file's checksum; returns the key. */
  async uploadMultipart(filename: string, data: Buffer, partSize = 5 * MiB, metadata: Record<string, string> = {}): Promise<string> {
    const created = await this.create(filename, data.length, { metadata, checksummed: true });
    if (created.status !== 200) throw new Error(`create ${filename}: ${created.status} ${JSON.stringify(created.body)}`);
    const upload = created.body;
    const chunks = splitParts(data, partSize);
    const toSign = await partsToSign(chunks);
    const signed = await this.signBatch(upload, toSign);
    if (signed.status !== 200) throw new Error(`batch sign: ${signed.status} ${JSON.stringify(signed.body)}`);
    const parts = await Promise.all(
      chunks.map(async (chunk, i) => ({ PartNumber: i + 1, ETag: await putPart(signed.body.presignedUrls[String(i + 1)]!, chunk, partHeaders(toSign[i]!.checksum)) })),
    );
    const done = await this.complete(upload, parts, await crc64nvme(data));
    if (done.status !== 200) throw new Error(`complete ${filename}: ${done.status} ${JSON.stringify(done.body)}`);
    return done.body.key;
  }

  /** A small file through the presigned PUT of `/api/s3/params` (with its checksum, as the page sends it); returns the key, S3's status and the URL it went to (a test may replay it). */
  async uploadSmall(filename: string, data: Buffer, metadata: Record<string, string> = {}): Promise<{ key: string; status: number; sentTo: { url: string; headers: Record<string, string> } }> {
    const params = await this.params(filename, data.length, 'application/octet-stream', metadata, await crc64nvme(data));
    if (params.status !== 200) throw new Error(`params ${filename}: ${params.status} ${JSON.stringify(params.body)}`);
    const sent = await putSmall(params.body, data);
    return { key: params.body.key!, status: sent.status, sentTo: { url: params.body.url, headers: params.body.headers } };
  }
}

/** A Buffer as fetch's body type wants it (same bytes, no copy). */
export const bytes = (data: Buffer): Uint8Array<ArrayBuffer> => new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.length);

export function splitParts(data: Buffer, partSize: number): Buffer[] {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += partSize) parts.push(data.subarray(offset, Math.min(offset + partSize, data.length)));
  return parts.length ? parts : [data];
}

/** A PUT to a presigned S3 URL as the browser sends it (the body's length goes as Content-Length); S3's status, text and ETag. */
export async function sendPut(url: string, data: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; text: string; etag: string | null; headers: Headers }> {
  const response = await fetch(url, { method: 'PUT', body: bytes(data), headers });
  const text = await response.text();
  return { status: response.status, text, etag: response.headers.get('etag'), headers: response.headers };
}

/** PUT one part to a presigned URL, as the browser does; returns the ETag S3 answered. */
export async function putPart(url: string, data: Buffer, headers: Record<string, string> = {}): Promise<string> {
  const sent = await sendPut(url, data, headers);
  if (sent.status !== 200) throw new Error(`PUT part: ${sent.status} ${sent.text.slice(0, 300)}`);
  if (!sent.etag) throw new Error('PUT part: no ETag in the answer');
  return sent.etag;
}

/** Sends a small file to the presigned PUT of `/api/s3/params` with exactly the headers it lists, as @uppy/aws-s3 does. */
export function putSmall(params: { url: string; headers: Record<string, string> }, data: Buffer) {
  return sendPut(params.url, data, params.headers);
}

/** A presigned GET signed with the Lambdas' own credentials (as the admin Lambda signs downloads): S3's status and body. */
export async function presignedGet(s3: S3Client, bucket: string, key: string): Promise<{ status: number; body: Buffer }> {
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 300 });
  const response = await fetch(url);
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
}

/** An S3 client with the credentials the Lambdas use, pointed at the portal's S3 server. */
export function bucketClient(portal: LocalPortal): S3Client {
  return new S3Client({
    region: portal.env.AWS_REGION ?? 'eu-west-1',
    endpoint: portal.s3Url,
    forcePathStyle: true,
    credentials: { accessKeyId: portal.env.AWS_ACCESS_KEY_ID!, secretAccessKey: portal.env.AWS_SECRET_ACCESS_KEY! },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** SHA-256 of an object, streamed (never the whole object in memory). */
/**
 * The stored bytes' SHA-256. With the portal's default malware scanning (block) a new object is
 * unreadable (403) until the scanner stand-in tags it clean: wait for that, up to `scanWaitMs`.
 */
export async function objectSha256(s3: S3Client, bucket: string, key: string, scanWaitMs = 15_000): Promise<{ sha256: string; size: number }> {
  const deadline = Date.now() + scanWaitMs;
  let result;
  for (;;) {
    try {
      result = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      break;
    } catch (error) {
      if ((error as { name?: string }).name !== 'AccessDenied' || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of result.Body as Readable) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** `checksumMode`: ask S3 for the checksum it keeps (x-amz-checksum-mode: ENABLED). */
export async function headObject(s3: S3Client, bucket: string, key: string, checksumMode = false) {
  return s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ...(checksumMode ? { ChecksumMode: 'ENABLED' as const } : {}) }));
}

/** The checksum S3 keeps for an object (HeadObject with checksum mode), and its type. */
export async function storedChecksum(s3: S3Client, bucket: string, key: string): Promise<{ crc64nvme: string | undefined; type: string | undefined }> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
  return { crc64nvme: head.ChecksumCRC64NVME, type: head.ChecksumType };
}

/** The parts S3 holds for an upload, as S3 lists them (first 1000). */
export async function storedParts(s3: S3Client, bucket: string, upload: { key: string; uploadId: string }) {
  const result = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: upload.key, UploadId: upload.uploadId }));
  return (result.Parts ?? []).map((p) => ({ PartNumber: p.PartNumber, ETag: p.ETag, Size: p.Size, ChecksumCRC64NVME: p.ChecksumCRC64NVME }));
}

/** Every key under a prefix (all pages). */
export async function listKeys(s3: S3Client, bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) keys.push(object.Key!);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** Multipart uploads still in progress under a prefix (what the lifecycle rule would have to clean up). */
export async function incompleteUploads(s3: S3Client, bucket: string, prefix: string): Promise<{ key: string; uploadId: string }[]> {
  const result = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix }));
  return (result.Uploads ?? []).map((u) => ({ key: u.Key!, uploadId: u.UploadId! }));
}

/** Random bytes; a fresh buffer per call, so two files never share content by accident. */
export const randomData = (size: number): Buffer => randomBytes(size);
