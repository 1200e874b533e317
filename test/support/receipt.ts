// The receipt the pages' tests expect for their usual file: 1,234 bytes of endpoint acme, stored at
// 2026-12-04T10:00Z, whose CRC64NVME is rosUhgp5mIg= (ae8b14860a799888 in hex). Written out field by
// field, not built by the code under test, so that the tests compare against what a receipt must hold.
import type { FileReceipt } from '../../contract/checksums.js';

/** The receipt of acme's file `displayName` (its key is `uploads/acme/<displayName>`). */
export const expectedAcmeReceipt = (displayName: string): FileReceipt => ({
  displayName,
  key: `uploads/acme/${displayName}`,
  endpoint: 'acme',
  size: 1234,
  algorithm: 'CRC64NVME',
  checksumBase64: 'rosUhgp5mIg=',
  checksumHex: 'ae8b14860a799888',
  completedAt: '2026-12-04T10:00:00.000Z',
});
