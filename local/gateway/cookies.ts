// Cookie header parsing and Set-Cookie serialisation, just what the gateway's session cookies need.

/** Name -> value; the first occurrence wins, as browsers send the most specific path first. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

export interface CookieAttributes {
  path?: string;
  maxAgeSeconds?: number;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: 'Lax' | 'Strict' | 'None';
}

/** Values written here are base64url or empty, so they need no quoting or escaping. */
export function serializeCookie(name: string, value: string, attrs: CookieAttributes = {}): string {
  const parts = [`${name}=${value}`, `Path=${attrs.path ?? '/'}`];
  if (attrs.maxAgeSeconds !== undefined) {
    parts.push(`Max-Age=${Math.max(0, Math.floor(attrs.maxAgeSeconds))}`);
    // Expires as well, for clients that ignore Max-Age; the epoch expires a cookie at once.
    parts.push(`Expires=${new Date(attrs.maxAgeSeconds > 0 ? Date.now() + attrs.maxAgeSeconds * 1000 : 0).toUTCString()}`);
  }
  if (attrs.httpOnly ?? true) parts.push('HttpOnly');
  if (attrs.secure) parts.push('Secure');
  parts.push(`SameSite=${attrs.sameSite ?? 'Lax'}`);
  return parts.join('; ');
}

export function expireCookie(name: string, attrs: CookieAttributes = {}): string {
  return serializeCookie(name, '', { ...attrs, maxAgeSeconds: 0 });
}
