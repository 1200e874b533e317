// The endpoint's file-type rule, applied by the page before a file is added and by the uploads Lambda
// at create and at completion. Extensions are stored lower-case without the dot (`pdf`, `tar.gz`).

/** null or an empty list: any file. `tar.gz` allows `x.tar.gz`, and `gz` allows it too. Case-insensitive. */
export function isExtensionAllowed(name: string, allowed: readonly string[] | null | undefined): boolean {
  if (!allowed || allowed.length === 0) return true;
  const lower = name.toLowerCase();
  return allowed.some((ext) => {
    const wanted = ext.toLowerCase().replace(/^\.+/, '');
    return wanted !== '' && lower.endsWith(`.${wanted}`) && lower.length > wanted.length + 1;
  });
}
