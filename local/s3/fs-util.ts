// File-system helpers: documents are replaced by rename from a unique temp name, so readers never see a torn file.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export function randomName(): string {
  return randomBytes(12).toString('hex');
}

const knownDirs = new Set<string>();

export async function ensureDir(dir: string): Promise<void> {
  if (knownDirs.has(dir)) return;
  await mkdir(dir, { recursive: true });
  knownDirs.add(dir);
}

export function markDirKnown(dir: string): void {
  knownDirs.add(dir);
}

/** Forgets cached directories below `root` (after it was deleted) so they get recreated. */
export function forgetDirs(root: string): void {
  for (const dir of knownDirs) if (dir === root || dir.startsWith(`${root}/`)) knownDirs.delete(dir);
}

/** Writes JSON so that readers see either the old or the new document, never a torn one. */
export async function writeJsonAtomic(path: string, value: unknown, options: { createDir?: boolean } = {}): Promise<void> {
  if (options.createDir !== false) await ensureDir(dirname(path));
  const tmp = `${path}.${randomName()}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify(value));
    await rename(tmp, path);
  } catch (error) {
    await removeQuietly(tmp);
    throw error;
  }
}

export async function removeQuietly(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch {
    // already gone, or never created
  }
}

export async function removeTree(path: string): Promise<void> {
  forgetDirs(path);
  // Retried: a request still writing into the folder can make one pass find it non-empty.
  await rm(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
}

export function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
