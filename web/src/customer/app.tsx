// The customer page: who is signed in, where the files go and what is allowed, the upload widget,
// and the list of what has arrived.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { FileReceipt } from '../../../contract/checksums.js';
import { PAGE_PATHS } from '../../../contract/routes.js';
import { failureText, isApiError } from '../shared/api-client.js';
import { SessionBanner } from '../shared/session-banner.js';
import { UploaderPanel } from '../shared/uploader-panel.js';
import { fetchMe, type Me } from './api.js';
import { LimitsPanel } from './limits-panel.js';
import { keepReceipt, loadReceipts } from './receipt-history.js';
import { Receipts } from './receipts.js';
import { ReceivedFiles } from './received-files.js';

type Load = { state: 'loading' } | { state: 'ready'; me: Me } | { state: 'error'; message: string; retry: boolean };

export function CustomerApp() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [filesVersion, setFilesVersion] = useState(0);
  const [receipts, setReceipts] = useState<FileReceipt[]>([]);

  useEffect(() => {
    fetchMe().then(
      (me) => setLoad({ state: 'ready', me }),
      (error: unknown) =>
        setLoad({
          state: 'error',
          message: failureText(error, 'The page could not load. Reload to try again.'),
          // Reloading helps after a network or server hiccup, not after a refusal (expired endpoint...).
          retry: !isApiError(error) || error.status === 0 || error.status >= 500,
        }),
    );
  }, []);

  // After each completed file; a short delay lets several completions share one listing call.
  const refreshFiles = useCallback(() => {
    setTimeout(() => setFilesVersion((v) => v + 1), 800);
  }, []);
  const me = load.state === 'ready' ? load.me : null;
  const endpoint = me?.endpoint ?? null;
  useEffect(() => {
    if (endpoint) setReceipts(loadReceipts(endpoint.name));
  }, [endpoint?.name]);
  const addReceipt = useCallback((receipt: FileReceipt) => setReceipts((current) => keepReceipt(receipt.endpoint, current, receipt)), []);

  const expired = endpoint?.expiresAt ? Date.parse(endpoint.expiresAt) <= Date.now() : false;

  return (
    <>
      <header class="topbar">
        <span class="brand">File upload</span>
        <span class="topbar-user">{me ? <>Signed in as <strong>{me.user.email || me.user.username}</strong></> : null}</span>
        <a class="topbar-link" href={PAGE_PATHS.customerSignOut}>
          Sign out
        </a>
      </header>
      <main class="page" id="main">
        <SessionBanner signInHref="/" signOutHref={PAGE_PATHS.customerSignOut} />
        {load.state === 'loading' && <p class="page-loading">Loading…</p>}
        {load.state === 'error' && (
          <div class="banner banner-error" role="alert">
            <p>{load.message}</p>
            {load.retry && (
              <a class="button" href="/">
                Reload
              </a>
            )}
          </div>
        )}
        {me && !endpoint && (
          <div class="banner banner-error" role="alert">
            <p>Your login is not linked to an upload endpoint. Please ask your contact.</p>
          </div>
        )}
        {me && endpoint && (
          <>
            <h1>
              Send files to <span class="endpoint-name">{endpoint.displayName || endpoint.name}</span>
            </h1>
            <LimitsPanel endpoint={endpoint} />
            {expired ? (
              <div class="banner banner-error" role="alert">
                <p>This upload link has expired. Please ask your contact for a new one.</p>
              </div>
            ) : (
              <section aria-labelledby="send-heading" class="card">
                <h2 id="send-heading">Choose files or folders</h2>
                <p class="hint">
                  Drop files or whole folders below, or browse. Large files are sent in parts and can be paused and resumed, even after closing the page: add the same
                  file again to continue.
                </p>
                <UploaderPanel
                  id={`customer-${endpoint.name}`}
                  settings={me.upload}
                  limits={{ maxFileSizeBytes: endpoint.maxFileSizeBytes, allowedExtensions: endpoint.allowedExtensions }}
                  endpoint={endpoint.name}
                  onFileUploaded={refreshFiles}
                  onFileStored={addReceipt}
                />
              </section>
            )}
            <Receipts receipts={receipts} />
            <ReceivedFiles version={filesVersion} endpoint={endpoint.name} />
          </>
        )}
      </main>
    </>
  );
}
