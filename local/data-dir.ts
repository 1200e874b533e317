// Local state that must survive a restart (keys, generated passwords, pool ids) lives as small JSON
// files in the data folder, so a second `npm start` reuses sessions, accounts and uploads.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';

export async function readJsonFile<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Writes via a temporary file and a rename, so a crash never leaves half a file behind. Owner-only: it holds secrets. */
export async function writeJsonFile(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

/** Returns the saved value, or creates, saves and returns it. `isValid` rejects files from an older layout. */
export async function loadOrCreateJson<T>(file: string, create: () => T | Promise<T>, isValid: (value: unknown) => boolean = () => true): Promise<T> {
  const saved = await readJsonFile<T>(file);
  if (saved !== undefined && isValid(saved)) return saved;
  const created = await create();
  await writeJsonFile(file, created);
  return created;
}
