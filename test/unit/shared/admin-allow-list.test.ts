// ADMIN_ALLOWED_EMAILS: addresses and @domains, case-insensitive; `*` only as the explicit opt-out;
// unset or empty admits nobody; malformed entries are a configuration error.
import { describe, expect, it } from 'vitest';
import { isAdminAllowed, isEmptyAllowList, parseAdminAllowList } from '../../../contract/admin-allow-list.js';

describe('parseAdminAllowList', () => {
  it.each([undefined, '', '   ', ' , ,'])('admits nobody for %j (fail-closed)', (raw) => {
    const list = parseAdminAllowList(raw);
    expect(isEmptyAllowList(list)).toBe(true);
    expect(isAdminAllowed(list, 'admin@example.com')).toBe(false);
  });

  it('reads addresses and @domains, trimmed and lower-cased', () => {
    const list = parseAdminAllowList(' Alice@Corp.Example , @Partner.Example,bob@x.example ');
    expect([...list.emails].sort()).toEqual(['alice@corp.example', 'bob@x.example']);
    expect([...list.domains]).toEqual(['partner.example']);
    expect(list.everyone).toBe(false);
  });

  it('takes a lone * as everyone the admin IdP admits', () => {
    const list = parseAdminAllowList(' * ');
    expect(list.everyone).toBe(true);
    expect(isAdminAllowed(list, 'anyone@anywhere.example')).toBe(true);
    expect(isAdminAllowed(list, '')).toBe(true);
  });

  it.each([
    ['*,alice@corp.example', /must be the only entry/],
    ['alice', /"alice"/],
    ['alice@', /"alice@"/],
    ['@', /"@"/],
    ['@corp', /"@corp"/],
    ['a@b@corp.example', /"a@b@corp.example"/],
    ['alice@corp.example, bob smith@corp.example, @', /"bob smith@corp.example", "@"/],
    // ASCII only: a list entry with a look-alike could never be matched safely.
    ['\u212Aelly@corp.example', /"\u212Aelly@corp.example"/],
    ['@b\u00fccher.example', /"@b\u00fccher.example"/],
  ])('refuses %j as a configuration error', (raw, message) => {
    expect(() => parseAdminAllowList(raw)).toThrow(message);
  });
});

describe('isAdminAllowed', () => {
  const list = parseAdminAllowList('alice@corp.example,@partner.example');
  it.each([
    ['alice@corp.example', true],
    ['ALICE@Corp.Example', true],
    ['  alice@corp.example ', true],
    ['carol@partner.example', true],
    ['Carol@PARTNER.example', true],
    ['bob@corp.example', false],
    ['alice@corp.example.evil.example', false],
    ['alice@sub.corp.example', false],
    ['carol@sub.partner.example', false],
    ['carol@evilpartner.example', false],
    ['partner.example', false],
    ['@partner.example', false],
    ['x@evil.example@partner.example', false],
    ['', false],
    ['\u212Aarol@partner.example', false],
    ['alice@corp.exampl\u0435', false],
  ])('%j -> %s', (email, allowed) => {
    expect(isAdminAllowed(list, email)).toBe(allowed);
  });
});
