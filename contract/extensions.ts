// The endpoint's file-type rule, applied by the page before a file is added and by the uploads Lambda
// at create and at completion, and the rule for the list itself, which the admin console checks before
// it sends the list and the admin Lambda checks again. Extensions are stored lower-case without the dot
// (`pdf`, `tar.gz`).

/** Extensions one endpoint may list: the list travels in the endpoint record and in GET /api/me. */
export const MAX_ALLOWED_EXTENSIONS = 100;

/** One entry: one to three dot-separated parts of 1 to 16 lower-case letters or digits (`pdf`, `tar.gz`, `nii.gz`). */
const EXTENSION_ENTRY = /^[a-z0-9]{1,16}(?:\.[a-z0-9]{1,16}){0,2}$/;

/** An entry as an admin typed it (`.PDF`, ` pdf`) as it is stored (`pdf`); null when it is not an extension. */
export function normaliseExtensionEntry(value: unknown): string | null {
  const ext = typeof value === 'string' ? value.trim().toLowerCase().replace(/^\.+/, '') : '';
  return EXTENSION_ENTRY.test(ext) ? ext : null;
}

export type ExtensionListResult = { readonly ok: true; readonly extensions: string[] | null } | { readonly ok: false; readonly invalid: unknown };

/**
 * A list as an admin gave it, as it is stored: each entry normalised, duplicates dropped, sorted (so a
 * reordered list is the same list), and an empty list null ("any type"). The first entry that is not an
 * extension makes it `ok: false`. The console checks with it before it sends, the admin Lambda when it
 * stores.
 */
export function normaliseExtensionList(entries: readonly unknown[]): ExtensionListResult {
  const extensions = new Set<string>();
  for (const entry of entries) {
    const ext = normaliseExtensionEntry(entry);
    if (ext === null) return { ok: false, invalid: entry };
    extensions.add(ext);
  }
  return { ok: true, extensions: extensions.size ? [...extensions].sort() : null };
}

/** null or an empty list: any file. `tar.gz` allows `x.tar.gz`, and `gz` allows it too. Case-insensitive. */
export function isExtensionAllowed(name: string, allowed: readonly string[] | null | undefined): boolean {
  if (!allowed || allowed.length === 0) return true;
  const lower = name.toLowerCase();
  return allowed.some((ext) => {
    const wanted = ext.toLowerCase().replace(/^\.+/, '');
    return wanted !== '' && lower.endsWith(`.${wanted}`) && lower.length > wanted.length + 1;
  });
}
