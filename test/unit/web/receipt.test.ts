import { describe, expect, it } from 'vitest';
import type { FileReceipt } from '../../../contract/checksums.js';
import { fileChecksumOf } from '../../../web/src/shared/checksum-format.js';
import { fileReceipt, RECEIPT_COLUMNS, receiptFileName, receiptsCsv, receiptsJson } from '../../../web/src/shared/receipt.js';
import { storedChecksum, type UploadBody } from '../../../web/src/shared/uploader.js';
import { expectedAcmeReceipt } from '../../support/receipt.js';

const receipt = (displayName: string, checksumBase64 = 'rosUhgp5mIg='): FileReceipt =>
  fileReceipt({
    displayName,
    key: `uploads/acme/${displayName}`,
    endpoint: 'acme',
    size: 1234,
    checksum: fileChecksumOf(checksumBase64)!,
    completedAt: new Date('2026-12-04T10:00:00Z'),
  });

describe('receipts', () => {
  it('hold every FileReceipt field, the checksum in base64 and hex', () => {
    expect(receipt('q3/report.pdf')).toEqual(expectedAcmeReceipt('q3/report.pdf'));
  });

  it('as CSV: a header of FileReceipt fields, RFC 4180 quoting, no formula a spreadsheet would run, checksums untouched', () => {
    const csv = receiptsCsv([receipt('a, "b".pdf'), receipt('=HYPERLINK(1).txt', '+osUhgp5mIg=')]);
    expect(csv.split('\r\n')).toEqual([
      RECEIPT_COLUMNS.join(','),
      '"a, ""b"".pdf","uploads/acme/a, ""b"".pdf",acme,1234,CRC64NVME,rosUhgp5mIg=,ae8b14860a799888,2026-12-04T10:00:00.000Z',
      "'=HYPERLINK(1).txt,uploads/acme/=HYPERLINK(1).txt,acme,1234,CRC64NVME,+osUhgp5mIg=,fa8b14860a799888,2026-12-04T10:00:00.000Z",
      '',
    ]);
  });

  it('as JSON: one object for one file, an array for several', () => {
    expect(JSON.parse(receiptsJson([receipt('a.bin')]))).toEqual(receipt('a.bin'));
    expect(JSON.parse(receiptsJson([receipt('a.bin'), receipt('b.bin')]))).toHaveLength(2);
  });

  it('are named after the file, without characters file systems refuse', () => {
    expect(receiptFileName(receipt('q3/re:port?.pdf'), 'json')).toBe('receipt-re_port_.pdf.json');
    expect(receiptFileName(null, 'csv')).toBe('receipt-files.csv');
  });

  it("show the checksum S3 answered, else a small file's response header, else the file's own", () => {
    const s3 = fileChecksumOf('rosUhgp5mIg=')!;
    expect(storedChecksum({ key: 'k', location: '', bucket: '', checksum: s3 }, 'AAAAAAAAAAA=')).toEqual(s3);
    const smallFileAnswer: UploadBody = { key: 'k', location: '', bucket: '', 'x-amz-checksum-crc64nvme': 'rosUhgp5mIg=' };
    expect(storedChecksum(smallFileAnswer, 'AAAAAAAAAAA=')).toEqual(s3);
    expect(storedChecksum({ key: 'k', location: '', bucket: '', checksum: null }, 'AAAAAAAAAAA=')?.base64).toBe('AAAAAAAAAAA=');
    expect(storedChecksum(undefined, undefined)).toBeNull();
  });
});

describe('receipt history (localStorage)', () => {
  const memoryStorage = (): Storage => {
    const items = new Map<string, string>();
    return {
      get length() {
        return items.size;
      },
      clear: () => items.clear(),
      getItem: (key) => items.get(key) ?? null,
      key: (i) => [...items.keys()][i] ?? null,
      removeItem: (key) => void items.delete(key),
      setItem: (key, value) => void items.set(key, value),
    };
  };

  it('keeps each endpoint its receipts across a reload, newest first, one per key, at most MAX_KEPT', async () => {
    const { keepReceipt, loadReceipts, MAX_KEPT } = await import('../../../web/src/customer/receipt-history.js');
    const storage = memoryStorage();
    let kept = keepReceipt('acme', [], receipt('a.bin'), storage);
    kept = keepReceipt('acme', kept, receipt('b.bin'), storage);
    kept = keepReceipt('acme', kept, receipt('a.bin', 'AAAAAAAAAAA='), storage);
    expect(loadReceipts('acme', storage).map((r) => [r.displayName, r.checksumBase64])).toEqual([
      ['a.bin', 'AAAAAAAAAAA='],
      ['b.bin', 'rosUhgp5mIg='],
    ]);
    expect(loadReceipts('other', storage)).toEqual([]);
    for (let i = 0; i < MAX_KEPT + 5; i++) kept = keepReceipt('acme', kept, receipt(`f${i}.bin`), storage);
    expect(loadReceipts('acme', storage)).toHaveLength(MAX_KEPT);
    storage.setItem('portal-receipts:acme', 'not json');
    expect(loadReceipts('acme', storage)).toEqual([]);
  });
});
