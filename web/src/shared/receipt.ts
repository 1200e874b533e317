// The receipt a customer keeps for each stored file: what was received, under which key, and the
// checksum S3 verified and keeps for it (FileReceipt, contract/checksums.ts), as JSON or CSV. Built
// from a FileReceipt, so the page's own uploads and the list of received files can both feed it.
import { CHECKSUM_ALGORITHM, type FileChecksum, type FileReceipt } from '../../../contract/checksums.js';

export interface ReceiptInput {
  displayName: string;
  key: string;
  endpoint: string;
  size: number;
  checksum: FileChecksum;
  completedAt: Date | string;
}

export function fileReceipt(input: ReceiptInput): FileReceipt {
  return {
    displayName: input.displayName,
    key: input.key,
    endpoint: input.endpoint,
    size: input.size,
    algorithm: CHECKSUM_ALGORITHM,
    checksumBase64: input.checksum.base64,
    checksumHex: input.checksum.hex,
    completedAt: typeof input.completedAt === 'string' ? input.completedAt : input.completedAt.toISOString(),
  };
}

/** The CSV's columns, in order: FileReceipt's fields. */
export const RECEIPT_COLUMNS = ['displayName', 'key', 'endpoint', 'size', 'algorithm', 'checksumBase64', 'checksumHex', 'completedAt'] as const satisfies readonly (keyof FileReceipt)[];

/**
 * One CSV field (RFC 4180). A file name a spreadsheet would run as a formula (=, +, -, @ first) gets
 * a leading apostrophe; checksums never do, as base64 may start with "+" and must stay exact.
 */
function csvField(column: (typeof RECEIPT_COLUMNS)[number], value: string | number): string {
  let text = String(value);
  if (column === 'displayName' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function receiptsCsv(receipts: readonly FileReceipt[]): string {
  const rows = receipts.map((receipt) => RECEIPT_COLUMNS.map((column) => csvField(column, receipt[column])).join(','));
  return [RECEIPT_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

/** One receipt as JSON; several as an array. */
export function receiptsJson(receipts: readonly FileReceipt[]): string {
  return JSON.stringify(receipts.length === 1 ? receipts[0] : receipts, null, 2) + '\n';
}

/** `receipt-<name>.json`, with what file systems refuse in names replaced. */
export function receiptFileName(receipt: FileReceipt | null, extension: 'json' | 'csv'): string {
  const base = receipt ? receipt.displayName.split('/').pop()! : 'files';
  // Control characters too: no file system wants them in a name.
  const safe = Array.from(base, (char) => (char < ' ' || '\\/:*?"<>|'.includes(char) ? '_' : char)).join('');
  return `receipt-${safe}.${extension}`;
}

/** Offers text as a download (the browser's save dialog or download bar). */
export function downloadText(fileName: string, mimeType: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has started the download.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
