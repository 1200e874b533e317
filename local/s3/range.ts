// Parses a single-range `Range: bytes=...` header the way S3 does (syntax errors ignored, unsatisfiable ranges refused).

export type RangeResult = { kind: 'none' } | { kind: 'range'; start: number; end: number } | { kind: 'unsatisfiable' };

export function parseRange(value: string | undefined, size: number): RangeResult {
  if (value === undefined) return { kind: 'none' };
  // Like S3: anything it cannot parse (multiple ranges, other units, b < a) is ignored and the whole object is sent.
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'none' };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return { kind: 'none' };
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = m[2] === '' ? size - 1 : Number(m[2]);
  return { kind: 'range', start, end: Math.min(end, size - 1) };
}
