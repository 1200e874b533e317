// Delete an endpoint after typing its name; optionally purge its files too.
import { useState } from 'preact/hooks';
import { useAction } from '../shared/use-action.js';
import { adminApi } from './api.js';
import { setFlash } from './flash.js';
import { hrefFor, navigate } from './router.js';
import { ErrorAlert } from '../shared/error-alert.js';

export function DeleteEndpoint({ name, version }: { name: string; version: string }) {
  const [typed, setTyped] = useState('');
  const [purge, setPurge] = useState(false);
  const { busy, error, setMessage, run } = useAction();
  const matches = typed.trim() === name;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!matches) {
      setMessage({ kind: 'error', text: 'Type the endpoint name exactly to confirm.' });
      return;
    }
    // On success the page is left (navigate) before busy ends, both before the browser paints: the
    // button is not seen enabled again while the endpoints list replaces this page.
    await run(
      async () => {
        // The version on screen: if someone changed the endpoint meanwhile, the API refuses (409) and says so.
        const result = await adminApi.deleteEndpoint(name, purge ? { purgeFiles: true, confirm: typed.trim(), version } : { confirm: typed.trim(), version });
        const aborted = result?.uploadsAborted ? ` ${result.uploadsAborted} unfinished ${result.uploadsAborted === 1 ? 'upload' : 'uploads'} cancelled.` : '';
        const files = result?.filesPurged === null || result?.filesPurged === undefined ? 'Its files were kept.' : `${result.filesPurged} files deleted.${aborted}`;
        setFlash(`Endpoint ${name} deleted. ${files}`);
        navigate(hrefFor({ name: 'endpoints' }));
      },
      { fallback: 'The endpoint could not be deleted.' },
    );
  };

  return (
    <section class="card danger-zone" aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete endpoint</h2>
      <p>Deleting removes the endpoint and all its logins. Files stay in the bucket unless you also delete them below.</p>
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="delete-confirm">Type {name} to confirm</label>
          <input id="delete-confirm" value={typed} autoComplete="off" onInput={(e) => setTyped(e.currentTarget.value)} />
        </div>
        <label class="checkbox">
          <input type="checkbox" checked={purge} onChange={(e) => setPurge(e.currentTarget.checked)} /> Also delete all files of this endpoint, and cancel its unfinished uploads (cannot be undone)
        </label>
        <div class="actions">
          <button type="submit" class="button-danger" disabled={busy || !matches}>
            Delete endpoint
          </button>
        </div>
      </form>
      <ErrorAlert message={error} />
    </section>
  );
}
