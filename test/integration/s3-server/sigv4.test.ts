// SigV4 verification of the local S3 server: header and presigned auth, tampering, expiry, and the SDK's checksum modes.
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKET, captureRequestHeaders, CREDS, errorCode, errorMessage, MovableClock, rawRequest, sdkError, signedRequest, signRequest, startTestServer, type TestServer } from './helpers.js';

const clock = new MovableClock();
let t: TestServer;
let s3: S3Client;

beforeAll(async () => {
  t = await startTestServer({ clock: clock.now });
  s3 = t.client();
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'existing.txt', Body: 'hello world' }));
});
afterAll(() => t.close());

describe('header-signed requests', () => {
  it('accepts the SDK and rejects an unknown key, a wrong secret and a wrong region', async () => {
    expect((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'existing.txt' }))).ContentLength).toBe(11);
    const unknown = await sdkError(t.client({ credentials: { accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' } }).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'existing.txt' })));
    expect([unknown.name, unknown.status]).toEqual(['InvalidAccessKeyId', 403]);
    const wrong = await sdkError(t.client({ credentials: { ...CREDS, secretAccessKey: 'wrong' } }).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'existing.txt' })));
    expect([wrong.name, wrong.status]).toEqual(['SignatureDoesNotMatch', 403]);
    const region = await sdkError(t.client({ region: 'eu-west-1' }).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'existing.txt' })));
    expect([region.name, region.status]).toEqual(['AuthorizationHeaderMalformed', 400]);
  });

  it('answers a refused "Expect: 100-continue" upload without waiting for its body', async () => {
    const bad = t.client({ credentials: { ...CREDS, secretAccessKey: 'wrong' } });
    const seen = captureRequestHeaders(bad);
    const err = await sdkError(bad.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'big-refused.bin', Body: Buffer.alloc(3 * 1024 * 1024) })));
    expect(seen[0]?.['Expect'] ?? seen[0]?.['expect']).toBe('100-continue');
    expect([err.name, err.status]).toEqual(['SignatureDoesNotMatch', 403]);
    const ok = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'big-accepted.bin', Body: Buffer.alloc(3 * 1024 * 1024) }));
    expect(ok.ETag).toBeDefined();
  });

  it('refuses unsigned requests', async () => {
    const res = await rawRequest(`${t.server.url}/${BUCKET}/existing.txt`);
    expect(res.status).toBe(403);
    expect(errorCode(res.body)).toBe('AccessDenied');
    const put = await rawRequest(`${t.server.url}/${BUCKET}/anon.txt`, { method: 'PUT', body: 'x' });
    expect(put.status).toBe(403);
  });

  it('detects a tampered signed header, query parameter and path', async () => {
    const init = { method: 'GET', path: `/${BUCKET}/existing.txt`, headers: { 'x-amz-meta-note': 'a' } };
    const ok = await signRequest(t.server.url, init);
    expect((await rawRequest(ok.url, { headers: ok.headers })).status).toBe(200);

    const header = await rawRequest(ok.url, { headers: { ...ok.headers, 'x-amz-meta-note': 'b' } });
    expect([header.status, errorCode(header.body)]).toEqual([403, 'SignatureDoesNotMatch']);
    expect(header.body).toContain('<CanonicalRequest>');

    const query = await rawRequest(`${ok.url}?response-content-type=text%2Fhtml`, { headers: ok.headers });
    expect([query.status, errorCode(query.body)]).toEqual([403, 'SignatureDoesNotMatch']);

    const path = await rawRequest(ok.url.replace('existing.txt', 'existing.TXT'), { headers: ok.headers });
    expect([path.status, errorCode(path.body)]).toEqual([403, 'SignatureDoesNotMatch']);

    const added = await rawRequest(ok.url, { headers: { ...ok.headers, 'x-amz-meta-extra': 'unsigned' } });
    expect([added.status, errorCode(added.body)]).toEqual([403, 'AccessDenied']);
    expect(added.body).toContain('<HeadersNotSigned>x-amz-meta-extra</HeadersNotSigned>');
  });

  it('verifies the body against x-amz-content-sha256 and stores nothing on mismatch', async () => {
    const signed = await signRequest(t.server.url, { method: 'PUT', path: `/${BUCKET}/hashed.txt`, body: 'abc' });
    expect(signed.headers['x-amz-content-sha256']).toBe(createHash('sha256').update('abc').digest('hex'));
    const bad = await rawRequest(signed.url, { method: 'PUT', headers: signed.headers, body: 'abd' });
    expect([bad.status, errorCode(bad.body)]).toEqual([400, 'XAmzContentSHA256Mismatch']);
    expect((await sdkError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'hashed.txt' })))).status).toBe(404);
    const good = await rawRequest(signed.url, { method: 'PUT', headers: signed.headers, body: 'abc' });
    expect(good.status).toBe(200);
  });

  it('refuses a request signed too far from the server clock', async () => {
    const res = await signedRequest(t.server.url, { path: `/${BUCKET}/existing.txt`, signingDate: new Date(Date.now() - 3600_000) });
    expect([res.status, errorCode(res.body)]).toEqual([403, 'RequestTimeTooSkewed']);
  });

  it('lets the SDK recover from a moved server clock through its clock-skew correction', async () => {
    const serverAheadMs = 2 * 3600_000;
    await clock.aheadBy(serverAheadMs, async () => {
      const client = t.client();
      expect((await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'existing.txt' }))).ContentLength).toBe(11);
      expect(Math.abs(client.config.systemClockOffset - serverAheadMs)).toBeLessThan(5_000);
    });
  });

  it('accepts virtual-host style requests for configured buckets', async () => {
    const res = await signedRequest(t.server.url, { path: '/existing.txt', host: `${BUCKET}.localhost:${t.server.port}` });
    expect([res.status, res.body]).toEqual([200, 'hello world']);
  });

  it('requires a length for plain (non aws-chunked) uploads', async () => {
    const { url, headers } = await signRequest(t.server.url, { method: 'PUT', path: `/${BUCKET}/no-length`, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    const res = await new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
      const req = request(url, { method: 'PUT', headers: { ...headers, 'transfer-encoding': 'chunked' }, agent: false }, (r) => {
        let body = '';
        r.on('data', (c: Buffer) => (body += c.toString()));
        r.on('end', () => resolve({ status: r.statusCode, body }));
      });
      req.on('error', reject);
      req.write('some');
      req.end('data');
    });
    expect([res.status, errorCode(res.body)]).toEqual([411, 'MissingContentLength']);
  });

  it('refuses SigV2 and mixed auth', async () => {
    const v2 = await rawRequest(`${t.server.url}/${BUCKET}/existing.txt`, { headers: { authorization: 'AWS AKID:sig' } });
    expect([v2.status, errorCode(v2.body)]).toEqual([400, 'InvalidRequest']);
    const signed = await signRequest(t.server.url, { path: `/${BUCKET}/existing.txt` });
    const mixed = await rawRequest(`${signed.url}?X-Amz-Algorithm=AWS4-HMAC-SHA256`, { headers: signed.headers });
    expect([mixed.status, errorCode(mixed.body)]).toEqual([400, 'InvalidArgument']);
  });
});

describe('presigned URLs', () => {
  it('work for GET and PUT, including keys that need encoding', async () => {
    const presigner = t.client({ requestChecksumCalculation: 'WHEN_REQUIRED' });
    for (const key of ['plain.txt', 'with space/and+plus & amp.txt', 'ünïcødé/日本語 😀.bin', "tilde~star*paren()quote'!.txt", 'percent%20literal%2F.txt', 'q?hash#.txt']) {
      const put = await getSignedUrl(presigner, new PutObjectCommand({ Bucket: BUCKET, Key: key }), { expiresIn: 60 });
      const putRes = await fetch(put, { method: 'PUT', body: `body of ${key}` });
      expect(putRes.status, key).toBe(200);
      const get = await getSignedUrl(presigner, new GetObjectCommand({ Bucket: BUCKET, Key: key }), { expiresIn: 60 });
      const getRes = await fetch(get);
      expect(getRes.status, key).toBe(200);
      expect(await getRes.text()).toBe(`body of ${key}`);
    }
  });

  it('reject a tampered query and a wrong secret', async () => {
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: 'existing.txt' }), { expiresIn: 60 });
    const tampered = await fetch(url.replace('X-Amz-Expires=60', 'X-Amz-Expires=600'));
    expect(tampered.status).toBe(403);
    expect(errorCode(await tampered.text())).toBe('SignatureDoesNotMatch');
    const extraHeader = await fetch(url, { headers: { 'x-amz-acl': 'public-read' } });
    expect(extraHeader.status).toBe(403);
    const other = await getSignedUrl(t.client({ credentials: { ...CREDS, secretAccessKey: 'nope' } }), new GetObjectCommand({ Bucket: BUCKET, Key: 'existing.txt' }));
    expect((await fetch(other)).status).toBe(403);
    const unknown = await getSignedUrl(t.client({ credentials: { accessKeyId: 'AKIDNOBODY', secretAccessKey: 'nope' } }), new GetObjectCommand({ Bucket: BUCKET, Key: 'existing.txt' }));
    const res = await fetch(unknown);
    expect([res.status, errorCode(await res.text())]).toEqual([403, 'InvalidAccessKeyId']);
  });

  it('expire after X-Amz-Date + X-Amz-Expires with "Request has expired"', async () => {
    const old = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: 'existing.txt' }), { expiresIn: 60, signingDate: new Date(Date.now() - 120_000) });
    const res = await fetch(old);
    const body = await res.text();
    expect([res.status, errorCode(body), errorMessage(body)]).toEqual([403, 'AccessDenied', 'Request has expired']);

    // The same through the server clock option: a fresh URL dies once the server's time passes its expiry.
    const fresh = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: 'existing.txt' }), { expiresIn: 900 });
    expect((await fetch(fresh)).status).toBe(200);
    await clock.aheadBy(901_000, async () => {
      const later = await fetch(fresh);
      expect([later.status, errorMessage(await later.text())]).toEqual([403, 'Request has expired']);
    });
  });

  it('ignore a checksum the presigner hoisted into the query, like S3: signed, but neither checked nor stored', async () => {
    // The default client signs the CRC32 of an empty body into the URL, which no real body matches.
    const url = await getSignedUrl(t.client(), new PutObjectCommand({ Bucket: BUCKET, Key: 'checksummed.txt' }), { expiresIn: 60 });
    expect(url).toContain('x-amz-checksum-crc32=');
    const res = await fetch(url, { method: 'PUT', body: 'not empty' });
    expect([res.status, errorCode(await res.text())]).toEqual([200, undefined]);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'checksummed.txt', ChecksumMode: 'ENABLED' }));
    // The body counts as sent without a checksum: it gets S3's default CRC64NVME, not the hoisted CRC32.
    expect([head.ContentLength, head.ChecksumCRC32, head.ChecksumCRC64NVME, head.ChecksumType]).toEqual([9, undefined, expect.stringMatching(/^[A-Za-z0-9+/]{11}=$/), 'FULL_OBJECT']);
  });
});

describe('SDK checksum modes', () => {
  it.each(['WHEN_SUPPORTED', 'WHEN_REQUIRED'] as const)('round-trips buffers and streams with requestChecksumCalculation %s', async (mode) => {
    const client = t.client({ requestChecksumCalculation: mode });
    const seen = captureRequestHeaders(client);
    const data = Buffer.alloc(300_000, 7);
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `mode-${mode}/buffer`, Body: data }));
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `mode-${mode}/stream`, Body: Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]), ContentLength: data.length }));
    for (const kind of ['buffer', 'stream']) {
      const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `mode-${mode}/${kind}` }));
      expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data)).toBe(true);
    }
    const [bufferPut, streamPut] = seen;
    if (mode === 'WHEN_SUPPORTED') {
      expect(bufferPut!['x-amz-checksum-crc32']).toBeDefined();
      expect(streamPut!['content-encoding']).toBe('aws-chunked');
      expect(streamPut!['x-amz-content-sha256']).toBe('STREAMING-UNSIGNED-PAYLOAD-TRAILER');
    } else {
      expect(Object.keys(bufferPut!).some((h) => h.startsWith('x-amz-checksum-'))).toBe(false);
      expect(streamPut!['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    }
  });

  it.each(['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const)('verifies %s checksums in headers and in aws-chunked trailers', async (algorithm) => {
    const client = t.client();
    const data = Buffer.from('checksum me '.repeat(5000));
    const put = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `algo/${algorithm}`, Body: data, ChecksumAlgorithm: algorithm }));
    expect(put[`Checksum${algorithm}`]).toBeDefined();
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `algo/${algorithm}-stream`, Body: Readable.from([data]), ContentLength: data.length, ChecksumAlgorithm: algorithm }));
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `algo/${algorithm}-stream`, ChecksumMode: 'ENABLED' }));
    expect(await got.Body!.transformToString()).toBe(data.toString());
  });

  it('rejects a wrong checksum header and a wrong aws-chunked trailer', async () => {
    const wrong = Buffer.alloc(4);
    wrong.writeUInt32BE((crc32('other') ^ 1) >>> 0);
    const header = await signedRequest(t.server.url, { method: 'PUT', path: `/${BUCKET}/bad-crc`, headers: { 'x-amz-checksum-crc32': wrong.toString('base64') }, body: 'payload' });
    expect([header.status, errorCode(header.body)]).toEqual([400, 'BadDigest']);

    const good = Buffer.alloc(4);
    good.writeUInt32BE(crc32('payload') >>> 0);
    const framed = (value: string): string => `7\r\npayload\r\n0\r\nx-amz-checksum-crc32:${value}\r\n\r\n`;
    const headers = {
      'content-encoding': 'aws-chunked',
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-decoded-content-length': '7',
      'x-amz-trailer': 'x-amz-checksum-crc32',
    };
    const badTrailer = await signedRequest(t.server.url, { method: 'PUT', path: `/${BUCKET}/chunked`, headers, body: framed(wrong.toString('base64')) });
    expect([badTrailer.status, errorCode(badTrailer.body)]).toEqual([400, 'BadDigest']);
    const goodTrailer = await signedRequest(t.server.url, { method: 'PUT', path: `/${BUCKET}/chunked`, headers, body: framed(good.toString('base64')) });
    expect(goodTrailer.status).toBe(200);
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'chunked' }));
    expect([await got.Body!.transformToString(), got.ContentEncoding]).toEqual(['payload', undefined]);
    const short = await signedRequest(t.server.url, { method: 'PUT', path: `/${BUCKET}/chunked-short`, headers: { ...headers, 'x-amz-decoded-content-length': '9' }, body: framed(good.toString('base64')) });
    expect([short.status, errorCode(short.body)]).toEqual([400, 'IncompleteBody']);
  });

  it('refuses signed streaming payloads it cannot verify', async () => {
    const res = await signedRequest(t.server.url, { method: 'PUT', path: `/${BUCKET}/signed-stream`, headers: { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' }, body: '' });
    expect([res.status, errorCode(res.body)]).toEqual([501, 'NotImplemented']);
  });
});
