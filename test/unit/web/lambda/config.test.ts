import { describe, expect, it } from 'vitest';
import { LambdaEnvError, readEnv } from '../../../../contract/lambda-env.js';
import { WEB_SETTINGS_ENV, webSettings } from '../../../../lambdas/web/config.js';
import { contentTypeFor, isCompressible, isTextType } from '../../../../contract/content-types.js';
import { parseAcceptEncoding, preferredEncodings } from '../../../../lambdas/web/encoding.js';
import { encodedBodySize, MAX_BASE64_RAW_BYTES, MAX_ENCODED_BODY_BYTES } from '../../../../contract/response-limit.js';
import { safeRelativePath } from '../../../../lambdas/web/static-files.js';

const webSettingsFromEnv = (env: Record<string, string>, root?: string) => webSettings(readEnv('web', WEB_SETTINGS_ENV, env), root);

describe('web settings', () => {
  it('reads the environment, with WEB_ROOT defaulting beside the bundle', () => {
    const settings = webSettingsFromEnv({ S3_ORIGINS: ' https://b.s3.eu-west-1.amazonaws.com  http://127.0.0.1:9000 ', CUSTOMER_LOGOUT_URL: 'https://auth.test/logout?client_id=abc&logout_uri=https%3A%2F%2Fportal.test%2Fsigned-out' }, '/var/task/web');
    expect(settings).toEqual({
      webRoot: '/var/task/web',
      customerLogoutUrl: 'https://auth.test/logout?client_id=abc&logout_uri=https%3A%2F%2Fportal.test%2Fsigned-out',
      adminLogoutUrl: '',
      s3Origins: ['https://b.s3.eu-west-1.amazonaws.com', 'http://127.0.0.1:9000'],
    });
    expect(webSettingsFromEnv({ WEB_ROOT: '/tmp/site' }).webRoot).toBe('/tmp/site');
  });

  it('refuses S3 origins that could inject CSP directives, and odd logout URLs, all at once', () => {
    expect(() => webSettingsFromEnv({ S3_ORIGINS: "https://b.s3.amazonaws.com; script-src 'unsafe-inline'", ADMIN_LOGOUT_URL: 'javascript:alert(1)' })).toThrow(LambdaEnvError);
    expect(() => webSettingsFromEnv({ S3_ORIGINS: 'https://ok.test/path', ADMIN_LOGOUT_URL: 'ftp://x' })).toThrow(/S3_ORIGINS[\s\S]*ADMIN_LOGOUT_URL/);
  });
});

describe('content types', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8', true],
    ['assets/a-1.js', 'text/javascript; charset=utf-8', true],
    ['assets/a-1.css', 'text/css; charset=utf-8', true],
    ['favicon.svg', 'image/svg+xml', true],
    ['x.json', 'application/json; charset=utf-8', true],
    ['assets/f.woff2', 'font/woff2', false],
    ['assets/p.PNG', 'image/png', false],
    ['LICENSE', 'application/octet-stream', false],
    ['dir.v2/file', 'application/octet-stream', false],
  ])('%s -> %s', (path, type, text) => {
    expect(contentTypeFor(path)).toBe(type);
    expect(isTextType(type)).toBe(text);
    expect(isCompressible(type)).toBe(text);
  });
});

describe('Accept-Encoding', () => {
  it('parses q-values', () => {
    expect([...parseAcceptEncoding('gzip;q=0.8, BR, *;q=0')]).toEqual([
      ['gzip', 0.8],
      ['br', 1],
      ['*', 0],
    ]);
  });

  it.each([
    [undefined, ['identity']],
    ['', ['identity']],
    ['gzip, deflate, br', ['br', 'gzip', 'identity']],
    ['gzip', ['gzip', 'identity']],
    ['br;q=0, gzip', ['gzip', 'identity']],
    ['gzip;q=1, br;q=0.2', ['gzip', 'br', 'identity']],
    ['*', ['br', 'gzip', 'identity']],
    ['*;q=0.5, br;q=0', ['gzip', 'identity']],
  ])('%j -> %j', (header, order) => expect(preferredEncodings(header, ['br', 'gzip'])).toEqual(order));

  it('only offers variants that exist', () => expect(preferredEncodings('br, gzip', ['gzip'])).toEqual(['gzip', 'identity']));
});

describe('ALB response budget', () => {
  it('counts base64 growth and leaves room for headers', () => {
    expect(encodedBodySize(3, true)).toBe(4);
    expect(encodedBodySize(4, true)).toBe(8);
    expect(encodedBodySize(4, false)).toBe(4);
    expect(MAX_ENCODED_BODY_BYTES).toBeLessThan(1_000_000);
    expect(encodedBodySize(MAX_BASE64_RAW_BYTES, true)).toBeLessThanOrEqual(MAX_ENCODED_BODY_BYTES);
    expect(encodedBodySize(MAX_BASE64_RAW_BYTES + 3, true)).toBeGreaterThan(MAX_ENCODED_BODY_BYTES);
    expect(MAX_BASE64_RAW_BYTES).toBeGreaterThan(730_000);
  });
});

describe('safeRelativePath', () => {
  it.each([
    ['assets/a.js', 'assets/a.js'],
    ['../etc/passwd', undefined],
    ['assets/../../x', undefined],
    ['/abs', undefined],
    ['a//b', undefined],
    ['a\\b', undefined],
    ['a\0b', undefined],
    ['', undefined],
    ['./a', undefined],
  ])('%j -> %j', (input, output) => expect(safeRelativePath(input)).toBe(output));
});
