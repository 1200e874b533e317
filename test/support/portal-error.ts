// What a PortalError thrown by `fn` says: the one helper the tests use to assert a refusal. Anything
// else thrown is rethrown, so an unexpected crash fails the test instead of passing as "refused".
import type { ErrorCode } from '../../contract/errors.js';
import { isPortalError } from '../../lambdas/shared/errors.js';

export interface Refusal {
  status: number;
  code: ErrorCode;
  message: string;
}

const refusal = (error: unknown): Refusal => {
  if (!isPortalError(error)) throw error;
  return { status: error.status, code: error.code, message: error.message };
};

/** The refusal `fn` throws; undefined when it returns normally. */
export function refusalOf(fn: () => unknown): Refusal | undefined {
  try {
    fn();
  } catch (error) {
    return refusal(error);
  }
  return undefined;
}

/** The refusal the promise rejects with; undefined when it resolves. */
export async function refusalOfAsync(fn: () => Promise<unknown>): Promise<Refusal | undefined> {
  try {
    await fn();
  } catch (error) {
    return refusal(error);
  }
  return undefined;
}

/** "<status> <code>" of the refusal, or "ok" when `fn` returns normally. */
export function errorCode(fn: () => unknown): string {
  const found = refusalOf(fn);
  return found ? `${found.status} ${found.code}` : 'ok';
}
