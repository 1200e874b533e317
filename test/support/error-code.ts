// Runs a function expected to throw a PortalError and returns "<status> <code>", or "ok" when it returns.
import { isPortalError } from '../../lambdas/shared/errors.js';

export function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isPortalError(error)) return `${error.status} ${error.code}`;
    throw error;
  }
  return 'ok';
}
