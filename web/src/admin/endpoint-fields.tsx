// The endpoint settings fields, shared by the create form and the endpoint page's settings form.
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
}) {
  const describedBy = [props.help ? `${props.id}-help` : '', props.error ? `${props.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id: props.id,
    value: props.value,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': describedBy,
    required: props.required,
    placeholder: props.placeholder,
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

/** Expiry, size, types, notes: the fields both forms share. */
export function SettingsFields({ values, errors, set, idPrefix }: { values: EndpointFormValues; errors: FieldErrors; set: Setter; idPrefix: string }) {
  return (
    <>
      <Field id={`${idPrefix}-display`} label="Display name" value={values.displayName} onInput={(v) => set('displayName', v)} help="What the customer sees; defaults to the endpoint name." />
      <Field id={`${idPrefix}-expiry`} label="Expiry date" type="date" value={values.expiryDate} onInput={(v) => set('expiryDate', v)} error={errors.expiryDate} help="Uploads stop at the end of this day. Empty: never expires." />
      <Field
        id={`${idPrefix}-max-size`}
        label="Maximum file size"
        value={values.maxFileSize}
        onInput={(v) => set('maxFileSize', v)}
        error={errors.maxFileSize}
        placeholder="e.g. 50 GB"
        help="Such as 500 MB, 50 GB or 2 TB. Empty: no limit."
      />
      <Field
        id={`${idPrefix}-quota-size`}
        label="Quota (all files together)"
        value={values.quotaSize}
        onInput={(v) => set('quotaSize', v)}
        error={errors.quotaSize}
        placeholder="e.g. 2 TB"
        help="What the endpoint may hold, uploads in progress included; enforced while data is sent. Empty: no quota."
      />
      <Field
        id={`${idPrefix}-quota-files`}
        label="Quota (number of files)"
        value={values.quotaFiles}
        onInput={(v) => set('quotaFiles', v)}
        error={errors.quotaFiles}
        placeholder="e.g. 1000"
        help="How many files the endpoint may hold, uploads in progress included. Empty: no quota."
      />
      <Field
        id={`${idPrefix}-types`}
        label="Allowed file types"
        value={values.allowedTypes}
        onInput={(v) => set('allowedTypes', v)}
        error={errors.allowedTypes}
        placeholder="e.g. pdf, zip, tar.gz"
        help="Extensions separated by commas. Empty: any type."
      />
      <Field id={`${idPrefix}-notes`} label="Notes" value={values.notes} onInput={(v) => set('notes', v)} multiline help="For admins only." />
    </>
  );
}
