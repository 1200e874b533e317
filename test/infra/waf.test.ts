// The web ACL's scoping, evaluated on the real request bodies of the portal: a small evaluator for the
// statements infra/waf.ts uses (labels, URI-path prefixes, and/or/not), fed with what the Core rule
// set labels a request with. Bodies over 8 KB are labelled SizeRestrictions_Body by AWS.
import { describe, expect, it } from 'vitest';
import { S3_MAX_PARTS, MAX_BATCH_PARTS } from '../../contract/limits.js';
import { CORE_BODY_LABELS, webFirewallRules } from '../../infra/waf.js';

const ALB_BODY_INSPECTION_BYTES = 8192;
const SIZE_LABEL = 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body';

interface Request {
  path: string;
  labels: string[];
}

/** The statements infra/waf.ts writes, as plain data (CDK types them loosely, as IResolvable unions). */
interface Statement {
  labelMatchStatement?: { key: string };
  byteMatchStatement?: { searchString: string; positionalConstraint: string };
  andStatement?: { statements: Statement[] };
  orStatement?: { statements: Statement[] };
  notStatement?: { statement: Statement };
}

function matches(s: Statement, request: Request): boolean {
  if (s.labelMatchStatement) return request.labels.includes(s.labelMatchStatement.key);
  if (s.byteMatchStatement?.positionalConstraint === 'STARTS_WITH') return request.path.startsWith(s.byteMatchStatement.searchString);
  if (s.andStatement) return s.andStatement.statements.every((inner) => matches(inner, request));
  if (s.orStatement) return s.orStatement.statements.some((inner) => matches(inner, request));
  if (s.notStatement) return !matches(s.notStatement.statement, request);
  throw new Error(`statement not modelled: ${Object.keys(s).join(', ')}`);
}

/** Blocked by the rules after the managed groups (which only count the body rules)? */
const blocked = (request: Request): boolean =>
  webFirewallRules(3000)
    .filter((rule) => (rule.action as Record<string, unknown> | undefined)?.block && !(rule.statement as Record<string, unknown>).rateBasedStatement)
    .some((rule) => matches(rule.statement as Statement, request));

const bodyLabels = (body: unknown): string[] => (Buffer.byteLength(JSON.stringify(body)) > ALB_BODY_INSPECTION_BYTES ? [SIZE_LABEL] : []);
const checksum = 'AAAAAAAAAAA=';

describe('web ACL scoping on the portal\'s real request bodies', () => {
  it('lets the largest completion (10,000 parts), a full signing batch and a create with its first batch through', () => {
    // The bodies the page sends (contract/api/uploads.ts): completion with every part and the file's checksum,
    // a signing batch of checksummed parts, a create with a long name and path and its first batch.
    const complete = { parts: Array.from({ length: S3_MAX_PARTS }, (_, i) => ({ PartNumber: i + 1, ETag: `"${'0'.repeat(32)}"` })), checksum };
    const batch = { parts: Array.from({ length: MAX_BATCH_PARTS }, (_, i) => ({ partNumber: 9901 + i, size: 5 * 1024 ** 3, checksum })) };
    const create = { filename: `${'名'.repeat(300)}.bin`, type: 'application/octet-stream', metadata: { size: '53687091200000', relativePath: 'a/'.repeat(500) }, checksumAlgorithm: 'CRC64NVME', parts: batch.parts };
    expect(bodyLabels(complete)).toEqual([SIZE_LABEL]);
    expect(bodyLabels(create)).toEqual([SIZE_LABEL]);
    expect(blocked({ path: '/api/s3/multipart/abc/complete', labels: bodyLabels(complete) })).toBe(false);
    expect(blocked({ path: '/api/s3/multipart/abc/batch', labels: bodyLabels(batch) })).toBe(false);
    expect(blocked({ path: '/api/s3/multipart', labels: bodyLabels(create) })).toBe(false);
  });

  it('lets a file name the XSS and LFI rules would flag through on the APIs (the uploads Lambda sanitises names)', () => {
    for (const label of CORE_BODY_LABELS) {
      expect(blocked({ path: '/api/s3/multipart', labels: [label] }), label).toBe(false);
      expect(blocked({ path: '/admin/api/endpoints', labels: [label] }), label).toBe(false);
    }
  });

  it('still blocks what the body rules flag everywhere else', () => {
    for (const label of CORE_BODY_LABELS) {
      for (const path of ['/', '/signed-out', '/admin', '/apix', '/public/x']) expect(blocked({ path, labels: [label] }), `${path} ${label}`).toBe(true);
    }
    expect(blocked({ path: '/signed-out', labels: [] })).toBe(false);
  });
});
