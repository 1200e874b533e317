// The local IdPs' pages: plain HTML forms with visible labels, no scripts at all, a stylesheet
// from the IdP's own origin, and a strict Content-Security-Policy.
import type { ServerResponse } from 'node:http';

export const STYLESHEET_PATH = '/idp.css';

export const STYLESHEET = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1b1f24}
main{max-width:26rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15)}
h1{font-size:1.4rem;margin:0 0 .25rem}
p.hint{color:#57606a;margin:.25rem 0 1rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input{box-sizing:border-box;width:100%;padding:.6rem;font:inherit;border:1px solid #8c959f;border-radius:4px}
input:focus,button:focus{outline:3px solid #0969da;outline-offset:2px}
button{margin-top:1.5rem;width:100%;padding:.7rem;font:inherit;font-weight:600;color:#fff;background:#0969da;border:0;border-radius:4px;cursor:pointer}
.error{color:#82071e;background:#ffebe9;border:1px solid #ff8182;border-radius:4px;padding:.6rem .8rem;margin:1rem 0}
.error ul{margin:.25rem 0 0;padding-left:1.2rem}
ul.rules{color:#57606a;font-size:.9rem;margin:.25rem 0 0;padding-left:1.2rem}
`.trim();

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

/** `html` tagged template: interpolated strings are escaped; `raw()` values are inserted as is. */
export class Raw {
  constructor(readonly html: string) {}
}
export const raw = (value: string): Raw => new Raw(value);

const textOf = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value));

export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0]!;
  values.forEach((value, i) => {
    const part = Array.isArray(value) ? value.map((v) => (v instanceof Raw ? v.html : escapeHtml(textOf(v)))).join('') : value instanceof Raw ? value.html : value === undefined || value === null || value === false ? '' : escapeHtml(textOf(value));
    out += part + strings[i + 1]!;
  });
  return raw(out);
}

export function page(title: string, body: Raw): string {
  return `<!DOCTYPE html>\n${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><link rel="stylesheet" href="${STYLESHEET_PATH}"></head><body><main>${body}</main></body></html>`.html}`;
}

/** The error box: `role="alert"` so screen readers announce it, as the browser tests look for it too. */
export function errorBox(message: string | undefined, details: string[] = []): Raw {
  if (!message) return raw('');
  return html`<div class="error" role="alert"><strong>${message}</strong>${details.length ? html`<ul>${details.map((d) => html`<li>${d}</li>`)}</ul>` : ''}</div>`;
}

/**
 * No script may run on these pages. Form posts end in redirects to the portal (the code flow's
 * callback and the post-logout page), and browsers apply form-action to those redirects too.
 */
export function securityHeaders(portalOrigin: string): Record<string, string> {
  return {
    'content-security-policy': `default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' ${portalOrigin}; frame-ancestors 'none'; base-uri 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
}

export function sendHtml(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}
