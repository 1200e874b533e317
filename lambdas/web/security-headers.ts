// Headers every web response carries. The CSP allows no inline script or style: the pages load
// their code and CSS from files, and Uppy/Preact set styles through the CSSOM (element.style),
// which `style-src` does not govern. The one allowance is 'wasm-unsafe-eval': the checksum worker
// compiles hash-wasm's WebAssembly (CRC64NVME about 10x faster than JavaScript), which Chromium
// refuses under a plain script-src 'self'; the keyword allows compiling WebAssembly only, not eval.

export interface SecurityHeaderOptions {
  /** Origins the browser sends parts to directly (presigned S3 URLs): CSP connect-src. */
  s3Origins: readonly string[];
}

export function contentSecurityPolicy({ s3Origins }: SecurityHeaderOptions): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    // data: for Uppy's inline SVG icons in CSS, blob: for thumbnails of chosen images.
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${["'self'", ...s3Origins].join(' ')}`,
    "media-src 'self' blob:",
    // The checksum worker, a module script from the pages' own assets.
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(options),
    'strict-transport-security': 'max-age=63072000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
}
