import { describe, expect, it, vi } from 'vitest';
import type { HandleStore, KeptHandle } from '../../../web/src/shared/file-handle-store.js';
import { keepFileHandles, type HandlesUppy } from '../../../web/src/shared/file-handles.js';

type File_ = { id: string; name?: string; data?: unknown; isGhost?: boolean; meta: { relativePath?: unknown } };

/** Uppy after Golden Retriever restored two large files as ghosts (and one small file whole). */
function restoredUppy() {
  const files: Record<string, File_> = {
    'uppy-a.bin-1000-1': { id: 'uppy-a.bin-1000-1', name: 'a.bin', isGhost: true, meta: {} },
    'uppy-b.bin-2000-2': { id: 'uppy-b.bin-2000-2', name: 'b.bin', isGhost: true, meta: {} },
    'uppy-c.txt-5-3': { id: 'uppy-c.txt-5-3', name: 'c.txt', isGhost: false, data: new Blob(['hello']), meta: {} },
  };
  const handlers = new Map<string, Set<(file?: File_) => void>>();
  const emitted: string[] = [];
  const uppy: HandlesUppy = {
    getFiles: () => Object.values(files),
    getState: () => ({ files, recoveredState: {} }),
    addFile(file) {
      const id = `uppy-${file.name}-${file.data.size}-${file.data.lastModified}`;
      // As Uppy replaces a ghost's data when the same file comes back.
      files[id] = { ...(files[id] ?? { id, meta: {} }), name: file.name, data: file.data, isGhost: false };
      for (const handler of handlers.get('file-added') ?? []) handler(files[id]);
      return id;
    },
    addFiles: () => {},
    emit: (event) => void emitted.push(event),
    on: (event, handler) => handlers.set(event, (handlers.get(event) ?? new Set()).add(handler)),
    off: (event, handler) => handlers.get(event)?.delete(handler),
    log: () => {},
  };
  const fire = (event: string, file?: File_) => handlers.get(event)?.forEach((handler) => handler(file));
  const subscribed = () => [...handlers].flatMap(([event, set]) => [...set].map(() => event)).sort();
  return { uppy, files, emitted, fire, subscribed };
}

/**
 * A handle as Chromium keeps it: the file behind it, and its read permission. requestPermission answers
 * at once for a handle already granted, and otherwise prompts (recorded) and answers what the person
 * chose, or what `answer` returns when a test decides when the person answers.
 */
function handle(name: string, size: number, lastModified: number, permission: { state: PermissionState; prompt?: PermissionState; answer?: () => Promise<PermissionState> }) {
  const asked: string[] = [];
  const file = new File([new Uint8Array(size)], name, { lastModified });
  const fileHandle = {
    kind: 'file',
    name,
    getFile: async () => file,
    queryPermission: async () => (asked.push('query'), permission.state),
    requestPermission: (): Promise<PermissionState> => {
      asked.push('request');
      if (permission.state === 'granted') return Promise.resolve('granted');
      asked.push('prompt');
      return permission.answer?.() ?? Promise.resolve(permission.prompt ?? 'denied');
    },
  } as unknown as FileSystemFileHandle;
  return { fileHandle, file, asked };
}

function memoryStore(entries: KeptHandle[]): HandleStore & { kept: Map<string, KeptHandle> } {
  const kept = new Map(entries.map((e) => [e.fileId, e]));
  return {
    kept,
    put: async (entry) => void kept.set(entry.fileId, entry),
    delete: async (fileId) => void kept.delete(fileId),
    list: async () => new Map(kept),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The handle the page kept when a restored file was chosen (as it was then), with the handle it finds now. */
function keptWhenChosen(name: 'a.bin' | 'b.bin', fileHandle: FileSystemFileHandle): KeptHandle {
  const chosen = name === 'a.bin' ? { fileId: 'uppy-a.bin-1000-1', size: 1000, lastModified: 1 } : { fileId: 'uppy-b.bin-2000-2', size: 2000, lastModified: 2 };
  return { ...chosen, handle: fileHandle, name };
}

/**
 * A reload with kept handles: Uppy restored a.bin and b.bin as ghosts, the store keeps the handles
 * `a` and `b` for them (and any `others`), and keepFileHandles has seen Golden Retriever's `restored`.
 * `seen` lists every count of restorable files the page was told, from before the reload's restore.
 */
async function restoredWithHandles(a: FileSystemFileHandle, b: FileSystemFileHandle, others: KeptHandle[] = []) {
  const restored = restoredUppy();
  const store = memoryStore([keptWhenChosen('a.bin', a), keptWhenChosen('b.bin', b), ...others]);
  const resume = keepFileHandles(restored.uppy, new EventTarget(), 'customer-acme', store);
  const seen: number[] = [];
  resume.subscribe((n) => seen.push(n));
  restored.fire('restored');
  await settle();
  return { ...restored, store, resume, seen };
}

describe('resuming from kept file handles after a reload', () => {
  it('offers the ghosts that have a handle, asks permission on the click, and resumes when none is missing', async () => {
    const a = handle('a.bin', 1000, 1, { state: 'prompt', prompt: 'granted' });
    const b = handle('b.bin', 2000, 2, { state: 'granted' });
    const gone: KeptHandle = { fileId: 'uppy-gone-1-1', handle: a.fileHandle, name: 'gone', size: 1, lastModified: 1 };
    const { files, emitted, fire, store, resume, seen } = await restoredWithHandles(a.fileHandle, b.fileHandle, [gone]);
    expect(resume.restorable).toBe(2);
    expect([...store.kept.keys()]).toEqual(['uppy-a.bin-1000-1', 'uppy-b.bin-2000-2']); // a file no longer in Uppy: forgotten

    expect(await resume.resume()).toEqual({ restored: 2, refused: [] });
    expect(a.asked).toEqual(['request', 'prompt']); // asked once, on the click
    expect(b.asked).toEqual(['request']); // still granted: answered without a prompt
    expect(files['uppy-a.bin-1000-1']).toMatchObject({ isGhost: false, data: expect.any(File) });
    expect(resume.restorable).toBe(0);
    expect(seen.at(-1)).toBe(0);
    expect(emitted).toEqual(['restore-confirmed']);

    fire('upload-success', files['uppy-a.bin-1000-1']);
    await settle();
    expect([...store.kept.keys()]).toEqual(['uppy-b.bin-2000-2']);
  });

  it('leaves a file whose permission is refused, or that changed since, to be chosen again, and does not resume yet', async () => {
    const a = handle('a.bin', 1000, 1, { state: 'prompt', prompt: 'denied' });
    const b = handle('b.bin', 2000, 99, { state: 'granted' }); // modified since it was chosen
    const { files, emitted, resume } = await restoredWithHandles(a.fileHandle, b.fileHandle);
    expect(await resume.resume()).toEqual({ restored: 0, refused: ['a.bin', 'b.bin'] });
    expect(files['uppy-a.bin-1000-1']!.isGhost).toBe(true);
    expect(Object.keys(files)).toHaveLength(3); // the changed file was not added as a new one
    expect(emitted).toEqual([]);
  });

  it("asks for every file's permission within the click, before the person has answered any prompt", async () => {
    const answers: ((state: PermissionState) => void)[] = [];
    const later = () => new Promise<PermissionState>((resolve) => answers.push(resolve));
    const a = handle('a.bin', 1000, 1, { state: 'prompt', answer: later });
    const b = handle('b.bin', 2000, 2, { state: 'prompt', answer: later });
    const { files, emitted, resume } = await restoredWithHandles(a.fileHandle, b.fileHandle);

    const done = resume.resume();
    // Synchronously, in the click's task: both prompts are up, none answered yet.
    expect([a.asked, b.asked]).toEqual([
      ['request', 'prompt'],
      ['request', 'prompt'],
    ]);
    expect(answers).toHaveLength(2);
    answers[1]!('granted'); // the person answers the second prompt first
    await settle();
    answers[0]!('granted');
    expect(await done).toEqual({ restored: 2, refused: [] });
    expect([files['uppy-a.bin-1000-1']!.isGhost, files['uppy-b.bin-2000-2']!.isGhost]).toEqual([false, false]);
    expect(emitted).toEqual(['restore-confirmed']);
  });

  it('counts a permission request that fails as refused, and still asks for the others', async () => {
    const a = handle('a.bin', 1000, 1, { state: 'prompt', answer: () => Promise.reject(new DOMException('not allowed', 'SecurityError')) });
    const b = handle('b.bin', 2000, 2, { state: 'prompt', prompt: 'granted' });
    const { resume } = await restoredWithHandles(a.fileHandle, b.fileHandle);
    expect(await resume.resume()).toEqual({ restored: 1, refused: ['a.bin'] });
    expect(b.asked).toEqual(['request', 'prompt']);
  });

  it("keeps a dropped file's handle (asked for during the drop) under the Uppy file the drop became", async () => {
    // Node has no DragEvent: the little of one the drop handler reads.
    class FakeDragEvent extends Event {
      constructor(readonly dataTransfer: { items: { kind: string; getAsFileSystemHandle(): Promise<FileSystemHandle | null> }[] }) {
        super('drop');
      }
    }
    vi.stubGlobal('DragEvent', FakeDragEvent);
    try {
      const { uppy, fire } = restoredUppy();
      const dropped = handle('d.bin', 300, 7, { state: 'granted' });
      const store = memoryStore([]);
      const target = new EventTarget();
      keepFileHandles(uppy, target, 'customer-acme', store);
      let askedDuringDrop = false;
      target.dispatchEvent(
        new FakeDragEvent({
          items: [
            { kind: 'string', getAsFileSystemHandle: async () => null },
            { kind: 'file', getAsFileSystemHandle: () => ((askedDuringDrop = true), Promise.resolve(dropped.fileHandle)) },
          ],
        }),
      );
      expect(askedDuringDrop).toBe(true); // during the event: later the browser no longer hands it out
      await settle();
      // The Dashboard adds the dropped file a moment later.
      fire('file-added', { id: 'uppy-d.bin-300-7', name: 'd.bin', data: dropped.file, meta: {} });
      await settle();
      expect(store.kept.get('uppy-d.bin-300-7')).toMatchObject({ handle: dropped.fileHandle, name: 'd.bin', size: 300, lastModified: 7 });
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('does nothing where the browser has no File System Access API', async () => {
    const { uppy } = restoredUppy();
    const resume = keepFileHandles(uppy, new EventTarget(), 'customer-acme');
    expect(resume.restorable).toBe(0);
    expect(await resume.resume()).toEqual({ restored: 0, refused: [] });
  });

  it('stop() unsubscribes every handler it subscribed, from Uppy and from the page', () => {
    const restored = restoredUppy();
    const listening: string[] = [];
    // Records the page's listeners as the browser holds them: added, then removed with the same capture flag.
    class RecordingTarget extends EventTarget {
      override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions) {
        listening.push(`${type} capture=${options === true}`);
        super.addEventListener(type, listener, options);
      }
      override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions) {
        const at = listening.indexOf(`${type} capture=${options === true}`);
        if (at >= 0) listening.splice(at, 1);
        super.removeEventListener(type, listener, options);
      }
    }
    const resume = keepFileHandles(restored.uppy, new RecordingTarget(), 'customer-acme', memoryStore([]));
    expect(restored.subscribed()).toEqual(['file-added', 'file-removed', 'restored', 'upload-success']);
    expect(listening.sort()).toEqual(['click capture=true', 'drop capture=true']);
    resume.stop();
    expect(restored.subscribed()).toEqual([]);
    expect(listening).toEqual([]);
  });
});
