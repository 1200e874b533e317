import { describe, expect, it } from 'vitest';
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
  return { uppy, files, emitted, fire };
}

/** A handle as Chromium keeps it: the file behind it, and the permission the browser answers. */
function handle(name: string, size: number, lastModified: number, permission: { query: PermissionState; request: PermissionState }) {
  const asked: string[] = [];
  const file = new File([new Uint8Array(size)], name, { lastModified });
  const fileHandle = {
    kind: 'file',
    name,
    getFile: async () => file,
    queryPermission: async () => (asked.push('query'), permission.query),
    requestPermission: async () => (asked.push('request'), permission.request),
  } as unknown as FileSystemFileHandle;
  return { fileHandle, asked };
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

describe('resuming from kept file handles after a reload', () => {
  it('offers the ghosts that have a handle, asks permission on the click, and resumes when none is missing', async () => {
    const { uppy, files, emitted, fire } = restoredUppy();
    const a = handle('a.bin', 1000, 1, { query: 'prompt', request: 'granted' });
    const b = handle('b.bin', 2000, 2, { query: 'granted', request: 'denied' });
    const store = memoryStore([
      { fileId: 'uppy-a.bin-1000-1', handle: a.fileHandle, name: 'a.bin', size: 1000, lastModified: 1 },
      { fileId: 'uppy-b.bin-2000-2', handle: b.fileHandle, name: 'b.bin', size: 2000, lastModified: 2 },
      { fileId: 'uppy-gone-1-1', handle: a.fileHandle, name: 'gone', size: 1, lastModified: 1 },
    ]);
    const resume = keepFileHandles(uppy, new EventTarget(), 'customer-acme', store);
    const seen: number[] = [];
    resume.subscribe((n) => seen.push(n));
    fire('restored');
    await settle();
    expect(resume.restorable).toBe(2);
    expect([...store.kept.keys()]).toEqual(['uppy-a.bin-1000-1', 'uppy-b.bin-2000-2']); // a file no longer in Uppy: forgotten

    expect(await resume.resume()).toEqual({ restored: 2, refused: [] });
    expect(a.asked).toEqual(['query', 'request']); // asked once, on the click
    expect(b.asked).toEqual(['query']); // still granted: not asked again
    expect(files['uppy-a.bin-1000-1']).toMatchObject({ isGhost: false, data: expect.any(File) });
    expect(resume.restorable).toBe(0);
    expect(seen.at(-1)).toBe(0);
    expect(emitted).toEqual(['restore-confirmed']);

    fire('upload-success', files['uppy-a.bin-1000-1']);
    await settle();
    expect([...store.kept.keys()]).toEqual(['uppy-b.bin-2000-2']);
  });

  it('leaves a file whose permission is refused, or that changed since, to be chosen again, and does not resume yet', async () => {
    const { uppy, files, emitted, fire } = restoredUppy();
    const a = handle('a.bin', 1000, 1, { query: 'prompt', request: 'denied' });
    const b = handle('b.bin', 2000, 99, { query: 'granted', request: 'granted' }); // modified since it was chosen
    const store = memoryStore([
      { fileId: 'uppy-a.bin-1000-1', handle: a.fileHandle, name: 'a.bin', size: 1000, lastModified: 1 },
      { fileId: 'uppy-b.bin-2000-2', handle: b.fileHandle, name: 'b.bin', size: 2000, lastModified: 2 },
    ]);
    const resume = keepFileHandles(uppy, new EventTarget(), 'customer-acme', store);
    fire('restored');
    await settle();
    expect(await resume.resume()).toEqual({ restored: 0, refused: ['a.bin', 'b.bin'] });
    expect(files['uppy-a.bin-1000-1']!.isGhost).toBe(true);
    expect(Object.keys(files)).toHaveLength(3); // the changed file was not added as a new one
    expect(emitted).toEqual([]);
  });

  it('does nothing where the browser has no File System Access API', async () => {
    const { uppy } = restoredUppy();
    const resume = keepFileHandles(uppy, new EventTarget(), 'customer-acme');
    expect(resume.restorable).toBe(0);
    expect(await resume.resume()).toEqual({ restored: 0, refused: [] });
  });
});
