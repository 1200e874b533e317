// The endpoint settings fields, shared by the create form and the endpoint page's settings form.
import { DISPLAY_NAME_MAX_CHARS, NOTES_MAX_CHARS } from '../../../contract/limits.js';
import type { EndpointFormValues, FieldErrors } from './endpoint-form.js';

type Setter = (field: keyof EndpointFormValues, value: string) => void;

export function Field(props: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string;
  help?: string;
  type?: string;
  required?: boolean;
  multiline?: boolean;
  autoComplete?: string;
  placeholder?: string;
  /** The server's limit, in characters: the browser stops typing there. */
  maxLength?: number;
}) {
  const describedBy = [props.help ? `${props.id}-help` : '', props.error ? `${props.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id: props.id,
    value: props.value,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': describedBy,
    required: props.required,
    placeholder: props.placeholder,
    maxLength: props.maxLength,
  };
  return (
    <div class="field">
      <label for={props.id}>
        {props.label}
        {!props.required && <span class="optional"> (optional)</span>}
      </label>
      {props.multiline ? (
        <textarea {...common} onInput={(e) => props.onInput(e.currentTarget.value)} />
      ) : (
        <input {...common} type={props.type ?? 'text'} autoComplete={props.autoComplete ?? 'off'} onInput={(e) => props.onInput(e.currentTarget.value)} />
      )}
      {props.help && (
        <span class="field-help" id={`${props.id}-help`}>
          {props.help}
        </span>
      )}
      {props.error && (
        <span class="error-text" id={`${props.id}-error`}>
          {props.error}
        </span>
      )}
    </div>
  );
}

/**
 * The props that tie a Field to one form value: its id (`<idPrefix>-<idSuffix>`), the value, the setter
 * and the value's error. The label, help and the like stay at the Field.
 */
export function fieldBinder(values: EndpointFormValues, errors: FieldErrors, set: Setter, idPrefix: string) {
  return (field: keyof EndpointFormValues, idSuffix: string) => ({
    id: `${idPrefix}-${idSuffix}`,
    value: values[field],
    onInput: (value: string) => set(field, value),
    error: errors[field],
  });
}

/** Expiry, size, types, notes: the fields both forms share. */
export function SettingsFields({ values, errors, set, idPrefix }: { values: EndpointFormValues; errors: FieldErrors; set: Setter; idPrefix: string }) {
  const bind = fieldBinder(values, errors, set, idPrefix);
  return (
    <>
      <Field {...bind('displayName', 'display')} label="Display name" maxLength={DISPLAY_NAME_MAX_CHARS} help="What the customer sees; defaults to the endpoint name." />
      <Field {...bind('expiryDate', 'expiry')} label="Expiry date" type="date" help="Uploads stop at the end of this day. Empty: never expires." />
      <Field {...bind('maxFileSize', 'max-size')} label="Maximum file size" placeholder="e.g. 50 GB" help="Such as 500 MB, 50 GB or 2 TB. Empty: no limit." />
      <Field
        {...bind('quotaSize', 'quota-size')}
        label="Quota (all files together)"
        placeholder="e.g. 2 TB"
        help="What the endpoint may hold, uploads in progress included; enforced while data is sent. Empty: no quota."
      />
      <Field
        {...bind('quotaFiles', 'quota-files')}
        label="Quota (number of files)"
        placeholder="e.g. 1000"
        help="How many files the endpoint may hold, uploads in progress included. Empty: no quota."
      />
      <Field {...bind('allowedTypes', 'types')} label="Allowed file types" placeholder="e.g. pdf, zip, tar.gz" help="Extensions separated by commas. Empty: any type." />
      <Field {...bind('notes', 'notes')} label="Notes" multiline maxLength={NOTES_MAX_CHARS} help="For admins only." />
    </>
  );
}
