// The checksums of the files sent from this page, each with its receipt to download (JSON or CSV):
// proof of what the portal received, bit for bit, as S3 verified it. Fed FileReceipts; the list of
// received files offers the same links for every file it lists (received-files.tsx).
import type { FileReceipt } from '../../../contract/checksums.js';
import { DataTable } from '../shared/data-table.js';
import { formatBytes, formatDateTime } from '../shared/format.js';
import { downloadText, receiptFileName, receiptsCsv, receiptsJson } from '../shared/receipt.js';

export function downloadReceipt(receipts: readonly FileReceipt[], format: 'json' | 'csv'): void {
  const name = receiptFileName(receipts.length === 1 ? receipts[0]! : null, format);
  if (format === 'json') downloadText(name, 'application/json', receiptsJson(receipts));
  else downloadText(name, 'text/csv', receiptsCsv(receipts));
}

/** "Download receipt" as JSON or CSV for one file (or all, without `label`). */
export function ReceiptLinks({ receipts, label }: { receipts: readonly FileReceipt[]; label: string }) {
  return (
    <span class="receipt-links">
      <button type="button" class="button-secondary" aria-label={`Download receipt for ${label} (JSON)`} onClick={() => downloadReceipt(receipts, 'json')}>
        Receipt JSON
      </button>
      <button type="button" class="button-secondary" aria-label={`Download receipt for ${label} (CSV)`} onClick={() => downloadReceipt(receipts, 'csv')}>
        Receipt CSV
      </button>
    </span>
  );
}

export function Receipts({ receipts }: { receipts: readonly FileReceipt[] }) {
  if (receipts.length === 0) return null;
  return (
    <section class="card" aria-labelledby="receipts-heading">
      <div class="section-head">
        <h2 id="receipts-heading">Receipts</h2>
        {receipts.length > 1 && <ReceiptLinks receipts={receipts} label="all files" />}
      </div>
      <p class="hint">
        Each file below was stored bit for bit: S3 checked every part, and the whole file, against this checksum computed from the file on your computer
        ({receipts[0]!.algorithm}).
      </p>
      <DataTable caption="Files sent from this page and their checksums" columns={['Name', { label: 'Size', numeric: true }, `Checksum (${receipts[0]!.algorithm}, base64)`, 'Stored', 'Receipt']}>
        {receipts.map((receipt) => (
          <tr key={receipt.key}>
            <td class="name">{receipt.displayName}</td>
            <td class="num">{formatBytes(receipt.size)}</td>
            <td>
              <code data-testid="receipt-checksum" title={`hex ${receipt.checksumHex}`}>
                {receipt.checksumBase64}
              </code>
            </td>
            <td>
              <time dateTime={receipt.completedAt}>{formatDateTime(receipt.completedAt)}</time>
            </td>
            <td>
              <ReceiptLinks receipts={[receipt]} label={receipt.displayName} />
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
