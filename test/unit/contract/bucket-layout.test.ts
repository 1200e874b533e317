import { describe, expect, it } from 'vitest';
import { endpointPrefix, fileKey } from '../../../contract/bucket-layout.js';

// The one builder of a customer file's key: the uploads Lambda composes keys with it and the customer
// page names a received file's key in its receipt with it, so the two cannot disagree.
describe('fileKey', () => {
  it.each([
    ['acme', 'report.pdf', 'uploads/acme/report.pdf'],
    ['acme', 'photos/2024/img.jpg', 'uploads/acme/photos/2024/img.jpg'],
    ['john', 'a b (2).txt', 'uploads/john/a b (2).txt'],
  ])('%s + %s -> %s', (endpoint, path, key) => {
    expect(fileKey(endpoint, path)).toBe(key);
  });

  it('lies inside the endpoint folder, never a sibling such as johnny/ for john', () => {
    expect(fileKey('john', 'ny.txt').startsWith(endpointPrefix('john'))).toBe(true);
    expect(fileKey('john', 'ny.txt').startsWith(endpointPrefix('johnny'))).toBe(false);
  });
});
