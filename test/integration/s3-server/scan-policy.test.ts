// The local S3 server's tag condition as the portal's `block` policy uses it: reads with the clean tag
// or the admin's release tag, never with THREATS_FOUND; the release tag written only by its writer,
// with only a keepable verdict beside it; HeadObject let through for the Lambdas' shared key.
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, PutObjectTaggingCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKET, CREDS, startTestServer, type TestServer } from './helpers.js';

const SCANNER = { accessKeyId: 'AKIDSCANNER', secretAccessKey: 'scanner-secret' };
const ADMIN = { accessKeyId: 'AKIDADMIN', secretAccessKey: 'admin-secret' };
const SCAN = 'GuardDutyMalwareScanStatus';
const RELEASE = 'PortalScanRelease';

let t: TestServer;
let user: S3Client;
let scanner: S3Client;
let admin: S3Client;

beforeAll(async () => {
  t = await startTestServer({
    credentials: [CREDS, SCANNER, ADMIN],
    readTagCondition: {
      prefix: 'uploads/',
      tag: SCAN,
      value: 'NO_THREATS_FOUND',
      deniedValue: 'THREATS_FOUND',
      exemptAccessKeyIds: [SCANNER.accessKeyId],
      guardTagWrites: true,
      releaseTag: { tag: RELEASE, value: 'released', writerAccessKeyIds: [ADMIN.accessKeyId], keepableValues: ['UNSUPPORTED', 'FAILED', 'ACCESS_DENIED'] },
      headExemptAccessKeyIds: [CREDS.accessKeyId],
    },
  });
  user = t.client();
  scanner = t.client({ credentials: SCANNER });
  admin = t.client({ credentials: ADMIN });
});
afterAll(() => t.close());

const put = (key: string) => user.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'data' }));
const tag = (client: S3Client, key: string, tags: Record<string, string>) =>
  client.send(new PutObjectTaggingCommand({ Bucket: BUCKET, Key: key, Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } }));
const read = (client: S3Client, key: string) => client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));

describe('the block policy on the local S3 server', () => {
  it('lets a released unscannable file be read, keeping its verdict', async () => {
    const key = 'uploads/acme/big.iso';
    await put(key);
    await tag(scanner, key, { [SCAN]: 'UNSUPPORTED' });
    await expect(read(user, key)).rejects.toMatchObject({ name: 'AccessDenied' });
    await tag(admin, key, { [SCAN]: 'UNSUPPORTED', [RELEASE]: 'released' });
    await expect(read(user, key)).resolves.toMatchObject({ ContentLength: 4 });
  });

  it('never lets an infected file be read or retagged by the release writer', async () => {
    const key = 'uploads/acme/eicar.com';
    await put(key);
    await tag(scanner, key, { [SCAN]: 'THREATS_FOUND' });
    await expect(tag(admin, key, { [RELEASE]: 'released' })).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(read(user, key)).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('refuses the release writer a clean verdict, and everyone else the release tag', async () => {
    const key = 'uploads/acme/x.bin';
    await put(key);
    await expect(tag(admin, key, { [SCAN]: 'NO_THREATS_FOUND' })).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(tag(user, key, { [RELEASE]: 'released' })).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(user.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/acme/self.bin', Body: 'x', Tagging: `${RELEASE}=released` }))).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('lets the shared key HeadObject an unscanned object but not GetObject it', async () => {
    const key = 'uploads/acme/new.bin';
    await put(key);
    await expect(user.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).resolves.toMatchObject({ ContentLength: 4 });
    await expect(read(user, key)).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
