// Objects on disk (body file + JSON sidecar per key, named by key hash) mirrored in memory for lookups and listing.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ChecksumType, ObjectChecksum } from './checksums.js';
import { S3Error } from './errors.js';
import { ensureDir, isNotFound, markDirKnown, randomName, removeQuietly, writeJsonAtomic } from './fs-util.js';
import { KeyIndex } from './key-index.js';
import { KeyedMutex } from './key-lock.js';
import { nextSequencer, observeSequencer } from './sequencer.js';
import type { Tag } from './tagging.js';

/** Representation headers stored with an object; values are kept as received on the wire (latin1 strings). */
export interface ObjectHeaders {
  contentType: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: string;
}

export interface ObjectAttributes extends ObjectHeaders {
  size: number;
  /** Quoted, as S3 returns it. */
  etag: string;
  /** ISO date, whole seconds (S3's Last-Modified has second resolution). */
  lastModified: string;
  /** Lower-case names without the x-amz-meta- prefix. */
  userMeta: Record<string, string>;
  partsCount?: number;
  checksum?: ObjectChecksum;
  /** Absent in sidecars written before types were stored: those are FULL_OBJECT (single PUTs). */
  checksumType?: ChecksumType;
  tags?: Tag[];
}

export interface ObjectMeta extends ObjectAttributes {
  key: string;
  /** File name of the body, next to the sidecar; unique per version so a replace never exposes a torn body. */
  blob: string;
  /**
   * Of the change that wrote this sidecar (an event's `sequencer`); kept so later ones stay greater after a restart.
   * Absent in sidecars written before sequencers existed.
   */
  sequencer?: string;
}

/** What a commit returns: always with the sequencer of that commit. */
export type CommittedMeta = ObjectMeta & { sequencer: string };

export interface Deletion {
  deleted: ObjectMeta;
  /** Of the deletion itself. */
  sequencer: string;
}

export type Precondition = (existing: ObjectMeta | undefined) => void;

export function keyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export class BucketStore {
  private readonly objects = new Map<string, ObjectMeta>();
  readonly index = new KeyIndex((key) => this.objects.has(key));
  private readonly locks = new KeyedMutex();
  readonly objectsDir: string;

  constructor(
    readonly name: string,
    readonly dir: string,
  ) {
    this.objectsDir = join(dir, 'objects');
  }

  get(key: string): ObjectMeta | undefined {
    return this.objects.get(key);
  }

  get size(): number {
    return this.objects.size;
  }

  private dirFor(hash: string): string {
    return join(this.objectsDir, hash.slice(0, 2));
  }

  blobPath(meta: ObjectMeta): string {
    return join(this.dirFor(meta.blob.slice(0, 64)), meta.blob);
  }

  /**
   * A fresh body file for `key`, written in place: it stays invisible until put() names it in the sidecar, and load()
   * deletes it if that never happens (crash, or a caller that failed to clean up).
   */
  async newBlob(key: string): Promise<string> {
    const hash = keyHash(key);
    const dir = this.dirFor(hash);
    await ensureDir(dir);
    return join(dir, `${hash}.${randomName()}.blob`);
  }

  /**
   * Makes a fully written newBlob() file the current body of `key`. The sidecar rename is the commit point; `check`
   * runs under the key's lock so conditional writes cannot race. On failure the blob file is the caller's to delete.
   */
  async put(key: string, blobFile: string, attributes: ObjectAttributes, check?: Precondition): Promise<CommittedMeta> {
    return this.locks.run(key, async () => {
      const existing = this.objects.get(key);
      check?.(existing);
      const hash = keyHash(key);
      const meta: CommittedMeta = { ...attributes, key, blob: basename(blobFile), sequencer: nextSequencer() };
      await writeJsonAtomic(join(this.dirFor(hash), `${hash}.json`), meta, { createDir: false });
      this.objects.set(key, meta);
      if (existing) await removeQuietly(this.blobPath(existing));
      else this.index.add(key);
      return meta;
    });
  }

  /** Evaluates a precondition against the current object without writing (to fail before receiving a body). */
  check(key: string, check: Precondition): void {
    check(this.objects.get(key));
  }

  /** Removes `key`; undefined when there was nothing to delete. */
  async delete(key: string): Promise<Deletion | undefined> {
    return this.locks.run(key, async () => {
      const existing = this.objects.get(key);
      if (!existing) return undefined;
      try {
        await unlink(join(this.dirFor(keyHash(key)), `${keyHash(key)}.json`));
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      this.objects.delete(key);
      this.index.remove();
      await removeQuietly(this.blobPath(existing));
      return { deleted: existing, sequencer: nextSequencer() };
    });
  }

  /** Replaces the tag set of the current version (an empty list removes them); NoSuchKey when there is none. */
  async setTags(key: string, tags: Tag[]): Promise<CommittedMeta> {
    return this.locks.run(key, async () => {
      const existing = this.objects.get(key);
      if (!existing) throw new S3Error('NoSuchKey', undefined, { Key: key });
      const meta: CommittedMeta = { ...existing, tags: tags.length ? tags : undefined, sequencer: nextSequencer() };
      const hash = keyHash(key);
      await writeJsonAtomic(join(this.dirFor(hash), `${hash}.json`), meta, { createDir: false });
      this.objects.set(key, meta);
      return meta;
    });
  }

  /** Opens the current body; retried once because a concurrent replace may unlink the version just looked up. */
  async openBody(key: string): Promise<{ meta: ObjectMeta; handle: FileHandle }> {
    for (let attempt = 0; ; attempt++) {
      const meta = this.objects.get(key);
      if (!meta) throw new S3Error('NoSuchKey', undefined, { Key: key });
      try {
        return { meta, handle: await open(this.blobPath(meta), 'r') };
      } catch (error) {
        if (!isNotFound(error) || attempt >= 2) throw error;
      }
    }
  }

  /**
   * Rebuilds the in-memory state from sidecars and removes bodies no sidecar references (crash leftovers). Runs before
   * the server listens, so it reads synchronously: no thread-pool round trip per file, about 5x faster at 100k keys.
   */
  load(): void {
    mkdirSync(this.objectsDir, { recursive: true });
    const bodies: string[] = [];
    const referenced = new Set<string>();
    for (const fan of readdirSync(this.objectsDir)) {
      const dir = join(this.objectsDir, fan);
      // Known to exist, so writes skip the mkdir; missing fan-out folders are created on first use.
      markDirKnown(dir);
      let entries: string[];
      try {
        entries = readdirSync(dir);
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (!entry.endsWith('.json')) {
          bodies.push(join(dir, entry));
          continue;
        }
        try {
          const meta = JSON.parse(readFileSync(join(dir, entry), 'utf8')) as ObjectMeta;
          if (typeof meta.key !== 'string' || `${keyHash(meta.key)}.json` !== entry) continue;
          this.objects.set(meta.key, meta);
          referenced.add(meta.blob);
          if (typeof meta.sequencer === 'string') observeSequencer(meta.sequencer);
        } catch {
          // unreadable sidecar: the object is treated as absent
        }
      }
    }
    for (const path of bodies) if (!referenced.has(basename(path))) rmSync(path, { force: true });
    this.index.load([...this.objects.keys()]);
  }
}
