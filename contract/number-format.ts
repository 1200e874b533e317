// Whole numbers as the portal's messages print them, with a comma between thousands (1,048,576), the
// same text on every server and in every message. Not Number.prototype.toLocaleString: its first call
// loads ICU's number formatting, about 25 ms of a Lambda's cold start when a module's top level (the
// error catalogue's messages) calls it.

/** `n` with its thousands grouped by commas, e.g. 5368709120 -> "5,368,709,120"; other numbers as String(n). */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n);
  return (n < 0 ? '-' : '') + String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** "1,024 bytes". */
export const formatByteCount = (bytes: number): string => `${formatCount(bytes)} bytes`;
