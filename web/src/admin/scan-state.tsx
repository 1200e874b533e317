// A file's malware scan as the console shows it: a short label per state, why download and share
// are not offered when the bucket would refuse them, and whether an admin may release the file.
import type { FileEntry } from '../../../contract/api/admin.js';
import { RELEASABLE_STATES, type ScanState } from '../../../contract/malware-scan.js';

export const SCAN_STATE_LABELS: Record<ScanState, string> = {
  pending: 'being checked',
  clean: 'clean',
  infected: 'malware found',
  unsupported: 'could not be checked',
  failed: 'check failed',
  too_large: 'too large to check',
  not_scanned: 'not scanned',
};

/** Why the file cannot be downloaded now, or null when it can. */
export function downloadBlockedReason(file: FileEntry): string | null {
  if (file.downloadable) return null;
  switch (file.scan.state) {
    case 'infected':
      return `Malware was found (${file.scan.threats.join(', ') || 'threat'}): it can never be downloaded or shared, only deleted.`;
    case 'pending':
      return 'Still being checked for malware: download and share appear once the scan finds it clean.';
    case 'not_scanned':
      return 'Not scanned: it was stored before malware scanning was on, and the scanner only checks files that arrive after, so the bucket refuses downloads. Release it with a written reason to allow them, or ask the customer to upload it again.';
    default:
      return 'It could not be checked for malware: release it with a written reason to allow downloads.';
  }
}

/**
 * Whether the row offers Release: a file the bucket refuses (so never with malwareScan off or tag, where
 * such a file is downloadable) in a state an admin may release, not released yet.
 */
export function offersRelease(file: FileEntry): boolean {
  return !file.downloadable && RELEASABLE_STATES.includes(file.scan.state) && file.scan.release === null;
}

export function ScanBadge({ file }: { file: FileEntry }) {
  const { state, release } = file.scan;
  const released = release !== null && state !== 'clean';
  return (
    <span class={`badge scan-${state}`} data-scan-state={state} title={released ? `Released by ${release.by}: ${release.reason}` : undefined}>
      {SCAN_STATE_LABELS[state]}
      {released ? ' (released)' : ''}
    </span>
  );
}
