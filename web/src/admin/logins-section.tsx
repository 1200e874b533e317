// An endpoint's customer logins: add one, reset a password, remove one (with confirmation).
import { useState } from 'preact/hooks';
import type { EndpointDetail, LoginCredentials, LoginInfo } from '../../../contract/api/admin.js';
import { DataTable } from '../shared/data-table.js';
import { formatDateTime } from '../shared/format.js';
import { useAction } from '../shared/use-action.js';
import { adminApi } from './api.js';
import { ConfirmInline } from './confirm-inline.js';
import { ErrorAlert } from '../shared/error-alert.js';

const STATUS_TEXT: Record<string, string> = {
  FORCE_CHANGE_PASSWORD: 'Must set a password',
  CONFIRMED: 'Active',
  RESET_REQUIRED: 'Reset required',
  MISSING: 'Missing in Cognito',
};

export function LoginsSection(props: { detail: EndpointDetail; onCredentials: (c: LoginCredentials, title: string) => void; onChanged: () => void }) {
  const { detail } = props;
  const [email, setEmail] = useState('');
  const { busy, error, setMessage, run } = useAction();
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null);
  const fallback = 'That did not work. Please try again.';

  const add = (event: Event) => {
    event.preventDefault();
    if (!email.trim()) {
      setMessage({ kind: 'error', text: 'Enter the e-mail address of the new login.' });
      return;
    }
    void run(
      async () => {
        const credentials = await adminApi.addLogin(detail.name, { email: email.trim() });
        setEmail('');
        props.onCredentials(credentials, `Sign-in details for ${credentials.email}`);
      },
      { fallback },
    );
  };

  const reset = (login: LoginInfo) =>
    run(
      async () => {
        const credentials = await adminApi.resetPassword(detail.name, login.username);
        props.onCredentials(credentials, `New temporary password for ${login.email}`);
      },
      { fallback },
    );

  const remove = (login: LoginInfo) =>
    run(
      async () => {
        await adminApi.removeLogin(detail.name, login.username);
        setConfirmRemove(null);
        props.onChanged();
      },
      { fallback },
    );

  return (
    <section class="card" aria-labelledby="logins-heading">
      <h2 id="logins-heading">Logins</h2>
      {detail.logins.length === 0 ? (
        <p class="empty">No logins. Add one so the customer can sign in.</p>
      ) : (
        <DataTable caption={`Customer logins of ${detail.name}`} columns={['E-mail', 'Status', 'Created', 'Actions']} stack>
          {detail.logins.map((login) => (
            <tr key={login.username}>
              <td class="name">
                {login.email}
                {login.username !== login.email && <div class="sub">{login.username}</div>}
              </td>
              <td data-label="Status">
                {STATUS_TEXT[login.status] ?? login.status}
                {!login.enabled && ' (disabled)'}
              </td>
              <td data-label="Created">{formatDateTime(login.createdAt)}</td>
              <td>
                {confirmRemove === login.username ? (
                  <ConfirmInline
                    label={`Confirm removing ${login.email}`}
                    question="Remove this login?"
                    confirmText={`Remove ${login.email}`}
                    busy={busy}
                    onConfirm={() => remove(login)}
                    onKeep={() => setConfirmRemove(null)}
                  />
                ) : (
                  <span class="actions">
                    <button type="button" class="button-secondary" disabled={busy} onClick={() => reset(login)} aria-label={`Reset password of ${login.email}`}>
                      Reset password
                    </button>
                    <button type="button" class="button-secondary" disabled={busy} onClick={() => setConfirmRemove(login.username)} aria-label={`Remove login ${login.email}`}>
                      Remove
                    </button>
                  </span>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <form class="inline-form" onSubmit={add}>
        <div class="field">
          <label for="login-email">Login e-mail</label>
          <input id="login-email" type="email" value={email} autoComplete="off" onInput={(e) => setEmail(e.currentTarget.value)} />
        </div>
        <button type="submit" disabled={busy}>
          Add login
        </button>
      </form>
      <ErrorAlert message={error} />
    </section>
  );
}
