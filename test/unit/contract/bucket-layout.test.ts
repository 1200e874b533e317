import { describe, expect, it } from 'vitest';
import { endpointPrefix, customerFileKey, folderInEndpoint } from '../../../contract/bucket-layout.js';

// The one builder of a customer file's key: the uploads Lambda composes keys with it and the customer
// page names a received file's key in its receipt with it, so the two cannot disagree.
describe('customerFileKey', () => {
  it.each([
    ['acme', 'report.pdf', 'uploads/acme/report.pdf'],
    ['acme', 'photos/2024/img.jpg', 'uploads/acme/photos/2024/img.jpg'],
    ['john', 'a b (2).txt', 'uploads/john/a b (2).txt'],
  ])('%s + %s -> %s', (endpoint, path, key) => {
    expect(customerFileKey(endpoint, path)).toBe(key);
  });

  it('lies inside the endpoint folder, never a sibling such as johnny/ for john', () => {
    expect(customerFileKey('john', 'ny.txt').startsWith(endpointPrefix('john'))).toBe(true);
    expect(customerFileKey('john', 'ny.txt').startsWith(endpointPrefix('johnny'))).toBe(false);
  });
});

// customerFileKey read back: the console names a file's folder in its endpoint from the key.
describe('folderInEndpoint', () => {
  it.each([
    ['acme', 'report.pdf', ''],
    ['acme', 'q3/report.pdf', 'q3/'],
    ['acme', 'photos/2024/img.jpg', 'photos/2024/'],
    ['uploads', 'uploads/a.pdf', 'uploads/'],
  ])('%s, %s -> %j', (endpoint, path, folder) => expect(folderInEndpoint(customerFileKey(endpoint, path))).toBe(folder));

  it('is empty for a key outside the uploads prefix', () => {
    expect(folderInEndpoint('_portal/endpoints/acme.json')).toBe('');
    expect(folderInEndpoint('uploads/acme')).toBe('');
  });
});
