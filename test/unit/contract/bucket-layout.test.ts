import { describe, expect, it } from 'vitest';
import { endpointPrefix, customerFileKey } from '../../../contract/bucket-layout.js';

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
