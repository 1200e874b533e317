// Multipart uploads on disk (one folder per upload: its JSON, and a body + sidecar per part), mirrored in memory.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ChecksumAlgorithm, ChecksumType, ObjectChecksum } from './checksums.js';
import { S3Error } from './errors.js';
import { ensureDir, isNotFound, randomName, removeQuietly, removeTree, writeJsonAtomic } from './fs-util.js';
import { KeyedMutex } from './key-lock.js';
import type { ObjectHeaders } from './object-store.js';
import type { Tag } from './tagging.js';

export interface UploadMeta extends ObjectHeaders {
  uploadId: string;
  key: string;
  initiated: string;
  userMeta: Record<string, string>;
  checksumAlgorithm?: ChecksumAlgorithm;
  /** Absent in uploads stored before types were: S3's default for the algorithm applies. */
  checksumType?: ChecksumType;
  /** From x-amz-tagging at create; the object gets them at completion. */
  tags?: Tag[];
}

export interface PartMeta {
  partNumber: number;
  etag: string;
  size: number;
  lastModified: string;
  blob: string;
  checksum?: ObjectChecksum;
}

/** What a completion answered, to answer a retry the same way. */
export interface CompletedUpload {
  key: string;
  etag: string;
  checksum?: ObjectChecksum;
  checksumType?: ChecksumType;
}

export class Upload {
  readonly parts = new Map<number, PartMeta>();
  /** Set while CompleteMultipartUpload runs: parts are frozen and retries wait for the outcome. */
  completion: Promise<unknown> | undefined;
  removed = false;
  /** Part commits in progress; completion and removal wait for them instead of locking out parallel parts. */
  readonly committing = new Set<Promise<unknown>>();

  constructor(
    readonly meta: UploadMeta,
    readonly dir: string,
  ) {}

  get id(): string {
    return this.meta.uploadId;
  }

  partPath(part: PartMeta): string {
    return join(this.dir, part.blob);
  }

  async settled(): Promise<void> {
    await Promise.allSettled([...this.committing]);
  }

  sortedParts(): PartMeta[] {
    return [...this.parts.values()].sort((a, b) => a.partNumber - b.partNumber);
  }
}

const partName = (n: number): string => `part-${String(n).padStart(5, '0')}`;
const MAX_REMEMBERED_COMPLETIONS = 1000;

export class UploadStore {
  private readonly uploads = new Map<string, Upload>();
  private readonly completed = new Map<string, CompletedUpload>();
  private readonly locks = new KeyedMutex();
  readonly root: string;

  constructor(bucketDir: string) {
    this.root = join(bucketDir, 'uploads');
  }

  get(uploadId: string): Upload | undefined {
    return this.uploads.get(uploadId);
  }

  all(): Upload[] {
    return [...this.uploads.values()];
  }

  /** A just-completed upload, so a retried CompleteMultipartUpload gets the same answer instead of NoSuchUpload. */
  completedResult(uploadId: string): CompletedUpload | undefined {
    return this.completed.get(uploadId);
  }

  async create(meta: Omit<UploadMeta, 'uploadId'>): Promise<Upload> {
    const uploadId = randomBytes(32).toString('base64url');
    const upload = new Upload({ ...meta, uploadId }, join(this.root, uploadId));
    await ensureDir(upload.dir);
    await writeJsonAtomic(join(upload.dir, 'upload.json'), upload.meta);
    this.uploads.set(uploadId, upload);
    return upload;
  }

  /** A fresh body file for a part, inside the upload's folder (removed with it on abort). */
  newPartBlob(upload: Upload, partNumber: number): string {
    return join(upload.dir, `${partName(partNumber)}.${randomName()}.blob`);
  }

  /** Commits a newPartBlob() file; a re-sent part number replaces the earlier one, as in S3. */
  async putPart(upload: Upload, part: Omit<PartMeta, 'blob'>, blobFile: string): Promise<PartMeta> {
    // Checked and registered in one synchronous step, so remove() and completion either see this commit or refuse it.
    if (upload.removed) throw new S3Error('NoSuchUpload', undefined, { UploadId: upload.id });
    if (upload.completion) throw new S3Error('OperationAborted');
    const work = this.locks.run(`${upload.id}/${part.partNumber}`, async () => {
      const meta: PartMeta = { ...part, blob: basename(blobFile) };
      await writeJsonAtomic(join(upload.dir, `${partName(part.partNumber)}.json`), meta, { createDir: false });
      const previous = upload.parts.get(part.partNumber);
      upload.parts.set(part.partNumber, meta);
      if (previous) await removeQuietly(upload.partPath(previous));
      return meta;
    });
    upload.committing.add(work);
    try {
      return await work;
    } finally {
      upload.committing.delete(work);
    }
  }

  /** Deletes the upload and its parts (abort, or cleanup after completion). */
  async remove(upload: Upload, completed?: CompletedUpload): Promise<void> {
    upload.removed = true;
    this.uploads.delete(upload.id);
    if (completed) {
      this.completed.set(upload.id, completed);
      if (this.completed.size > MAX_REMEMBERED_COMPLETIONS) this.completed.delete(this.completed.keys().next().value!);
    }
    await upload.settled();
    await removeTree(upload.dir);
  }

  /** Synchronous for the same reason as BucketStore.load: it runs once, before the server listens. */
  load(): void {
    mkdirSync(this.root, { recursive: true });
    for (const id of readdirSync(this.root)) {
      const dir = join(this.root, id);
      let meta: UploadMeta;
      try {
        meta = JSON.parse(readFileSync(join(dir, 'upload.json'), 'utf8')) as UploadMeta;
      } catch (error) {
        // A crash during CreateMultipartUpload leaves a folder without upload.json: no upload id was ever returned.
        if (!isNotFound(error) && !(error instanceof SyntaxError)) throw error;
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      if (meta.uploadId !== id) continue;
      const upload = new Upload(meta, dir);
      const entries = readdirSync(dir);
      for (const entry of entries.filter((e) => /^part-\d{5}\.json$/.test(e))) {
        try {
          const part = JSON.parse(readFileSync(join(dir, entry), 'utf8')) as PartMeta;
          upload.parts.set(part.partNumber, part);
        } catch {
          // unreadable part sidecar: the part counts as never uploaded
        }
      }
      const referenced = new Set([...upload.parts.values()].map((p) => p.blob));
      for (const entry of entries) {
        const keep = entry === 'upload.json' || /^part-\d{5}\.json$/.test(entry) || referenced.has(entry);
        if (!keep) rmSync(join(dir, entry), { force: true });
      }
      this.uploads.set(id, upload);
    }
  }
}
