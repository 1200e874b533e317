/** Why a signal aborted, as the error a waiter rejects with: the signal's own reason (fetch's contract) or an AbortError. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('Aborted', 'AbortError');
}
