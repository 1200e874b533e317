// cognito-local answers InitiateAuth for a user awaiting a new password with NEW_PASSWORD_REQUIRED
// whatever password was sent (design.md), so the local hosted UI checks the temporary password
// against cognito-local's own store: one JSON file per pool, `Users.<username>.Password` in clear.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash, timingSafeEqual } from 'node:crypto';

interface StoredPool {
  Users?: Record<string, { Password?: string }>;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

async function readPool(file: string): Promise<StoredPool> {
  // cognito-local rewrites the whole file on each change; a read can catch it half-written.
  for (let attempt = 0; ; attempt += 1) {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as StoredPool;
    } catch (error) {
      if (attempt >= 3 || !(error instanceof SyntaxError)) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

export function createStoredPasswordCheck(dbDir: string, userPoolId: string): (username: string, password: string) => Promise<boolean> {
  const file = join(dbDir, `${userPoolId}.json`);
  return async (username, password) => {
    const stored = (await readPool(file)).Users?.[username]?.Password;
    return stored !== undefined && timingSafeEqual(digest(stored), digest(password));
  };
}
