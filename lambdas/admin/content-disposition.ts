// `Content-Disposition: attachment` for downloads, carrying the customer's original filename:
// RFC 6266 with an ASCII `filename` fallback and, when needed, an RFC 5987 `filename*` in UTF-8.

/** RFC 5987 attr-char: everything else is percent-encoded (encodeURIComponent leaves ' ( ) * bare). */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Removes what no filename should carry into a header or a save dialog: control characters
 * (header injection), path separators (a name, not a path), leading/trailing dots and spaces.
 */
export function cleanFilename(name: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = name.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f]/g, '').replace(/[/\\]/g, '_').replace(/^[\s.]+|[\s.]+$/g, '');
  return cleaned || 'download';
}

/** The `filename="..."` fallback for old clients: printable ASCII only, no quote or backslash. */
export function asciiFallback(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // é -> e once decomposed
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\%]/g, '_'); // `%` too: some clients percent-decode the plain filename
  return ascii.replace(/^[\s.]+|[\s.]+$/g, '') || 'download';
}

export function attachmentDisposition(originalName: string): string {
  const name = cleanFilename(originalName);
  const fallback = asciiFallback(name);
  if (fallback === name) return `attachment; filename="${name}"`;
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}
