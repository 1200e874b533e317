import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, isApiError, onSessionExpired, parseErrorBody, withQuery } from '../../../web/src/shared/api-client.js';

function stubFetch(respond: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return respond(url, init);
  });
  return calls;
}

afterEach(() => vi.unstubAllGlobals());

describe('api client', () => {
  it('sends JSON with the CSRF header on state-changing calls', async () => {
    const calls = stubFetch(() => new Response('{"ok":true}', { status: 200 }));
    expect(await api.post('/admin/api/endpoints', { name: 'acme' })).toEqual({ ok: true });
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(headers['Content-Type']).toBe('application/json');
    expect(headers['X-Requested-With']).toBe('portal');
    expect(calls[0]!.init.body).toBe('{"name":"acme"}');
    expect(calls[0]!.init.redirect).toBe('manual');
  });

  it('sends a JSON body even on DELETE without one (the admin API requires the content type)', async () => {
    const calls = stubFetch(() => new Response(null, { status: 204 }));
    expect(await api.delete('/admin/api/files?key=k')).toBeUndefined();
    expect(calls[0]!.init.body).toBe('{}');
    expect((calls[0]!.init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
  });

  it('sends no body or content type on GET, and builds query strings without empty values', async () => {
    const calls = stubFetch(() => new Response('[]', { status: 200 }));
    await api.get('/api/files', { query: { continuationToken: 'a b&c', empty: '', none: undefined, size: 5 } });
    expect(calls[0]!.url).toBe('/api/files?continuationToken=a+b%26c&size=5');
    expect(calls[0]!.init.body).toBeUndefined();
    expect((calls[0]!.init.headers as Record<string, string>)['Content-Type']).toBeUndefined();
  });

  it('turns the API error shape into an ApiError with code and a readable message', async () => {
    stubFetch(() => new Response('{"error":{"code":"endpoint_expired","message":"Endpoint expired"}}', { status: 403 }));
    const error = await api.get('/api/me').catch((e: unknown) => e);
    expect(isApiError(error)).toBe(true);
    expect(error).toMatchObject({ status: 403, code: 'endpoint_expired', serverMessage: 'Endpoint expired' });
    expect((error as ApiError).message).toMatch(/expired.*ask your contact/i);
  });

  it('reports a 401 or a redirect to sign-in as an expired session, and tells listeners', async () => {
    const listener = vi.fn();
    const stop = onSessionExpired(listener);
    stubFetch(() => new Response('', { status: 401 }));
    await expect(api.get('/api/me')).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
    stubFetch(() => ({ type: 'opaqueredirect', status: 0, ok: false, text: async () => '' }) as unknown as Response);
    await expect(api.get('/api/me')).rejects.toMatchObject({ status: 401 });
    expect(listener).toHaveBeenCalledTimes(2);
    stop();
  });

  it("reports the uploads API's session_revoked as a revoked session, which signing in again through the same session cannot cure", async () => {
    const ends: string[] = [];
    const stop = onSessionExpired((end) => ends.push(end));
    stubFetch(() => new Response('{"error":{"code":"session_revoked","message":"ended"}}', { status: 401 }));
    const error = await api.get('/api/me').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, code: 'session_revoked' });
    expect((error as ApiError).message).toMatch(/password was reset.*Sign out/);
    stubFetch(() => new Response('{"error":{"code":"unauthenticated","message":"no"}}', { status: 401 }));
    await expect(api.get('/api/me')).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(ends).toEqual(['revoked', 'expired']);
    stop();
  });

  it('reports a network failure as status 0, but lets aborts through', async () => {
    stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(api.get('/api/me')).rejects.toMatchObject({ status: 0, code: 'network_error' });
    stubFetch(() => Promise.reject(new DOMException('aborted', 'AbortError')));
    await expect(api.get('/api/me')).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('copes with non-JSON error pages and codes outside the catalogue', () => {
    expect(parseErrorBody('<html>502 Bad Gateway</html>', 502)).toEqual({ code: 'http_502' });
    expect(parseErrorBody('{"message":"x"}', 400)).toEqual({ code: 'http_400' });
    expect(parseErrorBody('{"error":{"code":"weird","message":"x"}}', 500)).toEqual({ code: 'http_500' });
  });

  it('appends queries to paths that already have one', () => {
    expect(withQuery('/a?x=1', { y: '2' })).toBe('/a?x=1&y=2');
    expect(withQuery('/a', {})).toBe('/a');
  });
});
