import { describe, expect, it } from 'vitest';
import type { ALBEvent } from 'aws-lambda';
import { json, parseAlbEvent, readJsonBody, toAlbResult } from '../../../lambdas/shared/http.js';
import { ALB_MAX_BODY_BYTES } from '../../../contract/limits.js';
import { refusalOf } from '../../support/portal-error.js';

const event = (over: Partial<ALBEvent>): ALBEvent => ({
  requestContext: { elb: { targetGroupArn: 'arn:tg' } },
  httpMethod: 'GET',
  path: '/api/files',
  body: null,
  isBase64Encoded: false,
  ...over,
});

describe('parseAlbEvent', () => {
  it('decodes query values, which the ALB leaves encoded, and keeps the last of repeated ones', () => {
    const request = parseAlbEvent(event({ multiValueQueryStringParameters: { key: ['a', 'uploads%2Facme%2Fr%C3%A9sum%C3%A9+1.pdf'] }, multiValueHeaders: {} }));
    expect(request.query.key).toBe('uploads/acme/résumé 1.pdf');
  });

  it('lower-cases header names and takes the client address the ALB appended last', () => {
    const request = parseAlbEvent(event({ multiValueHeaders: { 'X-Forwarded-For': ['6.6.6.6, 203.0.113.9'], Accept: ['a', 'b'] } }));
    expect(request.headers.accept).toBe('b');
    expect(request.sourceIp).toBe('203.0.113.9');
  });

  it('decodes base64 bodies and refuses bodies over the ALB limit with 413', () => {
    expect(parseAlbEvent(event({ body: Buffer.from('{"a":1}').toString('base64'), isBase64Encoded: true })).body.toString()).toBe('{"a":1}');
    expect(refusalOf(() => parseAlbEvent(event({ body: 'x'.repeat(ALB_MAX_BODY_BYTES + 1) })))).toMatchObject({ status: 413, code: 'body_too_large' });
  });

  it('refuses malformed percent-encoding with 400', () => {
    expect(refusalOf(() => parseAlbEvent(event({ queryStringParameters: { key: '%E0%A4%A' } })))).toMatchObject({ status: 400, code: 'bad_query' });
  });
});

describe('readJsonBody', () => {
  const req = (contentType: string | undefined, body: string) => parseAlbEvent(event({ httpMethod: 'POST', headers: contentType ? { 'content-type': contentType } : {}, body }));
  it('parses JSON and insists on the JSON content type', () => {
    expect(readJsonBody(req('application/json; charset=utf-8', '{"a":[1]}'))).toEqual({ a: [1] });
    expect(refusalOf(() => readJsonBody(req('text/plain', '{}')))).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    expect(refusalOf(() => readJsonBody(req(undefined, '{}')))).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    expect(refusalOf(() => readJsonBody(req('application/json', '{nope')))).toMatchObject({ status: 400, code: 'invalid_json' });
    expect(refusalOf(() => readJsonBody(req('application/json', '')))).toMatchObject({ status: 400, code: 'invalid_json' });
  });
});

describe('toAlbResult', () => {
  it('sends several cookies only in the multi-value form', () => {
    const response = { status: 302, headers: { location: '/x' }, cookies: ['a=; Max-Age=0', 'b=; Max-Age=0'] };
    expect(toAlbResult(response, true).multiValueHeaders?.['set-cookie']).toEqual(['a=; Max-Age=0', 'b=; Max-Age=0']);
    expect(toAlbResult(response, true).statusDescription).toBe('302 Found');
  });

  it('base64-encodes binary bodies and leaves JSON as text', () => {
    const binary = toAlbResult({ status: 200, headers: { 'content-type': 'image/png' }, body: Buffer.from([0, 1, 2]) }, false);
    expect(binary).toMatchObject({ isBase64Encoded: true, body: 'AAEC' });
    const text = toAlbResult(json(200, { ok: true }), false);
    expect(text).toMatchObject({ isBase64Encoded: false, body: '{"ok":true}' });
    expect(text.headers?.['cache-control']).toBe('no-store');
  });
});
