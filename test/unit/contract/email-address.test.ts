// One e-mail address rule for the admin console and the admin Lambda (customer logins, notification
// recipients) and the deployment config's first admin.
import { describe, expect, it } from 'vitest';
import { EMAIL_ADDRESS_MAX_CHARS, isEmailAddress, normaliseEmailAddress } from '../../../contract/email-address.js';
import { parseEmail } from '../../../lambdas/admin/endpoint-input.js';
import { buildCreateRequest, EMPTY_FORM } from '../../../web/src/admin/endpoint-form.js';
import { recipientsProblem } from '../../../web/src/admin/recipients.js';

const ADDRESSES = [
  ['bob@acme.example', 'bob@acme.example'],
  ['  Bob@ACME.Example ', 'bob@acme.example'],
  ['first.last+tag@sub.acme-corp.example', 'first.last+tag@sub.acme-corp.example'],
  [`${'a'.repeat(EMAIL_ADDRESS_MAX_CHARS - 7)}@x.test`, `${'a'.repeat(EMAIL_ADDRESS_MAX_CHARS - 7)}@x.test`],
  ['bob', null],
  ['bob@', null],
  ['@acme.example', null],
  ['bob@acme', null],
  ['b ob@acme.example', null],
  ['bob@@acme.example', null],
  ['bob@acme.example\nBcc: x@y.z', null],
  ['"bob"@acme.example', null],
  ['bob,eve@acme.example', null],
  ['bob@acme_corp.example', null],
  [`${'a'.repeat(EMAIL_ADDRESS_MAX_CHARS - 6)}@x.test`, null],
  ['', null],
  [7, null],
  [null, null],
] as const;

describe('normaliseEmailAddress', () => {
  it.each(ADDRESSES)('%j -> %j', (value, expected) => {
    expect(normaliseEmailAddress(value)).toBe(expected);
    expect(isEmailAddress(value)).toBe(expected !== null);
  });

  it.each(ADDRESSES)('the page and the admin Lambda agree on %j', (value, expected) => {
    const customerEmail = typeof value === 'string' ? value : '';
    const form = buildCreateRequest({ ...EMPTY_FORM, name: 'acme', customerEmail }, Date.parse('2026-11-25T12:00:00Z'));
    expect(form.ok ? 'ok' : form.errors.customerEmail ? 'refused' : 'other').toBe(expected === null ? 'refused' : 'ok');
    if (expected === null) expect(() => parseEmail(value)).toThrow(expect.objectContaining({ code: 'invalid_email' }));
    else expect(parseEmail(value)).toBe(expected);
    if (typeof value === 'string' && value.trim()) expect(recipientsProblem([value.trim()]) === null).toBe(expected !== null);
  });
});
