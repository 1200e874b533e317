// Presigned POST policy: checks its SigV4 signature, expiry and every condition against the submitted form fields.
import { Sha256 } from '@aws-crypto/sha256-js';
import { getSigningKey } from '@smithy/signature-v4';
import type { Env } from './context.js';
import { S3Error } from './errors.js';
import type { FormField } from './form-data.js';
import { parseAmzDate, parseCredential, safeEqual, secretFor } from './sigv4.js';

export interface PolicyLimits {
  minSize: number;
  maxSize: number;
}

/** Fields S3 never requires a condition for. */
const EXEMPT_FIELDS = new Set(['policy', 'x-amz-signature', 'file']);

export function formValue(fields: readonly FormField[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return fields.find((f) => f.name.toLowerCase() === lower)?.value;
}

function failed(condition: unknown[]): S3Error {
  return new S3Error('AccessDenied', `Invalid according to Policy: Policy Condition failed: [${condition.map((c) => JSON.stringify(c)).join(', ')}]`);
}

function invalid(message: string): S3Error {
  return new S3Error('InvalidPolicyDocument', `Invalid Policy: ${message}`);
}

/** Returns the access key that signed the policy. */
async function checkSignature(fields: readonly FormField[], policy: string, env: Env): Promise<string> {
  if (formValue(fields, 'x-amz-algorithm') !== 'AWS4-HMAC-SHA256') throw new S3Error('InvalidArgument', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"', { ArgumentName: 'x-amz-algorithm' });
  const credential = parseCredential(formValue(fields, 'x-amz-credential') ?? '', env, 'InvalidArgument');
  const amzDate = formValue(fields, 'x-amz-date');
  if (!parseAmzDate(amzDate) || amzDate!.slice(0, 8) !== credential.date) throw new S3Error('InvalidArgument', 'X-Amz-Date must be an ISO8601 basic date matching the credential scope', { ArgumentName: 'x-amz-date' });
  const secretAccessKey = secretFor(env, credential.accessKeyId);
  const provided = formValue(fields, 'x-amz-signature') ?? '';
  const key = await getSigningKey(Sha256, { accessKeyId: credential.accessKeyId, secretAccessKey }, credential.date, credential.region, credential.service);
  const hmac = new Sha256(key);
  hmac.update(Buffer.from(policy, 'utf8'));
  const expected = Buffer.from(await hmac.digest()).toString('hex');
  if (!safeEqual(expected, provided)) {
    throw new S3Error('SignatureDoesNotMatch', undefined, { AWSAccessKeyId: credential.accessKeyId, StringToSign: policy, SignatureProvided: provided });
  }
  return credential.accessKeyId;
}

function evaluate(condition: unknown, fields: readonly FormField[], bucket: string, covered: Set<string>, limits: PolicyLimits): void {
  let op: string;
  let field: string;
  let expected: string;
  if (Array.isArray(condition)) {
    if (typeof condition[0] === 'string' && condition[0].toLowerCase() === 'content-length-range') {
      const [, min, max] = condition as [string, unknown, unknown];
      if (typeof min !== 'number' || typeof max !== 'number' || min < 0 || max < min) throw invalid('content-length-range needs two non-negative integers, min <= max.');
      limits.minSize = Math.max(limits.minSize, min);
      limits.maxSize = Math.min(limits.maxSize, max);
      return;
    }
    const [rawOp, name, value] = condition as unknown[];
    if (condition.length !== 3 || typeof rawOp !== 'string' || typeof name !== 'string' || !name.startsWith('$') || typeof value !== 'string') {
      throw invalid(`Invalid condition: ${JSON.stringify(condition)}`);
    }
    op = rawOp.toLowerCase();
    field = name.slice(1).toLowerCase();
    expected = value;
  } else if (condition !== null && typeof condition === 'object') {
    const entries = Object.entries(condition);
    if (entries.length !== 1 || typeof entries[0]![1] !== 'string') throw invalid(`Invalid condition: ${JSON.stringify(condition)}`);
    op = 'eq';
    field = entries[0]![0].toLowerCase();
    expected = entries[0]![1];
  } else {
    throw invalid(`Invalid condition: ${JSON.stringify(condition)}`);
  }
  covered.add(field);
  const actual = field === 'bucket' ? bucket : (formValue(fields, field) ?? '');
  let ok: boolean;
  if (op === 'eq') ok = actual === expected;
  else if (op === 'starts-with') {
    // Content-Type may list several types; each has to satisfy the prefix.
    ok = field === 'content-type' ? actual.split(',').every((t) => t.trim().startsWith(expected)) : actual.startsWith(expected);
  } else throw invalid(`Unknown condition operator "${op}"`);
  if (!ok) throw failed(Array.isArray(condition) ? condition : ['eq', `$${field}`, expected]);
}

/**
 * Verifies the form's policy; `${filename}` in the key field is left as submitted, so conditions see the field exactly
 * as the browser posted it. Returns the content-length-range limits the file must then respect.
 */
export async function verifyPostPolicy(fields: readonly FormField[], bucket: string, env: Env): Promise<PolicyLimits & { accessKeyId: string }> {
  const policy = formValue(fields, 'policy');
  const signature = formValue(fields, 'x-amz-signature');
  if (policy === undefined && signature === undefined) throw new S3Error('AccessDenied', 'Anonymous POST uploads are not allowed on this bucket.');
  if (policy === undefined) throw new S3Error('InvalidArgument', "Bucket POST must contain a field named 'Policy'.", { ArgumentName: 'Policy' });
  if (signature === undefined) throw new S3Error('InvalidArgument', "Bucket POST must contain a field named 'X-Amz-Signature'.", { ArgumentName: 'X-Amz-Signature' });
  const accessKeyId = await checkSignature(fields, policy, env);

  let document: { expiration?: unknown; conditions?: unknown };
  try {
    document = JSON.parse(Buffer.from(policy, 'base64').toString('utf8')) as typeof document;
  } catch {
    throw invalid('Invalid JSON.');
  }
  if (typeof document?.expiration !== 'string' || Number.isNaN(Date.parse(document.expiration))) throw invalid('Policy is missing a valid "expiration".');
  if (!Array.isArray(document.conditions)) throw invalid('Policy is missing "conditions".');
  if (env.now().getTime() > Date.parse(document.expiration)) throw new S3Error('AccessDenied', 'Invalid according to Policy: Policy expired.');

  const covered = new Set<string>();
  const limits: PolicyLimits = { minSize: 0, maxSize: Number.MAX_SAFE_INTEGER };
  for (const condition of document.conditions) evaluate(condition, fields, bucket, covered, limits);
  for (const { name } of fields) {
    const lower = name.toLowerCase();
    if (EXEMPT_FIELDS.has(lower) || lower.startsWith('x-ignore-')) continue;
    if (!covered.has(lower)) throw new S3Error('AccessDenied', `Invalid according to Policy: Extra input fields: ${name}`);
  }
  return { ...limits, accessKeyId };
}
