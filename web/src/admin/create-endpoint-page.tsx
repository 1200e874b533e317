// Create an endpoint and its first login; then show the credentials once.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CreateEndpointResult } from '../../../contract/api/admin.js';
import { ENDPOINT_NAME_RULE } from '../../../contract/bucket-layout.js';
import { failureText, isApiError } from '../shared/api-client.js';
import { adminApi } from './api.js';
import { CredentialsCard } from './credentials-card.js';
import { buildCreateRequest, EMPTY_FORM, type EndpointFormValues, type FieldErrors } from './endpoint-form.js';
import { Field, fieldBinder, SettingsFields } from './endpoint-fields.js';
import { Link } from './link.js';
import { hrefFor } from './router.js';
import { ErrorAlert } from '../shared/error-alert.js';

export function CreateEndpointPage() {
  const [values, setValues] = useState<EndpointFormValues>(EMPTY_FORM);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreateEndpointResult | null>(null);
  const set = (field: keyof EndpointFormValues, value: string) => setValues((v) => ({ ...v, [field]: value }));
  const bind = fieldBinder(values, errors, set, 'create');
  const heading = useRef<HTMLHeadingElement>(null);
  // The form is replaced by the credentials: keep keyboard and screen-reader users in place.
  useEffect(() => {
    if (created) heading.current?.focus();
  }, [created]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const result = buildCreateRequest(values);
    if (!result.ok) {
      setErrors(result.errors);
      setError('Please correct the highlighted fields.');
      return;
    }
    setErrors({});
    setError('');
    setBusy(true);
    try {
      setCreated(await adminApi.createEndpoint(result.request));
    } catch (e) {
      setError(failureText(e, 'The endpoint could not be created.'));
      if (isApiError(e) && (e.code === 'endpoint_exists' || e.code === 'invalid_name')) setErrors({ name: e.message });
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <>
        <h1 tabIndex={-1} ref={heading}>
          Endpoint {created.endpoint.name} created
        </h1>
        <CredentialsCard credentials={created.login} title="Customer sign-in details" />
        <p class="actions">
          <Link href={hrefFor({ name: 'endpoint', endpoint: created.endpoint.name })} class="button">
            Open endpoint
          </Link>
          <Link href={hrefFor({ name: 'endpoints' })} class="button-secondary">
            Back to endpoints
          </Link>
        </p>
      </>
    );
  }

  return (
    <>
      <h1 tabIndex={-1}>New endpoint</h1>
      <form class="card form" onSubmit={submit} noValidate aria-describedby={error ? 'create-error' : undefined}>
        <Field {...bind('name', 'name')} label="Endpoint name" required help={`${ENDPOINT_NAME_RULE}. It becomes the folder name.`} />
        <Field {...bind('customerEmail', 'email')} label="Customer e-mail" type="email" required autoComplete="off" />
        <SettingsFields values={values} errors={errors} set={set} idPrefix="create" />
        <ErrorAlert message={error} id="create-error" />
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create endpoint'}
          </button>
        </div>
      </form>
    </>
  );
}
