// Security of the upload and admin Lambdas on the local stack:
// - identity: forged, expired, wrong-signer (and wrong-issuer, wrong-client, alg-confused)
//   `x-amzn-oidc-data` tokens are refused by the handlers themselves. The gateway drops any
//   client-sent x-amzn-oidc-* header, so these tokens are handed to the handlers directly as ALB
//   events, with the environment the portal gave them (its key server, ALB ARN, issuers).
// - customer A cannot sign, list, complete or abort inside endpoint B, whatever the upload id;
// - traversal filenames stay inside `uploads/<endpoint>/`;
// - the customer cannot move itself to another endpoint (see the last describe for why and how).
import { readFile } from 'node:fs/promises';
import { createHmac, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import type { ALBEvent, ALBResult } from 'aws-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import { AUDIT_PREFIX } from '../../../contract/bucket-layout.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ALB_ARN } from '../../../local/portal.js';
import { toAlbEvent } from '../../../local/gateway/alb-event.js';
import { lambdaContext, targetGroupArn, type AlbHandler } from '../../../local/gateway/lambda-target.js';
import { parseObjectKey } from '../../../lambdas/shared/object-key.js';
import { reservationKey } from '../../../lambdas/shared/upload-reservation.js';
import { AlbTestIdentity, OTHER_ALB_ARN, type AlbTokenOptions } from '../../support/alb-token.js';
import { readStoredAuditEvent } from '../../support/audit.js';
import { headersOf, SMALL_PARTS, startTestPortal, type TestPortal } from '../../support/local-portal.js';
import {
  bucketClient,
  bytes,
  CompanionClient,
  createEndpoint,
  incompleteUploads,
  listKeys,
  MiB,
  objectSha256,
  PortalApi,
  putPart,
  putSmall,
  randomData,
  sha256,
  signedInAdmin,
  signedInCustomer,
  type Loose,
  type Upload,
} from '../../support/portal-api.js';

// `tenant` is a string prefix of `tenant-b` on purpose: `uploads/tenant` must never reach `uploads/tenant-b/`.
const A = 'tenant';
const B = 'tenant-b';

let portal: TestPortal;
let s3: S3Client;
let identity: AlbTestIdentity;
let albKey: { kid: string; privateKey: KeyObject };
let customerA: CompanionClient;
let customerB: CompanionClient;
let adminApi: PortalApi;
let uploadsHandler: AlbHandler;
let adminHandler: AlbHandler;
/** The last ALB event the gateway handed to the uploads Lambda (to read a genuine x-amzn-oidc-data). */
let lastUploadsEvent: ALBEvent | undefined;
/** Each endpoint's login (its Cognito username), which a customer token must name to be let in. */
const usernames: Record<string, string> = {};

beforeAll(async () => {
  const loadUploads = async (): Promise<AlbHandler> => (await import('../../../lambdas/uploads/handler.js')).handler;
  portal = await startTestPortal({
    ...SMALL_PARTS,
    // The real uploads handler, wrapped only to record the events the gateway builds.
    handlers: {
      uploads: async (event, context) => {
        lastUploadsEvent = event;
        return (await loadUploads())(event, context);
      },
    },
  });
  uploadsHandler = await loadUploads();
  adminHandler = (await import('../../../lambdas/admin/handler.js')).handler;
  identity = await AlbTestIdentity.start();
  // The gateway's own ALB signing key, to mint otherwise genuine tokens that differ in one respect.
  const secrets = JSON.parse(await readFile(join(portal.dataDir, 'secrets.json'), 'utf8')) as { albKey: { kid: string; privateKeyPem: string } };
  albKey = { kid: secrets.albKey.kid, privateKey: createPrivateKey(secrets.albKey.privateKeyPem) };

  const admin = (adminApi = await signedInAdmin(portal));
  const a = await createEndpoint(admin, { name: A, customerEmail: 'a@tenant.example' });
  const b = await createEndpoint(admin, { name: B, customerEmail: 'b@tenant-b.example' });
  usernames[A] = a.login.username;
  usernames[B] = b.login.username;
  customerA = new CompanionClient(await signedInCustomer(portal, a.login));
  customerB = new CompanionClient(await signedInCustomer(portal, b.login));
  s3 = bucketClient(portal);
});
afterAll(async () => {
  s3?.destroy();
  await identity?.close();
  await portal?.stop();
});

// ------------------------------------------------------------------------------------------------
// Tokens and direct handler calls

const customerIdp = () => ({ issuer: portal.idps.customer.issuer, clientId: portal.idps.customer.clientId });
const adminIdp = () => ({ issuer: portal.idps.admin.issuer, clientId: portal.idps.admin.clientId });
const customerClaims = (endpoint: string) => ({ sub: `sub-${endpoint}`, email: `x@${endpoint}.example`, username: usernames[endpoint], 'custom:endpoint': endpoint });
// As the local admin IdP signs them in: with email_verified, which the Lambdas require of an admin.
const adminClaims = { sub: 'admin-sub', email: 'admin@example.com', name: 'Admin', email_verified: true };

/** A token exactly as the portal's ALB would sign it, unless `options` changes something. */
function albToken(idp: { issuer: string; clientId: string }, claims: Record<string, unknown>, options: Partial<AlbTokenOptions> = {}): string {
  return identity.sign({ ...idp, claims, kid: albKey.kid, privateKey: albKey.privateKey, signer: LOCAL_ALB_ARN, ...options });
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decodePart = (token: string, index: 0 | 1) => JSON.parse(Buffer.from(token.split('.')[index]!, 'base64url').toString('utf8')) as Record<string, unknown>;

/** Unsigned (`alg: none`) and HMAC-with-the-public-key (`alg: HS256`) variants of a token: classic algorithm confusion. */
async function algConfused(token: string): Promise<string[]> {
  const header = decodePart(token, 0);
  const payload = decodePart(token, 1);
  const none = `${b64({ ...header, alg: 'none' })}.${b64(payload)}.`;
  const publicPem = await (await fetch(`${portal.keysUrl}/${albKey.kid}`)).text();
  const hsInput = `${b64({ ...header, alg: 'HS256' })}.${b64(payload)}`;
  const hs = `${hsInput}.${createHmac('sha256', publicPem).update(hsInput).digest('base64url')}`;
  return [none, hs];
}

interface Call {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Invokes a handler with an ALB event (multi-value form, query still encoded, as the ALB sends it). */
async function invoke(handler: AlbHandler, target: 'uploads' | 'admin', call: Call, token: string | undefined): Promise<{ status: number; body: Loose }> {
  const headers: Record<string, string[]> = { host: [new URL(portal.url).host], 'x-forwarded-for': ['203.0.113.9'] };
  for (const [name, value] of Object.entries(call.headers ?? {})) headers[name] = [value];
  if (token !== undefined) headers['x-amzn-oidc-data'] = [token];
  let body = Buffer.alloc(0);
  if (call.body !== undefined) {
    body = Buffer.from(JSON.stringify(call.body));
    headers['content-type'] = ['application/json'];
    headers['x-requested-with'] = ['portal'];
  }
  const qs = new URLSearchParams(call.query ?? {}).toString();
  const event = toAlbEvent({ method: call.method, rawUrl: qs ? `${call.path}?${qs}` : call.path, headers, body, targetGroupArn: targetGroupArn(target) });
  const result: ALBResult = await handler(event, lambdaContext(target));
  const text = Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8').toString('utf8');
  return { status: result.statusCode, body: text ? JSON.parse(text) : undefined };
}

describe('identity: only tokens signed by the expected ALB, for the expected issuer and client, are accepted', () => {
  const meCall: Call = { method: 'GET', path: '/api/me' };
  const createCall: Call = { method: 'POST', path: '/api/s3/multipart', body: { filename: 'fallback.bin', type: 'application/octet-stream', metadata: { size: '10' } } };
  const adminCall: Call = { method: 'GET', path: '/admin/api/endpoints' };
  const adminCreate: Call = { method: 'POST', path: '/admin/api/endpoints', body: { name: 'forged-endpoint', customerEmail: 'evil@example.com' } };

  it('accepts a genuine token (the harness itself works)', async () => {
    const me = await invoke(uploadsHandler, 'uploads', meCall, albToken(customerIdp(), customerClaims(A)));
    expect(me.status).toBe(200);
    expect(me.body.endpoint.name).toBe(A);
    const admin = await invoke(adminHandler, 'admin', adminCall, albToken(adminIdp(), adminClaims));
    expect(admin.status).toBe(200);
  });

  it('refuses missing, forged, expired, wrong-signer, wrong-issuer, wrong-client and alg-confused tokens with 401, never a fallback folder', async () => {
    const before = await listKeys(s3, portal.bucket);
    const variants = (idp: { issuer: string; clientId: string }, claims: Record<string, unknown>): [string, string | undefined][] => [
      ['missing', undefined],
      ['garbage', 'not-a-jwt'],
      ['forged: another key under the ALB key id', albToken(idp, claims, { privateKey: identity.forgeryKey })],
      ['forged: another key under its own (unpublished) key id', identity.sign({ ...idp, claims, signer: LOCAL_ALB_ARN })],
      ['expired', albToken(idp, claims, { expiresInSeconds: -60 })],
      ['wrong signer (another load balancer)', albToken(idp, claims, { signer: OTHER_ALB_ARN })],
      ['wrong issuer', albToken({ ...idp, issuer: 'https://evil.example' }, claims)],
      ['wrong client id', albToken({ ...idp, clientId: 'someone-elses-client' }, claims)],
    ];
    const cases: [string, AlbHandler, 'uploads' | 'admin', Call, string | undefined][] = [];
    for (const [name, token] of variants(customerIdp(), customerClaims(A))) {
      cases.push([`uploads /api/me, ${name}`, uploadsHandler, 'uploads', meCall, token]);
      cases.push([`uploads create, ${name}`, uploadsHandler, 'uploads', createCall, token]);
    }
    for (const [name, token] of variants(adminIdp(), adminClaims)) {
      cases.push([`admin list, ${name}`, adminHandler, 'admin', adminCall, token]);
      cases.push([`admin create, ${name}`, adminHandler, 'admin', adminCreate, token]);
    }
    for (const token of await algConfused(albToken(customerIdp(), customerClaims(A)))) cases.push(['uploads alg confusion', uploadsHandler, 'uploads', createCall, token]);
    for (const token of await algConfused(albToken(adminIdp(), adminClaims))) cases.push(['admin alg confusion', adminHandler, 'admin', adminCreate, token]);

    for (const [name, handler, target, call, token] of cases) {
      const response = await invoke(handler, target, call, token);
      expect(response.status, name).toBe(401);
      expect(response.body?.error?.code, name).toBe('unauthenticated');
    }
    // Nothing was written anywhere: no `default` folder, no endpoint, no reservation.
    expect(await listKeys(s3, portal.bucket)).toEqual(before);
  });

  it("refuses a genuine customer token at the admin API (403), whatever the route", async () => {
    const token = albToken(customerIdp(), customerClaims(A));
    for (const call of [adminCall, adminCreate, { method: 'GET', path: '/admin/api/files' }, { method: 'GET', path: '/admin/api/audit' }, { method: 'GET', path: '/admin/api/no-such-route' }]) {
      const response = await invoke(adminHandler, 'admin', call, token);
      expect(response.status, call.path).toBe(403);
      expect(response.body.error.code).toBe('admin_only');
    }
  });

  it('drops x-amzn-oidc-* headers a client sends through the gateway', async () => {
    const spoofed = { 'x-amzn-oidc-data': albToken(adminIdp(), adminClaims), 'x-amzn-oidc-identity': 'admin-sub' };
    const anonymous = await fetch(`${portal.url}/admin/api/endpoints`, { headers: spoofed });
    expect(anonymous.status).toBe(401);
    const anonymousUpload = await fetch(`${portal.url}/api/me`, { headers: spoofed });
    expect(anonymousUpload.status).toBe(401);
    // Customer A's session plus a token for B signed with the real ALB key: A stays A.
    const me = await customerA.api.client.fetch(`${portal.url}/api/me`, { headers: { 'x-amzn-oidc-data': albToken(customerIdp(), customerClaims(B)) } });
    expect(((await me.json()) as { endpoint: { name: string } }).endpoint.name).toBe(A);
  });
});

// ------------------------------------------------------------------------------------------------
// Who is an admin, and which customer logins are still an endpoint's

describe('the admin allow-list (ADMIN_ALLOWED_EMAILS = the dev admin locally)', () => {
  it('is set to the dev admin for the handlers', () => {
    expect(portal.env.ADMIN_ALLOWED_EMAILS).toBe(portal.adminCredentials.email.toLowerCase());
  });

  it('refuses a genuine admin-IdP token for anyone else with 403 admin_not_allowed, at the admin API and at /api', async () => {
    const outsider = albToken(adminIdp(), { sub: 'intern-sub', email: 'intern@example.com', name: 'Intern' });
    const before = await listKeys(s3, portal.bucket);
    const calls: [AlbHandler, 'uploads' | 'admin', Call][] = [
      [adminHandler, 'admin', { method: 'GET', path: '/admin/api/endpoints' }],
      [adminHandler, 'admin', { method: 'POST', path: '/admin/api/endpoints', body: { name: 'intern-endpoint', customerEmail: 'x@example.com' } }],
      [adminHandler, 'admin', { method: 'GET', path: '/admin/api/files' }],
      [uploadsHandler, 'uploads', { method: 'GET', path: '/api/me', query: { endpoint: A } }],
      [uploadsHandler, 'uploads', { method: 'POST', path: '/api/s3/multipart', body: { filename: 'x.bin', metadata: { size: '10', endpoint: A } } }],
    ];
    for (const [handler, target, call] of calls) {
      const response = await invoke(handler, target, call, outsider);
      expect(response.status, `${call.method} ${call.path}`).toBe(403);
      expect(response.body.error.code).toBe('admin_not_allowed');
    }
    expect(await listKeys(s3, portal.bucket)).toEqual(before);
    // The listed admin, in any case, is let in.
    const listed = albToken(adminIdp(), { ...adminClaims, email: portal.adminCredentials.email.toUpperCase() });
    expect((await invoke(adminHandler, 'admin', { method: 'GET', path: '/admin/api/endpoints' }, listed)).status).toBe(200);
  });
});

describe("only the endpoint's current logins get in, whatever session a browser still holds", () => {
  it('refuses a removed login with 403 login_removed though its session lives on, and keeps serving the other', async () => {
    const created = await createEndpoint(adminApi, { name: 'two-logins', customerEmail: 'stays@two.example' });
    const added = await adminApi.call('POST', '/admin/api/endpoints/two-logins/logins', { email: 'leaves@two.example' });
    expect(added.status).toBe(201);
    // Both sign in (the web page only: the uploads Lambda has not cached this endpoint's record yet,
    // which it keeps for 30 s, as it does for a disabled endpoint).
    const stays = new CompanionClient(await signedInCustomer(portal, created.login));
    const leaves = new CompanionClient(await signedInCustomer(portal, added.body));

    const removed = await adminApi.call('DELETE', `/admin/api/endpoints/two-logins/logins/${encodeURIComponent(added.body.username)}`);
    expect(removed.status).toBe(204);

    // The gateway's session cookie (like the ALB's) still carries the removed login's claims.
    const me = await leaves.api.get('/api/me');
    expect(me.status).toBe(403);
    expect(me.body.error.code).toBe('login_removed');
    expect(await leaves.create('late.bin', 10)).toMatchObject({ status: 403, body: { error: { code: 'login_removed' } } });
    expect((await leaves.api.get('/api/files')).status).toBe(403);

    expect((await stays.api.get('/api/me')).status).toBe(200);
    const upload = await stays.create('ok.bin', 10);
    expect(upload.status).toBe(200);
    expect((await stays.abort(upload.body)).status).toBe(200);
  });

  it('lets a login added a moment ago in at once, though the endpoint record is cached', async () => {
    const created = await createEndpoint(adminApi, { name: 'growing', customerEmail: 'first@growing.example' });
    const first = new CompanionClient(await signedInCustomer(portal, created.login));
    expect((await first.api.get('/api/me')).status).toBe(200);
    const added = await adminApi.call('POST', '/admin/api/endpoints/growing/logins', { email: 'second@growing.example' });
    expect(added.status).toBe(201);
    const second = new CompanionClient(await signedInCustomer(portal, added.body));
    expect((await second.api.get('/api/me')).status).toBe(200);
  });
});

// ------------------------------------------------------------------------------------------------
// Cross-endpoint access

describe('customer A cannot act inside endpoint B, whatever the upload id', () => {
  let uploadB: Upload;
  let uploadA: Upload;
  let partB: Buffer;
  let etagB: string;

  beforeAll(async () => {
    partB = randomData(5 * MiB);
    const created = await customerB.create('secret.bin', 5 * MiB + 10);
    expect(created.status).toBe(200);
    uploadB = created.body;
    const signed = await customerB.signPart(uploadB, 1);
    etagB = await putPart(signed.body.url, partB);
    uploadA = (await customerA.create('mine.bin', 5 * MiB + 10)).body;
  });

  const foreignKeys = () => [
    uploadB.key,
    `uploads/${A}/../${B}/secret.bin`,
    `uploads/${A}/..\\${B}\\secret.bin`,
    `uploads/${A}//../${B}/secret.bin`,
    `uploads/${A}`, // the folder itself
    `uploads/${B}/`,
    `uploads/.portal-pending/${B}/x.json`,
    reservationKey(A, uploadA.key),
    `_portal/endpoints/${B}.json`,
    `/uploads/${B}/secret.bin`,
    `uploads/${B.toUpperCase()}/secret.bin`,
  ];

  it('gets 403 for sign, batch sign, list, complete and abort with any key outside its endpoint', async () => {
    for (const key of foreignKeys()) {
      for (const uploadId of [uploadB.uploadId, uploadA.uploadId, 'made-up-upload-id']) {
        const target = { key, uploadId };
        const answers = {
          sign: await customerA.signPart(target, 1),
          batch: await customerA.signBatch(target, [1, 2]),
          list: await customerA.listParts(target),
          complete: await customerA.complete(target, [{ PartNumber: 1, ETag: etagB }]),
          abort: await customerA.abort(target),
        };
        for (const [call, response] of Object.entries(answers)) {
          expect(response.status, `${call} ${key} ${uploadId}`).toBe(403);
          expect(response.body.error.code, `${call} ${key}`).toMatch(/^key_forbidden$/);
        }
      }
    }
  });

  it("cannot start an upload in B by naming it, nor use B's upload id on its own key", async () => {
    const named = await customerA.create('x.bin', 10, { metadata: { endpoint: B } });
    expect(named.status).toBe(403);
    expect(named.body.error.code).toBe('endpoint_forbidden');
    expect((await customerA.params('x.txt', 10, 'text/plain', { endpoint: B })).status).toBe(403);

    // B's upload id with A's own key: the key is A's, so the call is allowed, but S3 binds an upload
    // id to its key: nothing reaches B's upload.
    const crossed = { key: uploadA.key, uploadId: uploadB.uploadId };
    expect((await customerA.listParts(crossed)).status).toBe(404);
    const signed = await customerA.signPart(crossed, 1);
    expect(signed.status).toBe(200);
    // Part 1 of A's 5 MiB + 10 bytes in 5 MiB parts: the URL binds exactly 5 MiB.
    const put = await fetch(signed.body.url, { method: 'PUT', body: bytes(randomData(5 * MiB)) });
    expect(put.status).toBe(404);
    expect((await customerA.complete(crossed, [{ PartNumber: 1, ETag: etagB }])).status).toBe(404);
    expect((await customerA.abort(crossed)).status).toBe(404);
  });

  it("leaves B's upload untouched: B lists its part and completes", async () => {
    const listed = await customerB.listParts(uploadB);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([{ PartNumber: 1, Size: 5 * MiB, ETag: etagB }]);
    const last = randomData(10);
    const etag2 = await putPart((await customerB.signPart(uploadB, 2)).body.url, last);
    const done = await customerB.complete(uploadB, [{ PartNumber: 1, ETag: etagB }, { PartNumber: 2, ETag: etag2 }]);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect((await objectSha256(s3, portal.bucket, uploadB.key)).sha256).toBe(sha256(Buffer.concat([partB, last])));
    expect(await customerA.abort(uploadA)).toMatchObject({ status: 200 });
  });

  it("lists only its own files; B's do not show in A's /api/files", async () => {
    await portal.events.idle(); // B's file is in the catalog by now
    const files = await customerA.api.get('/api/files');
    expect(files.status).toBe(200);
    expect(files.body.files.map((f: { name: string }) => f.name)).not.toContain('secret.bin');
    expect((await customerA.api.get('/api/files', { endpoint: B })).status).toBe(403);
  });
});

// ------------------------------------------------------------------------------------------------
// Traversal filenames

describe('traversal filenames stay inside uploads/<endpoint>/', () => {
  const NAMES = [
    '../../x',
    '..\\x',
    '/etc/passwd',
    '....//....//etc/passwd',
    '..\\..\\..\\Windows\\win.ini',
    `../${B}/evil.txt`,
    'a\u0000b\nc\r\td.txt',
    'report\u202egpj.exe',
    '.hidden',
    ' ../ spaced.txt',
    '${filename}',
    '%2e%2e%2fencoded.txt',
  ];
  const RELATIVE_PATHS = [`../../${B}/evil.txt`, '/../../_portal/endpoints/x.json', '..\\..\\up\\x.txt', './././deep/../x.txt'];

  const assertInsideA = (key: string, what: string) => {
    expect(key.startsWith(`uploads/${A}/`), `${what} -> ${key}`).toBe(true);
    expect(parseObjectKey(key)?.endpoint, `${what} -> ${key}`).toBe(A);
    // eslint-disable-next-line no-control-regex
    expect(key, what).not.toMatch(/[\u0000-\u001f\u007f\u202e\\]|(^|\/)\.\.?(\/|$)/);
  };

  it('sanitises names sent as a small-file presigned PUT and stores the bytes inside the endpoint', async () => {
    const before = new Set(await listKeys(s3, portal.bucket));
    const stored: string[] = [];
    for (const name of [...NAMES, '..', '.', '\u0000']) {
      const data = randomData(64);
      const params = await customerA.params(name, data.length);
      if (params.status === 400) {
        expect(params.body.error.code, JSON.stringify(name)).toBe('invalid_filename');
        continue;
      }
      expect(params.status, JSON.stringify(name)).toBe(200);
      const key = params.body.key!;
      assertInsideA(key, JSON.stringify(name));
      expect(decodeURIComponent(new URL(params.body.url).pathname)).toBe(`/${portal.bucket}/${key}`);
      expect((await putSmall(params.body, data)).status).toBe(200);
      expect((await objectSha256(s3, portal.bucket, key)).sha256).toBe(sha256(data));
      stored.push(key);
    }
    for (const relativePath of RELATIVE_PATHS) {
      const upload = await customerA.uploadSmall('x.txt', randomData(8), { relativePath });
      assertInsideA(upload.key, relativePath);
      stored.push(upload.key);
    }
    // The names that must be refused were, and nothing landed outside A's folder or the reservations
    // but the audit trail's record of each upload (written by the events Lambda, about a key of A's).
    expect(stored.length).toBe(NAMES.length + RELATIVE_PATHS.length);
    await portal.events.idle();
    const added = (await listKeys(s3, portal.bucket)).filter((k) => !before.has(k));
    for (const key of added) {
      if (key.startsWith(AUDIT_PREFIX)) {
        const event = await readStoredAuditEvent(s3, portal.bucket, key);
        expect([event.action, event.endpoint, stored.includes(event.target)], key).toEqual(['upload.completed', A, true]);
        continue;
      }
      expect(key.startsWith(`uploads/${A}/`) || key.startsWith(`uploads/.portal-pending/${A}/`), key).toBe(true);
    }
  });

  it('sanitises names of multipart uploads the same way', async () => {
    for (const name of NAMES.slice(0, 6)) {
      const created = await customerA.create(name, 6 * MiB, { metadata: { relativePath: `../../${B}/${name}` } });
      expect(created.status, name).toBe(200);
      assertInsideA(created.body.key, name);
      expect((await customerA.abort(created.body)).status).toBe(200);
    }
    expect(await incompleteUploads(s3, portal.bucket, `uploads/${B}/`)).toEqual([]);
    expect((await customerA.create('..', 6 * MiB)).status).toBe(400);
  });
});

// ------------------------------------------------------------------------------------------------
// custom:endpoint

/*
 * "The customer cannot change custom:endpoint with its own access token." Two things make that true
 * in AWS, and only the second can be exercised locally:
 *
 * 1. Cognito refuses the change. The stack's ALB app client lists custom:endpoint among its read
 *    attributes but not its write attributes, so UpdateUserAttributes with a customer's access token
 *    fails (only the admin Lambda, with AdminUpdateUserAttributes/AdminCreateUser, writes it). That
 *    is asserted on the synthesised template in test/infra/stack/identity.checks.ts ("lets the client
 *    read custom:endpoint but not write it"). cognito-local does NOT enforce write attributes, so a
 *    local test of UpdateUserAttributes would prove nothing; and behind the ALB the browser never even
 *    holds a Cognito access token (it stays in the ALB's encrypted session cookie).
 * 2. The Lambdas take the endpoint from nowhere but the ALB-signed x-amzn-oidc-data. Whatever a
 *    customer holds (its own claims, an access token, a copy of a genuine token) cannot be turned into
 *    a token for another endpoint without the ALB's private key: the claims re-signed by any other key,
 *    or edited under the original signature, are refused, and the access/identity headers are ignored.
 */
describe('the endpoint comes only from the ALB-signed token', () => {
  let genuine: string;

  beforeAll(async () => {
    lastUploadsEvent = undefined;
    const me = await customerA.api.get('/api/me');
    expect(me.status).toBe(200);
    genuine = headersOf(lastUploadsEvent!)['x-amzn-oidc-data']!;
    expect(decodePart(genuine, 1)['custom:endpoint']).toBe(A);
  });

  it("accepts the customer's genuine token, and ignores the access token and identity headers", async () => {
    const me = await invoke(uploadsHandler, 'uploads', { method: 'GET', path: '/api/me', headers: { 'x-amzn-oidc-accesstoken': 'forged', 'x-amzn-oidc-identity': `sub-${B}` } }, genuine);
    expect(me.status).toBe(200);
    expect(me.body.endpoint.name).toBe(A);
  });

  it("refuses the customer's own claims moved to endpoint B, whether re-signed by another key or left under the ALB's signature", async () => {
    const header = decodePart(genuine, 0);
    const claims = { ...decodePart(genuine, 1), 'custom:endpoint': B };
    const input = `${b64(header)}.${b64(claims)}`;
    const resigned = `${input}.${sign('sha256', Buffer.from(input), { key: identity.forgeryKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    const edited = `${input}.${genuine.split('.')[2]}`;
    for (const token of [resigned, edited, ...(await algConfused(`${input}.x`))]) {
      for (const call of [
        { method: 'GET', path: '/api/me' },
        { method: 'POST', path: '/api/s3/multipart', body: { filename: 'moved.bin', metadata: { size: '10' } } },
        { method: 'GET', path: '/api/files' },
      ]) {
        const response = await invoke(uploadsHandler, 'uploads', call, token);
        expect(response.status, `${call.method} ${call.path}`).toBe(401);
      }
    }
    expect(await listKeys(s3, portal.bucket, `uploads/${B}/moved`)).toEqual([]);
  });
});
