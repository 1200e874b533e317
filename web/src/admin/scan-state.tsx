// A file's malware scan as the console shows it: a short label per state, and why download and share
// are not offered when the bucket would refuse them.
import type { FileEntry } from '../../../contract/api/admin.js';
import type { ScanState } from '../../../contract/malware-scan.js';

export const SCAN_STATE_LABELS: Record<ScanState, string> = {
  pending: 'being checked',
  clean: 'clean',
  infected: 'malware found',
  unsupported: 'could not be checked',
  failed: 'check failed',
  too_large: 'too large to check',
  not_scanned: 'not checked',
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
      return 'Stored before malware scanning was on: it has no scan result, so the bucket refuses downloads.';
    default:
      return 'It could not be checked for malware: release it with a written reason to allow downloads.';
  }
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
