import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, isAllowedAddress } from '../../../lambdas/shared/notifications/webhook-address.js';
import { RefusedDestinationError, safePost } from '../../../lambdas/notify/safe-post.js';

const AWS = { allowLoopbackHttp: false };
const LOCAL = { allowLoopbackHttp: true };

describe('isAllowedAddress', () => {
  it.each([
    ['93.184.215.14', true],
    ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', true],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['192.168.0.10', false],
    ['127.0.0.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['255.255.255.255', false],
    ['224.0.0.1', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fd00:ec2::254', false],
    ['ff02::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['2002:a00:1::', false],
    ['not an address', false],
  ])('%s in AWS: %s', (address, allowed) => {
    expect(isAllowedAddress(address, AWS)).toBe(allowed);
  });

  it('allows loopback only with the local setting, and private ranges never', () => {
    expect(isAllowedAddress('127.0.0.1', LOCAL)).toBe(true);
    expect(isAllowedAddress('::1', LOCAL)).toBe(true);
    expect(isAllowedAddress('10.0.0.1', LOCAL)).toBe(false);
    expect(isAllowedAddress('169.254.169.254', LOCAL)).toBe(false);
  });
});

describe('checkWebhookUrl', () => {
  it('accepts an https URL on a host name', () => {
    const check = checkWebhookUrl('https://hooks.example.com/portal?team=7', AWS);
    expect(check.ok && check.url.href).toBe('https://hooks.example.com/portal?team=7');
  });

  it.each([
    ['http://hooks.example.com/', 'not https'],
    ['https://user:pw@hooks.example.com/', 'user or password'],
    ['https://hooks.example.com/#x', 'fragment'],
    ['https://10.0.0.1/', 'refused range'],
    ['https://2130706433/', 'refused range'],
    ['https://0x7f.1/', 'refused range'],
    ['https://[::1]/', 'refused range'],
    ['https://localhost/', 'internal host name'],
    ['https://metadata.google.internal/', 'internal host name'],
    ['not a url', 'not a URL'],
    [`https://hooks.example.com/${'a'.repeat(2000)}`, 'at most 2000'],
  ])('refuses %s (%s)', (url, reason) => {
    const check = checkWebhookUrl(url, AWS);
    expect(check.ok ? 'accepted' : check.reason).toContain(reason);
  });

  it('accepts http on loopback only with the local setting', () => {
    expect(checkWebhookUrl('http://127.0.0.1:8080/hook', LOCAL).ok).toBe(true);
    expect(checkWebhookUrl('http://127.0.0.1:8080/hook', AWS).ok).toBe(false);
    expect(checkWebhookUrl('http://192.168.1.5/hook', LOCAL).ok).toBe(false);
  });
});

describe('safePost', () => {
  const options = { ...AWS, timeoutMs: 1000, maxBytes: 1024 };

  it('refuses a name that resolves to a private address before connecting', async () => {
    const resolve = async () => [{ address: '10.0.0.7', family: 4 }];
    await expect(safePost(new URL('https://rebound.example.com/'), '{}', {}, { ...options, resolve })).rejects.toBeInstanceOf(RefusedDestinationError);
  });

  it('refuses a name when any of its addresses is refused (a resolver may rotate them)', async () => {
    const resolve = async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '169.254.169.254', family: 4 },
    ];
    await expect(safePost(new URL('https://mixed.example.com/'), '{}', {}, { ...options, resolve })).rejects.toThrow(/refused address/);
  });

  it('refuses http in AWS and an address literal in a refused range, without resolving', async () => {
    const resolve = async () => {
      throw new Error('must not resolve');
    };
    await expect(safePost(new URL('http://hooks.example.com/'), '{}', {}, { ...options, resolve })).rejects.toThrow(/only https/);
    await expect(safePost(new URL('https://[fd00::1]/'), '{}', {}, { ...options, resolve })).rejects.toBeInstanceOf(RefusedDestinationError);
  });
});
