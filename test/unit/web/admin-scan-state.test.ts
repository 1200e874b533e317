// The console's scan column: what a state is called, why a download is not offered, and when a row
// offers Release (only where the bucket refuses the file and an admin may release it).
import { describe, expect, it } from 'vitest';
import type { FileEntry } from '../../../contract/api/admin.js';
import { isDownloadable, SCAN_STATES, type MalwareScanMode, type ScanState } from '../../../contract/malware-scan.js';
import { downloadBlockedReason, offersRelease, SCAN_STATE_LABELS } from '../../../web/src/admin/scan-state.js';

/** A file as the admin API lists it under `mode`: downloadable as the Lambda decides it. */
function fileIn(mode: MalwareScanMode, state: ScanState, released = false): FileEntry {
  const release = released ? { by: 'admin@example.com', at: '2026-12-01T10:00:00.000Z', reason: 'Checked by hand with the customer' } : null;
  return {
    key: 'uploads/acme/old.pdf',
    endpoint: 'acme',
    name: 'old.pdf',
    size: 10,
    lastModified: '2025-01-01T00:00:00.000Z',
    uploadedBy: null,
    contentType: null,
    checksum: null,
    scan: { state, scannedAt: null, threats: [], release },
    downloadable: isDownloadable(mode, state, released),
  };
}

describe('the console\'s scan states', () => {
  it('calls a file stored before scanning was on "not scanned", and every state something of its own', () => {
    expect(SCAN_STATE_LABELS.not_scanned).toBe('not scanned');
    expect(new Set(SCAN_STATES.map((s) => SCAN_STATE_LABELS[s])).size).toBe(SCAN_STATES.length);
  });

  it('with block, says why a not scanned file is refused and how to get it: release or upload again', () => {
    expect(downloadBlockedReason(fileIn('block', 'not_scanned'))).toMatch(/^Not scanned: it was stored before malware scanning was on.*bucket refuses downloads.*Release it with a written reason.*upload it again/);
    expect(downloadBlockedReason(fileIn('block', 'not_scanned', true))).toBeNull();
    expect(downloadBlockedReason(fileIn('tag', 'not_scanned'))).toBeNull();
  });

  it('offers Release under block for each state an admin may release, once, and never for pending, clean or infected', () => {
    expect(SCAN_STATES.filter((s) => offersRelease(fileIn('block', s)))).toEqual(['unsupported', 'failed', 'too_large', 'not_scanned']);
    expect(SCAN_STATES.filter((s) => offersRelease(fileIn('block', s, true)))).toEqual([]);
  });

  it('offers no Release under tag or off, where the bucket refuses nothing but infected files', () => {
    expect(SCAN_STATES.filter((s) => offersRelease(fileIn('tag', s)))).toEqual([]);
    expect(SCAN_STATES.filter((s) => offersRelease(fileIn('off', s)))).toEqual([]);
  });
});
