// One file in the browser: its catalog entry (original name, size, time, uploader, checksum), and
// download, copy a share link with a chosen lifetime, delete (confirmed). A file whose object is gone
// answers 404 to each: the row says so (reconcile removes such entries).
import { useEffect, useState } from 'preact/hooks';
import type { FileEntry } from '../../../contract/api/admin.js';
import { RELEASE_REASON_CHARS } from '../../../contract/limits.js';
import { isApiError } from '../shared/api-client.js';
import { formatBytes, formatDateTime, formatDuration } from '../shared/format.js';
import { useAction } from '../shared/use-action.js';
import { adminApi } from './api.js';
import { ConfirmInline } from './confirm-inline.js';
import { folderOfKey } from './file-sort.js';
import { Link } from './link.js';
import { hrefFor } from './router.js';
import { downloadBlockedReason, offersRelease, ScanBadge } from './scan-state.js';

export const SHARE_LIFETIMES = [
  { seconds: 3600, label: '1 hour' },
  { seconds: 86_400, label: '1 day' },
  { seconds: 3 * 86_400, label: '3 days' },
  { seconds: 7 * 86_400, label: '7 days' },
];

const GONE = 'This file is no longer in the bucket; reconcile the catalog on the endpoint page to remove it.';
const explainGone = (e: unknown) => (isApiError(e) && e.status === 404 ? GONE : null);

export function FileRow({ file: initial, downloadHref, onDeleted, showEndpoint, showFolder }: { file: FileEntry; downloadHref: string; onDeleted: (key: string) => void; showEndpoint?: boolean | undefined; showFolder?: boolean | undefined }) {
  // A release answers the file as it is now; the next listing (a refresh) replaces that answer.
  const [released, setReleased] = useState<FileEntry | null>(null);
  useEffect(() => setReleased(null), [initial]);
  const file = released ?? initial;
  const [releasing, setReleasing] = useState(false);
  const [reason, setReason] = useState('');
  const [lifetime, setLifetime] = useState(86_400);
  const [confirming, setConfirming] = useState(false);
  const { busy, message, setMessage, run } = useAction();

  const share = () =>
    run(
      async () => {
        const result = await adminApi.shareFile({ key: file.key, expiresInSeconds: lifetime });
        let copied = true;
        try {
          await navigator.clipboard.writeText(result.url);
        } catch {
          copied = false;
        }
        const validity = `valid until ${formatDateTime(result.expiresAt)}${result.capped ? ` (shortened to ${formatDuration(result.expiresInSeconds)}: ${result.reason ?? 'limit reached'})` : ''}`;
        setMessage({ kind: 'ok', text: copied ? `Share link copied, ${validity}.` : `Copy this link, ${validity}: ${result.url}` });
      },
      { fallback: 'The share link could not be created.', explain: explainGone },
    );

  const remove = () =>
    run(
      async () => {
        try {
          await adminApi.deleteFile(file.key);
          onDeleted(file.key);
        } catch (e) {
          // Back to the row's buttons, with the failure beside the name.
          setConfirming(false);
          throw e;
        }
      },
      { fallback: 'The file could not be deleted.', explain: explainGone },
    );

  const release = (event: Event) => {
    event.preventDefault();
    return run(
      async () => {
        setReleased(await adminApi.releaseFile({ key: file.key, reason }));
        setReleasing(false);
      },
      { fallback: 'The file could not be released.', success: 'Released: the file can be downloaded now (the reason is in the audit trail).', explain: explainGone },
    );
  };

  const blocked = downloadBlockedReason(file);
  const releasable = offersRelease(file);
  const id = `share-${file.key.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  return (
    <tr>
      <td class="name">
        {file.name}
        {showFolder && folderOfKey(file.key) && <div class="sub">in {folderOfKey(file.key)}</div>}
        {message && (
          <div class={message.kind === 'ok' ? 'ok-text' : 'error-text'} role={message.kind === 'ok' ? 'status' : 'alert'}>
            {message.text}
          </div>
        )}
      </td>
      {showEndpoint && (
        <td class="name" data-label="Endpoint">
          <Link href={hrefFor({ name: 'files', endpoint: file.endpoint, prefix: folderOfKey(file.key) })}>{file.endpoint}</Link>
        </td>
      )}
      <td class="num" data-label="Size">{formatBytes(file.size)}</td>
      <td data-label="Uploaded">
        <time dateTime={file.lastModified}>{formatDateTime(file.lastModified)}</time>
      </td>
      <td class="name" data-label="By">{file.uploadedBy ?? '–'}</td>
      <td data-label="Malware scan">
        <ScanBadge file={file} />
      </td>
      <td class="checksum" data-label="Checksum">
        {file.checksum ? (
          <span title={`${file.checksum.algorithm} ${file.checksum.type ?? ''} ${file.checksum.base64}`}>
            {file.checksum.algorithm} <code>{file.checksum.base64}</code>
          </span>
        ) : (
          '–'
        )}
      </td>
      <td>
        {confirming ? (
          <ConfirmInline label={`Confirm deleting ${file.name}`} question="Delete this file?" confirmText={`Delete ${file.name}`} busy={busy} onConfirm={remove} onKeep={() => setConfirming(false)} />
        ) : (
          <span class="actions">
            {blocked ? (
              <span class="sub" data-blocked-reason>
                {blocked}
              </span>
            ) : (
              <>
                <a class="button-secondary" href={downloadHref} aria-label={`Download ${file.name}`}>
                  Download
                </a>
                <label class="visually-hidden" for={id}>
                  Share link lifetime for {file.name}
                </label>
                <select id={id} value={lifetime} onChange={(e) => setLifetime(Number(e.currentTarget.value))}>
                  {SHARE_LIFETIMES.map((option) => (
                    <option key={option.seconds} value={option.seconds}>
                      {option.label}
                    </option>
                  ))}
                </select>
                <button type="button" class="button-secondary" disabled={busy} onClick={share} aria-label={`Copy share link for ${file.name}`}>
                  Copy share link
                </button>
              </>
            )}
            {releasable &&
              (releasing ? (
                <form class="release-form" onSubmit={release} aria-label={`Release ${file.name}`}>
                  <label for={`${id}-reason`}>Why may it be downloaded unchecked?</label>
                  <textarea id={`${id}-reason`} minLength={RELEASE_REASON_CHARS.min} maxLength={RELEASE_REASON_CHARS.max} required value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
                  <button type="submit" class="button" disabled={busy}>
                    Release {file.name}
                  </button>
                  <button type="button" class="button-secondary" onClick={() => setReleasing(false)}>
                    Cancel
                  </button>
                </form>
              ) : (
                <button type="button" class="button-secondary" disabled={busy} onClick={() => setReleasing(true)} aria-label={`Release ${file.name}`}>
                  Release…
                </button>
              ))}
            <button type="button" class="button-secondary" disabled={busy} onClick={() => setConfirming(true)} aria-label={`Delete ${file.name}`}>
              Delete
            </button>
          </span>
        )}
      </td>
    </tr>
  );
}
