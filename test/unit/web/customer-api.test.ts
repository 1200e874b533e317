import { describe, expect, it } from 'vitest';
import { receivedStatus, toReceivedFiles, type ReceivedFile } from '../../../web/src/customer/api.js';
import { receivedFileKey, receivedFileReceipt } from '../../../web/src/customer/received-receipt.js';
import { receiptsCsv } from '../../../web/src/shared/receipt.js';
import { expectedAcmeReceipt } from '../../support/receipt.js';

describe('received files listing', () => {
  it('reads the API\'s fields and shows sub-folders before the name', () => {
    expect(
      toReceivedFiles({
        files: [
          { name: 'a.pdf', relativePath: '', size: 3, lastModified: '2026-11-25T10:00:00Z' },
          { name: 'b.pdf', relativePath: 'q3/reports', size: 4, lastModified: null, scan: 'pending', checksum: { algorithm: 'CRC64NVME', type: 'FULL_OBJECT', base64: 'rosUhgp5mIg=' } },
        ],
        nextToken: 't',
      }),
    ).toEqual({
      files: [
        { name: 'a.pdf', size: 3, uploadedAt: '2026-11-25T10:00:00Z', scan: null, checksum: null },
        { name: 'q3/reports/b.pdf', size: 4, uploadedAt: null, scan: 'pending', checksum: { algorithm: 'CRC64NVME', type: 'FULL_OBJECT', base64: 'rosUhgp5mIg=' } },
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

describe("a received file's receipt", () => {
  const received = (checksum: ReceivedFile['checksum'], uploadedAt: string | null = '2026-12-04T10:00:00.000Z'): ReceivedFile => ({
    name: 'q3/report, final.pdf',
    size: 1234,
    uploadedAt,
    scan: 'clean',
    checksum,
  });

  it('is the receipt the page gives for its own uploads: key in the endpoint\'s folder, CRC64NVME in base64 and hex, stored at S3\'s time', () => {
    const receipt = receivedFileReceipt('acme', received({ algorithm: 'CRC64NVME', type: 'FULL_OBJECT', base64: 'rosUhgp5mIg=' }));
    expect(receipt).toEqual(expectedAcmeReceipt('q3/report, final.pdf'));
    expect(receiptsCsv([receipt!]).split('\r\n')[1]).toBe('"q3/report, final.pdf","uploads/acme/q3/report, final.pdf",acme,1234,CRC64NVME,rosUhgp5mIg=,ae8b14860a799888,2026-12-04T10:00:00.000Z');
    expect(receivedFileKey('acme', { name: 'top.txt' })).toBe('uploads/acme/top.txt');
  });

  it('takes a CRC64NVME S3 did not type, and is not offered for a checksum it cannot state', () => {
    expect(receivedFileReceipt('acme', received({ algorithm: 'CRC64NVME', type: null, base64: 'rosUhgp5mIg=' }))?.checksumHex).toBe('ae8b14860a799888');
    expect(receivedFileReceipt('acme', received(null))).toBeNull();
    expect(receivedFileReceipt('acme', received({ algorithm: 'CRC32', type: 'COMPOSITE', base64: 'R/nORQ==-2' }))).toBeNull();
    expect(receivedFileReceipt('acme', received({ algorithm: 'CRC32', type: 'FULL_OBJECT', base64: 'R/nORQ==' }))).toBeNull();
    expect(receivedFileReceipt('acme', received({ algorithm: 'CRC64NVME', type: 'COMPOSITE', base64: 'rosUhgp5mIg=' }))).toBeNull();
    expect(receivedFileReceipt('acme', received({ algorithm: 'CRC64NVME', type: 'FULL_OBJECT', base64: 'not base64' }))).toBeNull();
    expect(receivedFileReceipt('acme', received({ algorithm: 'CRC64NVME', type: 'FULL_OBJECT', base64: 'rosUhgp5mIg=' }, null))).toBeNull();
  });
});
