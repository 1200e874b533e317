// The ALB's 1 MB cap on a Lambda response, as budgets: for a JSON listing (lambdas/shared/response-budget.ts)
// and for one static file's body, shared by the web Lambda (runtime guard) and the page build (which
// fails when an asset would not fit).
import { ALB_MAX_RESPONSE_JSON_BYTES } from './limits.js';

/** Room for the status line, headers and the Lambda result's own JSON framing. */
export const RESPONSE_OVERHEAD_BYTES = 16_000;
/** The largest body, as sent in the Lambda result (after base64 where it applies, JSON-escaped for JSON). */
export const MAX_ENCODED_BODY_BYTES = ALB_MAX_RESPONSE_JSON_BYTES - RESPONSE_OVERHEAD_BYTES;

/** Size of a body in the Lambda result: `toAlbResult` base64-encodes binary (and compressed) bodies. */
export function encodedBodySize(rawBytes: number, base64: boolean): number {
  return base64 ? Math.ceil(rawBytes / 3) * 4 : rawBytes;
}

/** Raw bytes of the largest body that still fits once base64-encoded (about 738 KB). */
export const MAX_BASE64_RAW_BYTES = Math.floor(MAX_ENCODED_BODY_BYTES / 4) * 3;
