// The receipts of this browser's uploads to one endpoint, kept in localStorage so they survive a
// reload (Golden Retriever keeps the uploads' own state there too). Newest first, at most MAX_KEPT.
import type { FileReceipt } from '../../../contract/checksums.js';

export const MAX_KEPT = 200;
const storageKey = (endpoint: string) => `portal-receipts:${endpoint}`;

const isReceipt = (value: unknown): value is FileReceipt =>
  typeof value === 'object' && value !== null && typeof (value as FileReceipt).key === 'string' && typeof (value as FileReceipt).checksumBase64 === 'string';

export function loadReceipts(endpoint: string, storage: Storage = localStorage): FileReceipt[] {
  try {
    const stored = JSON.parse(storage.getItem(storageKey(endpoint)) ?? '[]') as unknown;
    return Array.isArray(stored) ? stored.filter(isReceipt) : [];
  } catch {
    return [];
  }
}

/** Adds a receipt (replacing one for the same key) and saves; returns the new list. */
export function keepReceipt(endpoint: string, receipts: readonly FileReceipt[], receipt: FileReceipt, storage: Storage = localStorage): FileReceipt[] {
  const next = [receipt, ...receipts.filter((r) => r.key !== receipt.key)].slice(0, MAX_KEPT);
  try {
    storage.setItem(storageKey(endpoint), JSON.stringify(next));
  } catch {
    // Storage full or refused: the page still shows them until it is closed.
  }
  return next;
}
