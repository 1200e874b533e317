import { describe, expect, it } from 'vitest';
import { Router } from '../../../lambdas/shared/router.js';
import { json, type HttpRequest } from '../../../lambdas/shared/http.js';
import { refusalOfAsync } from '../../support/portal-error.js';

const request = (method: string, path: string): HttpRequest => ({ method, path, query: {}, headers: {}, body: Buffer.alloc(0), sourceIp: '127.0.0.1' });

const router = new Router<string>()
  .add('GET', '/api/s3/multipart/:uploadId/batch', async (_r, p) => json(200, { route: 'batch', ...p }))
  .add('GET', '/api/s3/multipart/:uploadId/:partNumber', async (_r, p, ctx) => json(200, { route: 'part', ctx, ...p }))
  .add('DELETE', '/api/s3/multipart/:uploadId', async (_r, p) => json(200, { route: 'abort', ...p }));

async function body(method: string, path: string) {
  return JSON.parse(String((await router.handle(request(method, path), 'ctx')).body));
}

async function status(method: string, path: string) {
  return (await refusalOfAsync(() => router.handle(request(method, path), 'ctx')))?.status ?? 200;
}

describe('Router', () => {
  it('matches literal segments before parameters and decodes parameters', async () => {
    expect(await body('GET', '/api/s3/multipart/abc/batch')).toEqual({ route: 'batch', uploadId: 'abc' });
    expect(await body('GET', '/api/s3/multipart/a%2Bb/7')).toEqual({ route: 'part', ctx: 'ctx', uploadId: 'a+b', partNumber: '7' });
  });

  it('answers 405 for a known path with another method and 404 for an unknown path', async () => {
    expect(await status('POST', '/api/s3/multipart/abc')).toBe(405);
    expect(await status('GET', '/api/nothing')).toBe(404);
    expect(await status('GET', '/api/s3/multipart/%E0%A4%A/1')).toBe(400);
  });
});
