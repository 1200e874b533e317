// Files beyond the login's open uploads wait and start by themselves (upload-slots.ts), with the real
// @uppy/core and @uppy/aws-s3 5.1.0 wired as uploader.ts wires them and a fake uploads API that
// refuses a create beyond its cap with 429 too_many_open_uploads, as the uploads Lambda does.
import Uppy, { type Meta } from '@uppy/core';
import AwsS3, { type AwsBody, type AwsS3Options } from '@uppy/aws-s3';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../web/src/shared/api-client.js';
import { waitForUploadSlots, type UploadSlotOptions } from '../../../web/src/shared/upload-slots.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function portal(options: { cap: number; queueSlots: number; files: number; slots?: UploadSlotOptions }) {
  const quiet = () => undefined;
  const uppy = new Uppy<Meta, AwsBody>({ id: `slots-${Math.random()}`, logger: { debug: quiet, warn: quiet, error: quiet } });
  const open = new Set<string>();
  const calls = { creates: 0, refused: 0, completes: 0, mostOpen: 0, errors: [] as string[] };
  const slots = waitForUploadSlots(uppy, { delaysMs: [50], ...options.slots });
  const s3: AwsS3Options<Meta, AwsBody> = {
    limit: options.queueSlots,
    retryDelays: [],
    shouldUseMultipart: true,
    createMultipartUpload: async (file) => {
      const uploadId = `up-${++calls.creates}`;
      await pause(5);
      try {
        if (open.size >= options.cap) {
          calls.refused++;
          throw new ApiError(429, 'too_many_open_uploads', 'You have the most unfinished uploads allowed at once.');
        }
      } catch (error) {
        slots.waitIfRefused(file.id, error);
        throw error;
      }
      slots.started(file.id);
      open.add(uploadId);
      calls.mostOpen = Math.max(calls.mostOpen, open.size);
      return { key: `uploads/acme/${file.name}`, uploadId };
    },
    signPart: async (_file, { uploadId, partNumber }) => ({ method: 'PUT', url: `https://s3.test/${uploadId}/${partNumber}` }),
    uploadPartBytes: async ({ size, onProgress, onComplete }) => {
      await pause(30);
      onProgress({ loaded: size, lengthComputable: true });
      onComplete('"e1"');
      return { ETag: '"e1"' };
    },
    listParts: async () => [],
    completeMultipartUpload: async (_file, { uploadId }) => {
      calls.completes++;
      open.delete(uploadId);
      return { location: `https://s3.test/${uploadId}` };
    },
    abortMultipartUpload: async (_file, { uploadId }) => {
      if (uploadId) open.delete(uploadId);
    },
  };
  uppy.use(AwsS3<Meta, AwsBody>, s3);
  uppy.on('upload-error', (_file, error) => calls.errors.push(error.message));
  const ids = Array.from({ length: options.files }, (_, i) => uppy.addFile({ name: `f${i}.bin`, type: 'application/octet-stream', data: new Blob([new Uint8Array(1024)]) }));
  return { uppy, slots, calls, ids };
}

describe('files beyond the open uploads a login may have', () => {
  it('wait, paused, and start by themselves as others finish: 4 files under a cap of 2 all complete, no failure reported', async () => {
    const { uppy, slots, calls } = portal({ cap: 2, queueSlots: 6, files: 4 });
    const waited = new Set<string>();
    const sample = setInterval(() => slots.waiting().forEach((f) => waited.add(f.name)), 2);
    const result = await uppy.upload();
    clearInterval(sample);
    expect([...waited].sort()).toEqual(['f2.bin', 'f3.bin']);
    expect(result?.successful).toHaveLength(4);
    expect(result?.failed ?? []).toHaveLength(0);
    expect(calls).toMatchObject({ completes: 4, mostOpen: 2, errors: [] });
    expect(calls.refused).toBeGreaterThan(0);
    expect(slots.waiting()).toEqual([]);
    slots.stop();
  });

  it("never hold one of the plugin's request slots while they wait: with a single slot and a cap of 1, both files complete", async () => {
    const { uppy, slots, calls } = portal({ cap: 1, queueSlots: 1, files: 2 });
    const result = await Promise.race([uppy.upload(), pause(5_000).then(() => 'stuck' as const)]);
    expect(result).not.toBe('stuck');
    expect(calls).toMatchObject({ completes: 2, errors: [] });
    slots.stop();
  });

  it('report the refusal like any failure once they have waited the longest they may', async () => {
    const { uppy, slots, calls } = portal({ cap: 1, queueSlots: 6, files: 2, slots: { maxWaitMs: 0 } });
    const result = await uppy.upload();
    expect(result?.successful).toHaveLength(1);
    expect(result?.failed).toHaveLength(1);
    expect(calls.errors).toEqual(['You have the most unfinished uploads allowed at once.']);
    expect(slots.waiting()).toEqual([]);
    slots.stop();
  });

  it('stay paused once the person pauses everything: nothing resumes them behind their back', async () => {
    const { uppy, slots, calls, ids } = portal({ cap: 1, queueSlots: 6, files: 2, slots: { delaysMs: [10] } });
    void uppy.upload();
    await pause(15);
    expect(slots.waiting()).toHaveLength(1);
    uppy.pauseAll();
    const createsWhenPaused = calls.creates;
    await pause(150);
    expect(calls.creates).toBe(createsWhenPaused);
    expect(slots.waiting()).toEqual([]);
    expect(ids.every((id) => uppy.getFile(id).isPaused || uppy.getFile(id).progress.uploadComplete)).toBe(true);
    slots.stop();
  });
});
