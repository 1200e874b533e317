// The gateway's ALB event conversion, unit-level: what a Lambda target receives and how its result
// goes back onto the wire.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ALBResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { isTextBody, multiValueHeaders, parseRawQuery, toAlbEvent, writeAlbResult } from '../../../local/gateway/alb-event.js';
import { parseAlbEvent } from '../../../lambdas/shared/http.js';
import { ALB_MAX_RESPONSE_JSON_BYTES } from '../../../contract/limits.js';

const event = (rawUrl: string, headers: Record<string, string[]> = {}, body = Buffer.alloc(0)) =>
  toAlbEvent({ method: 'post', rawUrl, headers, body, targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/1' });

describe('request -> ALB event', () => {
  it('passes query names and values still URL-encoded, repeated ones as lists', () => {
    const e = event('/api/s3/params?filename=a%20b%2Fc.txt&metadata%5Bname%5D=x+y&n=1&n=2&flag');
    expect(e.path).toBe('/api/s3/params');
    expect(e.httpMethod).toBe('POST');
    expect(e.multiValueQueryStringParameters).toEqual({ filename: ['a%20b%2Fc.txt'], 'metadata%5Bname%5D': ['x+y'], n: ['1', '2'], flag: [''] });
    // ...and the shared parser decodes them, as it must behind a real ALB.
    expect(parseAlbEvent(e).query).toMatchObject({ filename: 'a b/c.txt', 'metadata[name]': 'x y', n: '2', flag: '' });
  });

  it('sends text bodies as text and anything else base64-encoded', () => {
    const json = event('/x', { 'content-type': ['application/json; charset=utf-8'] }, Buffer.from('{"a":1}'));
    expect(json).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
    const binary = Buffer.from([0, 1, 2, 255]);
    const octets = event('/x', { 'content-type': ['application/octet-stream'] }, binary);
    expect(octets).toMatchObject({ body: binary.toString('base64'), isBase64Encoded: true });
    expect(event('/x')).toMatchObject({ body: '', isBase64Encoded: false, multiValueQueryStringParameters: {} });
    expect(isTextBody('text/html', 'gzip')).toBe(false);
  });

  it('lower-cases header names and keeps repeated headers', () => {
    expect(multiValueHeaders(['Accept', 'a', 'X-Thing', '1', 'x-thing', '2'])).toEqual({ accept: ['a'], 'x-thing': ['1', '2'] });
  });

  it('parses raw queries without decoding', () => {
    expect(parseRawQuery('a=%41&&b=')).toEqual({ a: ['%41'], b: [''] });
  });
});

describe('ALB result -> response', () => {
  async function roundTrip(result: ALBResult): Promise<{ response: Response; body: Buffer }> {
    const server = createServer((_req, res) => writeAlbResult(res, result));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      return { response, body: Buffer.from(await response.arrayBuffer()) };
    } finally {
      server.close();
    }
  }

  it('writes several Set-Cookie headers from the multi-value form and decodes base64 bodies', async () => {
    const { response, body } = await roundTrip({
      statusCode: 201,
      multiValueHeaders: { 'Set-Cookie': ['a=1; Path=/', 'b=2; Path=/'], 'content-type': ['application/octet-stream'] },
      body: Buffer.from([1, 2, 3]).toString('base64'),
      isBase64Encoded: true,
    });
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect([...body]).toEqual([1, 2, 3]);
  });

  it('answers 502 for a response over the ALB limit, as the ALB does', async () => {
    const { response } = await roundTrip({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(1_100_000) });
    expect(response.status).toBe(502);
  });

  it('takes a response whose JSON is exactly at the limit, and answers 502 one byte over', async () => {
    const withBody = (length: number): ALBResult => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(length) });
    const atLimit = ALB_MAX_RESPONSE_JSON_BYTES - Buffer.byteLength(JSON.stringify(withBody(0)));
    expect(Buffer.byteLength(JSON.stringify(withBody(atLimit)))).toBe(ALB_MAX_RESPONSE_JSON_BYTES);
    expect((await roundTrip(withBody(atLimit))).response.status).toBe(200);
    expect((await roundTrip(withBody(atLimit + 1))).response.status).toBe(502);
  });
});
