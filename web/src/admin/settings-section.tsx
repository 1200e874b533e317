// Edit an endpoint's settings, or disable/enable it. Sends the version it was looking at, so a
// concurrent change by another admin is reported rather than overwritten.
import { useEffect, useState } from 'preact/hooks';
import type { EndpointDetail } from '../../../contract/api/admin.js';
import { useAction } from '../shared/use-action.js';
import { adminApi } from './api.js';
import { buildPatchRequest, valuesFromSettings, type EndpointFormValues, type FieldErrors } from './endpoint-form.js';
import { SettingsFields } from './endpoint-fields.js';

export function SettingsSection({ detail, onSaved }: { detail: EndpointDetail; onSaved: () => void }) {
  const [values, setValues] = useState<EndpointFormValues>(() => valuesFromSettings(detail));
  const [errors, setErrors] = useState<FieldErrors>({});
  const { busy, message, setMessage, run } = useAction();
  useEffect(() => setValues(valuesFromSettings(detail)), [detail.version]);
  const set = (field: keyof EndpointFormValues, value: string) => setValues((v) => ({ ...v, [field]: value }));

  const send = (patch: Parameters<typeof adminApi.patchEndpoint>[1], done: string) =>
    run(
      async () => {
        await adminApi.patchEndpoint(detail.name, patch);
        onSaved();
      },
      { success: done, fallback: 'The settings could not be saved.' },
    );

  const save = (event: Event) => {
    event.preventDefault();
    const result = buildPatchRequest(values, detail);
    if (!result.ok) {
      setErrors(result.errors);
      setMessage({ kind: 'error', text: 'Please correct the highlighted fields.' });
      return;
    }
    setErrors({});
    const { version: _version, ...changes } = result.request;
    if (Object.keys(changes).length === 0) {
      setMessage({ kind: 'ok', text: 'Nothing to save: no setting changed.' });
      return;
    }
    void send(result.request, 'Settings saved.');
  };

  const toggle = () =>
    send({ disabled: !detail.disabled, version: detail.version }, detail.disabled ? 'Endpoint enabled: its logins can upload again.' : 'Endpoint disabled: its logins can no longer upload.');

  return (
    <section class="card" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      <form onSubmit={save} noValidate>
        <SettingsFields values={values} errors={errors} set={set} idPrefix="settings" />
        <div class="actions">
          <button type="submit" disabled={busy}>
            Save settings
          </button>
          <button type="button" class={detail.disabled ? 'button-secondary' : 'button-danger'} disabled={busy} onClick={toggle}>
            {detail.disabled ? 'Enable endpoint' : 'Disable endpoint'}
          </button>
        </div>
      </form>
      {message && (
        <p class={message.kind === 'ok' ? 'ok-text' : 'error-text'} role={message.kind === 'ok' ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
    </section>
  );
}
