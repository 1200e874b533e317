// The ALB's 1 MB cap on a Lambda response, as a budget for one static file's body. Shared by the
// web Lambda (runtime guard) and the Vite build (fails the build when an asset would not fit).

import { ALB_MAX_BODY_BYTES } from '../../contract/limits.js';
import { RESPONSE_OVERHEAD_BYTES } from '../shared/response-budget.js';

export { RESPONSE_OVERHEAD_BYTES };
/** ALB: "the maximum size of the response JSON that the Lambda function can send is 1 MB". */
export const ALB_MAX_RESPONSE_BYTES = ALB_MAX_BODY_BYTES;
/** The largest body, as sent in the Lambda result (after base64 where it applies). */
export const MAX_ENCODED_BODY_BYTES = ALB_MAX_RESPONSE_BYTES - RESPONSE_OVERHEAD_BYTES;

/** Size of a body in the Lambda result: `toAlbResult` base64-encodes binary (and compressed) bodies. */
export function encodedBodySize(rawBytes: number, base64: boolean): number {
  return base64 ? Math.ceil(rawBytes / 3) * 4 : rawBytes;
}

/** Raw bytes of the largest body that still fits once base64-encoded (about 738 KB). */
export const MAX_BASE64_RAW_BYTES = Math.floor(MAX_ENCODED_BODY_BYTES / 4) * 3;
