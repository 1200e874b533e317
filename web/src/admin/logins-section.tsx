// An endpoint's customer logins: add one, reset a password, remove one (with confirmation).
import { useState } from 'preact/hooks';
import type { EndpointDetail, LoginCredentials, LoginInfo } from '../../../contract/api/admin.js';
import { isApiError } from '../shared/api-client.js';
import { formatDateTime } from '../shared/format.js';
import { adminApi } from './api.js';
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
  const [error, setError] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null);

  const run = async (id: string, action: () => Promise<void>) => {
    setBusy(id);
    setError('');
    try {
      await action();
    } catch (e) {
      setError(isApiError(e) ? e.message : 'That did not work. Please try again.');
    } finally {
      setBusy(null);
    }
  };

  const add = (event: Event) => {
    event.preventDefault();
    if (!email.trim()) {
      setError('Enter the e-mail address of the new login.');
      return;
    }
    void run('add', async () => {
      const credentials = await adminApi.addLogin(detail.name, { email: email.trim() });
      setEmail('');
      props.onCredentials(credentials, `Sign-in details for ${credentials.email}`);
    });
  };

  const reset = (login: LoginInfo) =>
    run(`reset-${login.username}`, async () => {
      const credentials = await adminApi.resetPassword(detail.name, login.username);
      props.onCredentials(credentials, `New temporary password for ${login.email}`);
    });

  const remove = (login: LoginInfo) =>
    run(`remove-${login.username}`, async () => {
      await adminApi.removeLogin(detail.name, login.username);
      setConfirmRemove(null);
      props.onChanged();
    });

  return (
    <section class="card" aria-labelledby="logins-heading">
      <h2 id="logins-heading">Logins</h2>
      {detail.logins.length === 0 ? (
        <p class="empty">No logins. Add one so the customer can sign in.</p>
      ) : (
        <div class="table-wrap">
          <table class="table stack">
            <caption class="visually-hidden">Customer logins of {detail.name}</caption>
            <thead>
              <tr>
                <th scope="col">E-mail</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
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
                      <span class="actions" role="group" aria-label={`Confirm removing ${login.email}`}>
                        <span>Remove this login?</span>
                        <button type="button" class="button-danger" disabled={busy !== null} onClick={() => remove(login)}>
                          Remove {login.email}
                        </button>
                        <button type="button" class="button-secondary" onClick={() => setConfirmRemove(null)}>
                          Keep
                        </button>
                      </span>
                    ) : (
                      <span class="actions">
                        <button type="button" class="button-secondary" disabled={busy !== null} onClick={() => reset(login)} aria-label={`Reset password of ${login.email}`}>
                          Reset password
                        </button>
                        <button type="button" class="button-secondary" disabled={busy !== null} onClick={() => setConfirmRemove(login.username)} aria-label={`Remove login ${login.email}`}>
                          Remove
                        </button>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form class="inline-form" onSubmit={add}>
        <div class="field">
          <label for="login-email">Login e-mail</label>
          <input id="login-email" type="email" value={email} autoComplete="off" onInput={(e) => setEmail(e.currentTarget.value)} />
        </div>
        <button type="submit" disabled={busy !== null}>
          Add login
        </button>
      </form>
      <ErrorAlert message={error} />
    </section>
  );
}
