import { describe, expect, it } from 'vitest';
import { receivedStatus, toReceivedFiles } from '../../../web/src/customer/api.js';

describe('received files listing', () => {
  it('reads the API\'s fields and shows sub-folders before the name', () => {
    expect(
      toReceivedFiles({
        files: [
          { name: 'a.pdf', relativePath: '', size: 3, lastModified: '2026-11-25T10:00:00Z' },
          { name: 'b.pdf', relativePath: 'q3/reports', size: 4, lastModified: null, scan: 'pending' },
        ],
        nextToken: 't',
      }),
    ).toEqual({
      files: [
        { name: 'a.pdf', size: 3, uploadedAt: '2026-11-25T10:00:00Z', scan: null },
        { name: 'q3/reports/b.pdf', size: 4, uploadedAt: null, scan: 'pending' },
      ],
      nextToken: 't',
    });
  });

  it('tells the customer what the malware check made of each file', () => {
    expect(receivedStatus('pending')).toBe('Received, being checked');
    expect(receivedStatus('clean')).toBe('Received');
    expect(receivedStatus('not_scanned')).toBe('Received');
    expect(receivedStatus('infected')).toBe('Refused: malware found');
    expect(receivedStatus('too_large')).toMatch(/could not be checked/);
  });
});
