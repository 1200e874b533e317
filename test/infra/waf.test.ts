// The web ACL's scoping, evaluated on the real requests of the portal: a small evaluator for the
// statements infra/waf.ts uses (labels, URI-path prefixes, and/or/not), fed with what the Core rule set
// labels a request with. The labelling is modelled here from AWS's rule list, independently of
// infra/waf.ts: bodies over 8 KB are SizeRestrictions_Body, queries over 2,048 bytes
// SizeRestrictions_QueryString, a query argument with a system file extension (`.log`, `.ini`)
// RestrictedExtensions_QueryArguments, a Cookie header over 10,240 bytes SizeRestrictions_Cookie_Header. A Core rule the web ACL does not override to count blocks at once.
import { describe, expect, it } from 'vitest';
import { S3_MAX_PARTS, MAX_BATCH_PARTS } from '../../contract/limits.js';
import { SESSION_COOKIE_SHARDS, SESSION_COOKIES, sessionCookieShard } from '../../contract/routes.js';
import { webFirewallRules } from '../../infra/waf.js';

const ALB_BODY_INSPECTION_BYTES = 8192;
const CORE_QUERY_STRING_MAX_BYTES = 2048;

/** Core rule set rules and the labels they add, as AWS's developer guide lists them. */
const CORE_RULE_LABELS: Record<string, string> = {
  SizeRestrictions_BODY: 'SizeRestrictions_Body',
  CrossSiteScripting_BODY: 'CrossSiteScripting_Body',
  GenericLFI_BODY: 'GenericLFI_Body',
  GenericRFI_BODY: 'GenericRFI_Body',
  EC2MetaDataSSRF_BODY: 'EC2MetaDataSSRF_Body',
  SizeRestrictions_QUERYSTRING: 'SizeRestrictions_QueryString',
  RestrictedExtensions_QUERYARGUMENTS: 'RestrictedExtensions_QueryArguments',
  CrossSiteScripting_QUERYARGUMENTS: 'CrossSiteScripting_QueryArguments',
  GenericLFI_QUERYARGUMENTS: 'GenericLFI_QueryArguments',
  GenericRFI_QUERYARGUMENTS: 'GenericRFI_QueryArguments',
  EC2MetaDataSSRF_QUERYARGUMENTS: 'EC2MetaDataSSRF_QueryArguments',
  RestrictedExtensions_URIPATH: 'RestrictedExtensions_URIPath',
  SizeRestrictions_Cookie_HEADER: 'SizeRestrictions_Cookie_Header',
};
/** SizeRestrictions_Cookie_HEADER: a Cookie header over this many bytes (AWS's Core rule set list). */
const CORE_COOKIE_MAX_BYTES = 10_240;
const label = (rule: string): string => `awswaf:managed:aws:core-rule-set:${CORE_RULE_LABELS[rule]!}`;
const BODY_RULES = Object.keys(CORE_RULE_LABELS).filter((rule) => rule.endsWith('_BODY'));
const QUERY_RULES = Object.keys(CORE_RULE_LABELS).filter((rule) => rule.includes('_QUERY'));

interface Request {
  /** The path and its query, as the browser sends it (query values URL-encoded). */
  url: string;
  labels: string[];
}

/** The statements infra/waf.ts writes, as plain data (CDK types them loosely, as IResolvable unions). */
interface Statement {
  labelMatchStatement?: { key: string };
  byteMatchStatement?: { searchString: string; positionalConstraint: string };
  andStatement?: { statements: Statement[] };
  orStatement?: { statements: Statement[] };
  notStatement?: { statement: Statement };
  managedRuleGroupStatement?: { name: string; ruleActionOverrides?: { name: string; actionToUse: Record<string, unknown> }[] };
}

const pathOf = (url: string): string => url.split('?')[0]!;

function matches(s: Statement, request: Request): boolean {
  if (s.labelMatchStatement) return request.labels.includes(s.labelMatchStatement.key);
  // The ALB hands WAF the URI path without its query: STARTS_WITH on uriPath sees the path alone.
  if (s.byteMatchStatement?.positionalConstraint === 'STARTS_WITH') return pathOf(request.url).startsWith(s.byteMatchStatement.searchString);
  if (s.andStatement) return s.andStatement.statements.every((inner) => matches(inner, request));
  if (s.orStatement) return s.orStatement.statements.some((inner) => matches(inner, request));
  if (s.notStatement) return !matches(s.notStatement.statement, request);
  throw new Error(`statement not modelled: ${Object.keys(s).join(', ')}`);
}

const rules = webFirewallRules(3000);
const coreGroup = rules.map((rule) => rule.statement as Statement).find((s) => s.managedRuleGroupStatement?.name === 'AWSManagedRulesCommonRuleSet')!
  .managedRuleGroupStatement!;
const countedInCore = new Set((coreGroup.ruleActionOverrides ?? []).filter((o) => 'count' in o.actionToUse).map((o) => label(o.name)));

/** Blocked by the Core rule set itself (a matching rule left blocking) or by a blocking rule after it? */
const blocked = (request: Request): boolean =>
  request.labels.some((l) => !countedInCore.has(l)) ||
  rules
    .filter((rule) => (rule.action as Record<string, unknown> | undefined)?.block && !(rule.statement as Record<string, unknown>).rateBasedStatement)
    .some((rule) => matches(rule.statement as Statement, request));

const bodyLabels = (body: unknown): string[] => (Buffer.byteLength(JSON.stringify(body)) > ALB_BODY_INSPECTION_BYTES ? [label('SizeRestrictions_BODY')] : []);

/** What the Core rule set's query rules label a URL with (the two a file name or key trips most easily). */
function queryLabels(url: string): string[] {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const values = [...new URLSearchParams(query).values()];
  return [
    ...(Buffer.byteLength(query) > CORE_QUERY_STRING_MAX_BYTES ? [label('SizeRestrictions_QUERYSTRING')] : []),
    ...(values.some((value) => /\.(log|ini)(\W|$)/i.test(value)) ? [label('RestrictedExtensions_QUERYARGUMENTS')] : []),
  ];
}
const request = (url: string): Request => ({ url, labels: queryLabels(url) });
const q = (params: Record<string, string>): string => new URLSearchParams(params).toString();

const checksum = 'AAAAAAAAAAA=';
/** A key as the portal hands it out, `uploads/<endpoint>/<folders>/<name>`, of about 1,000 UTF-8 bytes. */
const longKey = `uploads/acme/${'Bücher-äöü/'.repeat(60)}${'ü'.repeat(40)}.bin`;
/** The query-carrying calls of the APIs: every call about an upload (`?key=`), a small file's URL, the admin file browser. */
const apiUrls = (key: string, name: string, relativePath: string): string[] => [
  `/api/s3/multipart/upload-1/batch?${q({ key })}`,
  `/api/s3/multipart/upload-1/complete?${q({ key })}`,
  `/api/s3/multipart/upload-1?${q({ key })}`,
  `/api/s3/multipart/upload-1/7?${q({ key })}`,
  `/api/s3/params?${q({ filename: name, type: 'text/plain', 'metadata[relativePath]': relativePath, 'metadata[size]': '42' })}`,
  `/admin/api/files?${q({ key })}`,
  `/admin/api/files/download?${q({ key })}`,
];

describe('web ACL scoping on the portal\'s real request bodies', () => {
  it('lets the largest completion (10,000 parts), a full signing batch and a create with its first batch through', () => {
    // The bodies the page sends (contract/api/uploads.ts): completion with every part and the file's checksum,
    // a signing batch of checksummed parts, a create with a long name and path and its first batch.
    const complete = { parts: Array.from({ length: S3_MAX_PARTS }, (_, i) => ({ PartNumber: i + 1, ETag: `"${'0'.repeat(32)}"` })), checksum };
    const batch = { parts: Array.from({ length: MAX_BATCH_PARTS }, (_, i) => ({ partNumber: 9901 + i, size: 5 * 1024 ** 3, checksum })) };
    const create = { filename: `${'名'.repeat(300)}.bin`, type: 'application/octet-stream', metadata: { size: '53687091200000', relativePath: 'a/'.repeat(500) }, checksumAlgorithm: 'CRC64NVME', parts: batch.parts };
    expect(bodyLabels(complete)).toEqual([label('SizeRestrictions_BODY')]);
    expect(bodyLabels(create)).toEqual([label('SizeRestrictions_BODY')]);
    expect(blocked({ url: '/api/s3/multipart/abc/complete', labels: bodyLabels(complete) })).toBe(false);
    expect(blocked({ url: '/api/s3/multipart/abc/batch', labels: bodyLabels(batch) })).toBe(false);
    expect(blocked({ url: '/api/s3/multipart', labels: bodyLabels(create) })).toBe(false);
  });

  it('lets a file name the XSS and LFI rules would flag through on the APIs (the uploads Lambda sanitises names)', () => {
    for (const rule of BODY_RULES) {
      expect(blocked({ url: '/api/s3/multipart', labels: [label(rule)] }), rule).toBe(false);
      expect(blocked({ url: '/admin/api/endpoints', labels: [label(rule)] }), rule).toBe(false);
    }
  });

  it('still blocks what the body rules flag everywhere else', () => {
    for (const rule of BODY_RULES) {
      for (const url of ['/', '/signed-out', '/admin', '/apix', '/public/x']) expect(blocked({ url, labels: [label(rule)] }), `${url} ${rule}`).toBe(true);
    }
    expect(blocked({ url: '/signed-out', labels: [] })).toBe(false);
  });
});

describe('web ACL scoping on the portal\'s real queries', () => {
  it('lets a `server.log` key and file name through on every query-carrying API call', () => {
    for (const url of apiUrls('uploads/acme/logs/server.log', 'server.log', 'logs/server.log')) {
      expect(request(url).labels, url).toContain(label('RestrictedExtensions_QUERYARGUMENTS'));
      expect(blocked(request(url)), url).toBe(false);
    }
  });

  it('lets a key or folder path of about 1,000 bytes through (over 2,048 bytes once URL-encoded)', () => {
    expect(Buffer.byteLength(longKey)).toBeGreaterThan(950);
    expect(Buffer.byteLength(longKey)).toBeLessThanOrEqual(1024);
    for (const url of apiUrls(longKey, 'report.pdf', longKey.slice('uploads/acme/'.length, longKey.lastIndexOf('/')))) {
      expect(request(url).labels, url).toContain(label('SizeRestrictions_QUERYSTRING'));
      expect(blocked(request(url)), url).toBe(false);
    }
  });

  it('lets what the other query rules flag through on the APIs', () => {
    for (const rule of QUERY_RULES) {
      expect(blocked({ url: '/api/s3/params?filename=x', labels: [label(rule)] }), rule).toBe(false);
      expect(blocked({ url: '/admin/api/files?key=x', labels: [label(rule)] }), rule).toBe(false);
    }
  });

  it('still blocks the same queries on every other path', () => {
    for (const path of ['/', '/signed-out', '/admin', '/admin/files', '/apix', '/public/x']) {
      for (const url of [`${path}?${q({ key: 'uploads/acme/logs/server.log' })}`, `${path}?${q({ key: longKey })}`]) {
        expect(request(url).labels.length, url).toBeGreaterThan(0);
        expect(blocked(request(url)), url).toBe(true);
      }
      for (const rule of QUERY_RULES) expect(blocked({ url: `${path}?x=1`, labels: [label(rule)] }), `${path} ${rule}`).toBe(true);
    }
    expect(blocked(request(`/signed-out?${q({ key: 'uploads/acme/report.pdf' })}`))).toBe(false);
  });

  it('keeps the URI-path rules blocking on the APIs (no name or key is ever in a path)', () => {
    expect(blocked({ url: '/api/s3/multipart/x.log', labels: [label('RestrictedExtensions_URIPATH')] })).toBe(true);
  });
});

/** The Cookie header of a browser holding the given ALB sessions, each split into `shards` shards of 4,000 bytes (a large IdP token). */
function sessionCookieHeader(shards: number, ...names: string[]): string {
  return names.flatMap((name) => Array.from({ length: shards }, (_, i) => `${sessionCookieShard(name, i)}=${'A'.repeat(4000)}`)).join('; ');
}
const cookieLabels = (cookie: string): string[] => (Buffer.byteLength(cookie) > CORE_COOKIE_MAX_BYTES ? [label('SizeRestrictions_Cookie_HEADER')] : []);

describe('web ACL on large ALB session cookies', () => {
  const pages = ['/', '/admin', '/admin/files', '/api/s3/multipart', '/api/me', '/admin/api/endpoints', '/signed-out'];

  it('lets a session split into every shard the ALB may write through, on every path', () => {
    const cookie = sessionCookieHeader(SESSION_COOKIE_SHARDS, SESSION_COOKIES.customer);
    expect(cookieLabels(cookie)).toEqual([label('SizeRestrictions_Cookie_HEADER')]);
    for (const url of pages) expect(blocked({ url, labels: cookieLabels(cookie) }), url).toBe(false);
  });

  it('lets an admin who is also signed in as a customer (both sessions, one origin) through', () => {
    const cookie = sessionCookieHeader(3, SESSION_COOKIES.admin, SESSION_COOKIES.customer);
    expect(Buffer.byteLength(cookie)).toBeGreaterThan(CORE_COOKIE_MAX_BYTES);
    for (const url of pages) expect(blocked({ url, labels: cookieLabels(cookie) }), url).toBe(false);
  });

  it('counts only the cookie size rule: the other header rules still block', () => {
    expect(blocked({ url: '/', labels: [label('RestrictedExtensions_URIPATH')] })).toBe(true);
    expect(countedInCore.has(label('SizeRestrictions_Cookie_HEADER'))).toBe(true);
    expect([...countedInCore].filter((l) => /Header|URIPath/.test(l))).toEqual([label('SizeRestrictions_Cookie_HEADER')]);
  });
});
