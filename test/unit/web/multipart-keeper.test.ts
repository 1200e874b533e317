import Uppy, { type Meta } from '@uppy/core';
import AwsS3, { type AwsBody, type AwsS3Options } from '@uppy/aws-s3';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../web/src/shared/api-client.js';
import { DifferentFileError } from '../../../web/src/shared/stored-part-check.js';
import { keepMultipartUploads, shouldAbortOnS3, type KeeperUppy, type KeptFile, type MultipartIds } from '../../../web/src/shared/multipart-keeper.js';
import { MiB } from '../../../contract/limits.js';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Just enough Uppy: files by id and an event emitter that calls listeners in the order they came. */
class FakeUppy implements KeeperUppy {
  files = new Map<string, KeptFile>();
  #listeners: [string, (file?: KeptFile, error?: unknown) => void][] = [];
  getFile = (id: string) => this.files.get(id);
  getFiles = () => [...this.files.values()];
  setFileState(id: string, state: Partial<KeptFile>) {
    this.files.set(id, { ...this.files.get(id)!, ...state });
  }
  on(event: string, handler: (file?: KeptFile, error?: unknown) => void) {
    this.#listeners.push([event, handler]);
  }
  off(event: string, handler: (file?: KeptFile, error?: unknown) => void) {
    this.#listeners = this.#listeners.filter(([e, h]) => e !== event || h !== handler);
  }
  emit(event: string, file?: KeptFile, error?: unknown) {
    for (const [e, h] of [...this.#listeners]) if (e === event) h(file, error);
  }
  /** Uppy's removeFiles: out of the state first, then the event with the last snapshot. */
  remove(id: string) {
    const file = this.files.get(id);
    this.files.delete(id);
    this.emit('file-removed', file);
  }
  /** What @uppy/aws-s3's abortFileUpload does to a file's ids. */
  clearIds(id: string) {
    this.setFileState(id, { s3Multipart: { key: undefined, uploadId: undefined } });
  }
}

function setup() {
  const uppy = new FakeUppy();
  const aborts: MultipartIds[] = [];
  const keeper = keepMultipartUploads(uppy, async (ids) => aborts.push(ids));
  const ids = { key: 'uploads/acme/big.bin', uploadId: 'up-1' };
  uppy.files.set('f1', { id: 'f1', s3Multipart: ids, progress: {} });
  keeper.remember('f1', ids);
  return { uppy, keeper, aborts, ids };
}

describe('keeping multipart uploads until the person cancels', () => {
  it('aborts on S3 only for a cancel, never for a failure', () => {
    expect(shouldAbortOnS3('cancelled')).toBe(true);
    expect(shouldAbortOnS3('failed')).toBe(false);
  });

  it('keeps a failed upload and puts its key and upload id back on the file', async () => {
    const { uppy, keeper, aborts, ids } = setup();
    uppy.clearIds('f1');
    await keeper.abortMultipartUpload({ id: 'f1' }, ids);
    uppy.emit('upload-error', uppy.getFile('f1'));
    expect(aborts).toEqual([]);
    expect(uppy.getFile('f1')!.s3Multipart).toEqual(ids);
  });

  it('leaves the ids alone when Uppy kept them (a resumed upload that failed)', () => {
    const { uppy } = setup();
    const resumed = { key: 'uploads/acme/other.bin', uploadId: 'up-9' };
    uppy.setFileState('f1', { s3Multipart: resumed });
    uppy.emit('upload-error', uppy.getFile('f1'));
    expect(uppy.getFile('f1')!.s3Multipart).toEqual(resumed);
  });

  it('aborts once when the person removes a file, whether Uppy asks as well or not', async () => {
    const { uppy, keeper, aborts, ids } = setup();
    uppy.remove('f1');
    await keeper.abortMultipartUpload({ id: 'f1' }, ids);
    await flush();
    expect(aborts).toEqual([ids]);
  });

  it('aborts the upload of a failed file when it is removed (Uppy has no uploader left for it)', async () => {
    const { uppy, aborts, ids } = setup();
    uppy.clearIds('f1');
    uppy.emit('upload-error', uppy.getFile('f1'));
    uppy.remove('f1');
    await flush();
    expect(aborts).toEqual([ids]);
  });

  it('keeps the upload of a file refused as a different file when it is removed: its parts are not that file\'s to delete', async () => {
    const { uppy, keeper, aborts, ids } = setup();
    uppy.emit('upload-error', uppy.getFile('f1'), new DifferentFileError('big.bin', 2, 'not the file this upload began with'));
    uppy.remove('f1');
    await keeper.abortMultipartUpload({ id: 'f1' }, ids); // @uppy/aws-s3 asking as well
    await flush();
    expect(aborts).toEqual([]);
    // Another file removed meanwhile is still cancelled.
    const other = { key: 'uploads/acme/other.bin', uploadId: 'up-9' };
    uppy.files.set('f9', { id: 'f9', s3Multipart: other, progress: {} });
    uppy.remove('f9');
    await flush();
    expect(aborts).toEqual([other]);
  });

  it('cancels on removal again once the original file was added back after a refusal', async () => {
    const { uppy, aborts, ids } = setup();
    uppy.emit('upload-error', uppy.getFile('f1'), new DifferentFileError('big.bin', 2, 'not the file this upload began with'));
    uppy.emit('file-added', uppy.getFile('f1'));
    uppy.remove('f1');
    await flush();
    expect(aborts).toEqual([ids]);
  });

  it('on "Cancel all" reads the ids before Uppy clears them, also of uploads restored after a reload', async () => {
    const { uppy, aborts, ids } = setup();
    const restored = { key: 'uploads/acme/restored.bin', uploadId: 'up-2' };
    uppy.files.set('f2', { id: 'f2', s3Multipart: restored, progress: {} });
    uppy.files.set('f3', { id: 'f3', progress: {} }); // not started: nothing to abort
    uppy.files.set('f4', { id: 'f4', s3Multipart: { key: 'k4', uploadId: 'up-4' }, progress: { uploadComplete: true } });
    uppy.on('cancel-all', () => ['f1', 'f2'].forEach((id) => uppy.clearIds(id))); // @uppy/aws-s3, registered later
    uppy.emit('cancel-all');
    for (const id of ['f1', 'f2', 'f3', 'f4']) uppy.remove(id);
    await flush();
    expect(aborts).toEqual([ids, restored]);
  });

  it('forgets the cancel when the same file is added again', async () => {
    const { uppy, keeper, aborts } = setup();
    uppy.remove('f1');
    uppy.files.set('f1', { id: 'f1', progress: {} });
    uppy.emit('file-added', uppy.getFile('f1'));
    const again = { key: 'uploads/acme/big (2).bin', uploadId: 'up-3' };
    keeper.remember('f1', again);
    await keeper.abortMultipartUpload({ id: 'f1' }, again);
    expect(aborts.map((a) => a.uploadId)).toEqual(['up-1']);
  });

  it('stops listening', () => {
    const { uppy, keeper, ids } = setup();
    keeper.stop();
    uppy.clearIds('f1');
    uppy.emit('upload-error', uppy.getFile('f1'));
    expect(uppy.getFile('f1')!.s3Multipart).toEqual({ key: undefined, uploadId: undefined });
    expect(ids.uploadId).toBe('up-1');
  });
});

/**
 * The real @uppy/core and @uppy/aws-s3 5.1.0, wired as uploader.ts wires them, with a fake S3: checks
 * what the plugin really does with the ids (the defect was in its HTTPCommunicationQueue).
 */
function realUppy(options: { failPart?: number; failCompletes?: number } = {}) {
  const quiet = () => undefined;
  const uppy = new Uppy<Meta, AwsBody>({ id: `keeper-${Math.random()}`, logger: { debug: quiet, warn: quiet, error: quiet } });
  const stored = new Map<number, string>();
  const calls = { creates: 0, lists: 0, completes: 0, puts: [] as number[], aborts: [] as MultipartIds[] };
  let failPart = options.failPart;
  const keeper = keepMultipartUploads(uppy, async (ids) => calls.aborts.push(ids));
  const s3: AwsS3Options<Meta, AwsBody> = {
    limit: 2,
    retryDelays: [],
    shouldUseMultipart: true,
    getChunkSize: () => 5 * MiB,
    createMultipartUpload: async (file) => {
      calls.creates++;
      const ids = { key: `uploads/acme/f${calls.creates}.bin`, uploadId: `up-${calls.creates}` };
      keeper.remember(file.id, ids);
      return ids;
    },
    signPart: async (_file, { partNumber }) => ({ method: 'PUT', url: `https://s3.test/${partNumber}` }),
    uploadPartBytes: async ({ signature, size, onProgress, onComplete }) => {
      const partNumber = Number(signature.url.split('/').pop());
      calls.puts.push(partNumber);
      if (partNumber === failPart) {
        failPart = undefined;
        throw Object.assign(new Error('Non 2xx'), { source: { status: 500 } });
      }
      stored.set(partNumber, `"e${partNumber}"`);
      onProgress({ loaded: size, lengthComputable: true });
      onComplete(`"e${partNumber}"`);
      return { ETag: `"e${partNumber}"` };
    },
    listParts: async () => {
      calls.lists++;
      return [...stored].map(([PartNumber, ETag]) => ({ PartNumber, ETag }));
    },
    completeMultipartUpload: async () => {
      calls.completes++;
      if (calls.completes <= (options.failCompletes ?? 0)) throw new ApiError(409, 'parts_missing', 'S3 does not hold part 3 yet');
      return { location: 'https://s3.test/object' };
    },
    abortMultipartUpload: (file, ids) => keeper.abortMultipartUpload(file, ids),
  };
  uppy.use(AwsS3<Meta, AwsBody>, s3);
  const id = uppy.addFile({ name: 'big.bin', type: 'application/octet-stream', data: new Blob([new Uint8Array(12 * MiB)]) });
  const s3Multipart = () => {
    const file: KeptFile = uppy.getFile(id);
    return file.s3Multipart;
  };
  return { uppy, id, calls, s3Multipart };
}

describe('with the real @uppy/aws-s3', () => {
  it('a refused completion deletes nothing; the retry completes the same upload without sending a part again', async () => {
    const { uppy, id, calls, s3Multipart } = realUppy({ failCompletes: 1 });
    const first = await uppy.upload();
    expect(first?.failed).toHaveLength(1);
    await flush();
    expect(calls.aborts).toEqual([]);
    expect(s3Multipart()).toMatchObject({ key: 'uploads/acme/f1.bin', uploadId: 'up-1' });

    const second = await uppy.retryUpload(id);
    expect(second?.successful).toHaveLength(1);
    expect(calls).toMatchObject({ creates: 1, lists: 1, completes: 2, aborts: [] });
    expect(calls.puts.sort()).toEqual([1, 2, 3]);
  });

  it('a part that fails for good: the retry sends only that part', async () => {
    const { uppy, id, calls } = realUppy({ failPart: 2 });
    expect((await uppy.upload())?.failed).toHaveLength(1);
    await flush();
    expect(calls.aborts).toEqual([]);
    const sentBefore = calls.puts.length;
    expect((await uppy.retryUpload(id))?.successful).toHaveLength(1);
    expect(calls.puts.slice(sentBefore)).toEqual([2]);
    expect(calls).toMatchObject({ creates: 1, lists: 1, completes: 1 });
  });

  it('removing the failed file aborts its upload, once', async () => {
    const { uppy, id, calls } = realUppy({ failCompletes: 1 });
    await uppy.upload();
    uppy.removeFile(id);
    await flush();
    expect(calls.aborts).toEqual([{ key: 'uploads/acme/f1.bin', uploadId: 'up-1' }]);
  });
});
