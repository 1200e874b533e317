// Accept-Encoding negotiation (RFC 9110 §12.5.3): brotli, then gzip, then the plain file.

export type ContentEncoding = 'br' | 'gzip' | 'identity';

/** q-values by coding, lower-case; `*` included when present. */
export function parseAcceptEncoding(header: string | undefined): Map<string, number> {
  const result = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().split(';');
    const coding = name?.trim().toLowerCase();
    if (!coding) continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.trim().split('=');
      if (key?.trim().toLowerCase() === 'q') q = Number(value);
    }
    result.set(coding, Number.isFinite(q) ? Math.min(1, Math.max(0, q)) : 0);
  }
  return result;
}

/**
 * The encodings to try, best first, among those available. Identity is always acceptable last
 * unless the client explicitly refused it; we then still send it rather than a 406.
 */
export function preferredEncodings(header: string | undefined, available: readonly ContentEncoding[]): ContentEncoding[] {
  const accepted = parseAcceptEncoding(header);
  const star = accepted.get('*');
  const qualityOf = (coding: ContentEncoding) => accepted.get(coding) ?? (coding === 'identity' ? 1 : (star ?? 0));
  const order: ContentEncoding[] = ['br', 'gzip'];
  const chosen = order.filter((coding) => available.includes(coding) && qualityOf(coding) > 0);
  chosen.sort((a, b) => qualityOf(b) - qualityOf(a));
  return [...chosen, 'identity'];
}
