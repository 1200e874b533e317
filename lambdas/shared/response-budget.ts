// The ALB's 1 MB cap on a Lambda response, as a budget for JSON listing pages. The cap applies to the
// whole Lambda result JSON, in which the body is itself a JSON string: every `"` and `\` of the body is
// escaped once more there, so a body is measured as it is embedded, not by its own length.
// (contract/response-limit.ts holds the numbers; the web Lambda applies them to static files.)
import { MAX_ENCODED_BODY_BYTES } from '../../contract/response-limit.js';

/** The largest JSON body a listing may answer with (measured by `embeddedJsonBytes`). */
export const MAX_JSON_RESPONSE_BYTES = MAX_ENCODED_BODY_BYTES;

/**
 * Bytes `value` takes in the Lambda result: serialised as the body, then embedded as a JSON string.
 * Counted from one serialisation (a listing measures each of its 1,000 entries): embedding escapes
 * only the body's `"` and `\` (JSON.stringify already wrote control characters and lone surrogates as
 * escapes) and adds the two quotes around it.
 */
export function embeddedJsonBytes(value: unknown): number {
  const body = JSON.stringify(value);
  let escaped = 0;
  for (let i = body.indexOf('"'); i !== -1; i = body.indexOf('"', i + 1)) escaped++;
  for (let i = body.indexOf('\\'); i !== -1; i = body.indexOf('\\', i + 1)) escaped++;
  return Buffer.byteLength(body, 'utf8') + escaped + 2;
}

/**
 * The longest start of `items` whose elements, as members of a JSON array in the body, take at most
 * `budget` bytes of the Lambda result (each counted with its comma), and whether items were left out.
 */
export function takeWithinBudget<T>(items: readonly T[], budget: number): { taken: T[]; cut: boolean } {
  let used = 0;
  for (let i = 0; i < items.length; i++) {
    // embeddedJsonBytes counts the two quotes of a whole body; a member has a comma instead.
    used += embeddedJsonBytes(items[i]) - 1;
    if (used > budget) return { taken: items.slice(0, i), cut: true };
  }
  return { taken: [...items], cut: false };
}

export interface ListedPage<T> {
  /** What will be answered. */
  page: T;
  /** Keys plus common prefixes S3 returned (what MaxKeys counts), before any filtering. */
  listed: number;
}

/**
 * Lists a page of at most `pageSize` entries whose answer fits the budget. A page of long keys (1,024
 * bytes each, more once escaped) can exceed 1 MB well below S3's 1,000: then the same page is listed
 * again (same continuation token) with a proportionally smaller MaxKeys until it fits. S3's own
 * NextContinuationToken then resumes exactly after the shorter page, so tokens stay S3's.
 */
export async function listWithinBudget<T>(
  pageSize: number,
  list: (maxKeys: number) => Promise<ListedPage<T>>,
  budget = MAX_JSON_RESPONSE_BYTES,
): Promise<T> {
  let maxKeys = pageSize;
  for (;;) {
    const { page, listed } = await list(maxKeys);
    const bytes = embeddedJsonBytes(page);
    const count = Math.min(listed, maxKeys);
    if (bytes <= budget || count <= 1) return page;
    // 10% headroom so a second shrink is rare; MaxKeys is strictly smaller every round, so this ends.
    maxKeys = Math.max(1, Math.min(count - 1, Math.floor(((count * budget) / bytes) * 0.9)));
  }
}
