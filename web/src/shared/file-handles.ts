// Resuming after a reload without choosing the files again, where the browser allows it. Golden
// Retriever brings back every upload's state, but not the bytes of a file too large for its store:
// such files come back as "ghosts" the person must choose again. In Chromium, files chosen with the
// file picker (showOpenFilePicker) or dropped (DataTransferItem.getAsFileSystemHandle) come with a
// File System Access handle, which IndexedDB keeps. After a reload the page offers one button,
// "Resume N uploads": that click asks the browser's read permission once per file (every request
// started within the click, before any is answered: a prompt needs the click's user activation) and
// brings each ghost back from its handle; the uploads then continue from the parts S3 holds, checked
// part by part against the file as any resume is (stored-part-check.ts). Other browsers have no such
// API: the person chooses the file again, checked the same way.
import { FileHandleStore, type HandleStore, type KeptHandle } from './file-handle-store.js';

/** What Chromium adds to the DOM's types. */
interface ReadableHandle extends FileSystemFileHandle {
  queryPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>;
  requestPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>;
}
interface PickerWindow {
  showOpenFilePicker?(options?: { multiple?: boolean }): Promise<FileSystemFileHandle[]>;
}
interface HandleItem {
  getAsFileSystemHandle?(): Promise<FileSystemHandle | null>;
}

export interface FileHandleResume {
  /** Ghost files a kept handle can bring back. */
  readonly restorable: number;
  /** Called whenever `restorable` changes; returns the unsubscribe function. */
  subscribe(listener: (restorable: number) => void): () => void;
  /** The person's click: asks for permission, brings the files back, and resumes once none is missing. */
  resume(): Promise<{ restored: number; refused: string[] }>;
  stop(): void;
}

/** Pickers and handles exist (Chromium, in a secure context). */
export const supportsFileHandles = (): boolean =>
  typeof window !== 'undefined' &&
  typeof (window as PickerWindow).showOpenFilePicker === 'function' &&
  typeof indexedDB !== 'undefined' &&
  typeof DataTransferItem !== 'undefined' &&
  'getAsFileSystemHandle' in DataTransferItem.prototype;

/** The Dashboard's "browse files" input (not the folder one, nor a phone's camera inputs). */
const FILES_INPUT = 'input.uppy-Dashboard-input[type="file"]:not([webkitdirectory]):not([capture])';
/** How long a dropped file's handle waits for the Dashboard to add the file. */
const DROP_MATCH_MS = 30_000;

/** What this module reads of an Uppy file. */
interface HandledFile {
  id: string;
  name?: string;
  data?: unknown;
  isGhost?: boolean;
  meta: { relativePath?: unknown };
}
type FileHandler = (file: HandledFile | undefined) => void;
type HandlesEvent = 'file-added' | 'upload-success' | 'file-removed' | 'restored';

/** The little of Uppy this module uses (a fake in unit tests); an `Uppy` is one. */
export interface HandlesUppy {
  getFiles(): HandledFile[];
  getState(): { files: Record<string, HandledFile>; recoveredState: unknown };
  addFile(file: { source: string; name: string; type: string; data: File; meta: { relativePath: null } }): string;
  addFiles(files: { source: string; name: string; type: string; data: File; meta: { relativePath: null } }[]): void;
  emit(event: 'restore-confirmed'): void;
  on(event: HandlesEvent, handler: FileHandler): unknown;
  off(event: HandlesEvent, handler: FileHandler): unknown;
  log(message: string, type: 'warning'): void;
}

type Ghost = { id: string; name: string; kept: KeptHandle };

/**
 * Asks to read the file behind `handle`; started synchronously, so several can be asked in one click.
 * Never rejects: a request that fails counts as refused (a rejection waiting while earlier files are
 * handled would be reported as unhandled).
 */
function readPermission(handle: ReadableHandle): Promise<PermissionState> {
  try {
    return (handle.requestPermission?.({ mode: 'read' }) ?? Promise.resolve<PermissionState>('granted')).catch((): PermissionState => 'denied');
  } catch {
    return Promise.resolve('denied');
  }
}

export function keepFileHandles(uppy: HandlesUppy, target: EventTarget, scope: string, store?: HandleStore): FileHandleResume {
  const listeners = new Set<(restorable: number) => void>();
  let ghosts: Ghost[] = [];
  const inert: FileHandleResume = {
    restorable: 0,
    subscribe: () => () => {},
    resume: async () => ({ restored: 0, refused: [] }),
    stop() {},
  };
  if (!store && !supportsFileHandles()) return inert;
  const handles = store ?? new FileHandleStore(scope);
  const log = (error: unknown) => uppy.log(`[file handles] ${error instanceof Error ? error.message : String(error)}`, 'warning');
  const setGhosts = (next: Ghost[]) => {
    ghosts = next;
    for (const listener of listeners) listener(ghosts.length);
  };

  /** Keeps the handle of the Uppy file whose bytes are `file`. */
  const keep = async (handle: FileSystemFileHandle, file: File, fileId: string) => {
    await handles.put({ fileId, handle, name: file.name, size: file.size, lastModified: file.lastModified }).catch(log);
  };

  // The picker: the Dashboard's "browse files" clicks its hidden input; the click is turned into
  // showOpenFilePicker, whose files are added as the Dashboard adds an input's.
  /** Set while the input is clicked for real: the picker failed and the browser's own dialog stands in. */
  let nativeDialog = false;
  const onClick = (event: Event) => {
    const input = event.target;
    if (nativeDialog || !(input instanceof HTMLInputElement) || !input.matches(FILES_INPUT)) return;
    event.preventDefault();
    void pick(input);
  };
  const pick = async (input: HTMLInputElement) => {
    let picked: FileSystemFileHandle[];
    try {
      picked = await (window as PickerWindow).showOpenFilePicker!({ multiple: true });
    } catch (error) {
      if ((error as Error).name === 'AbortError') return; // the person closed the dialog
      // Refused (a policy, a sandbox): the plain file dialog, whose files come without handles.
      log(error);
      nativeDialog = true;
      try {
        input.click();
      } finally {
        nativeDialog = false;
      }
      return;
    }
    const files = await Promise.all(picked.map((handle) => handle.getFile()));
    try {
      uppy.addFiles(files.map((file) => ({ source: 'Dashboard', name: file.name, type: file.type, data: file, meta: { relativePath: null } })));
    } catch (error) {
      log(error); // a restriction: Uppy has told the person
    }
    for (const [i, file] of files.entries()) {
      const added = uppy.getFiles().find((f) => f.data === file);
      if (added) await keep(picked[i]!, file, added.id);
    }
  };

  // A drop: the handles must be asked for during the event; the Dashboard adds the files a moment later.
  const waitingDrops = new Set<{ handle: FileSystemFileHandle; file: File; until: number }>();
  const matchDrop = (fileId: string, data: unknown, relativePath: unknown) => {
    if (!(data instanceof File) || relativePath) return;
    for (const drop of waitingDrops) {
      if (drop.until < Date.now()) waitingDrops.delete(drop);
      else if (drop.file.name === data.name && drop.file.size === data.size && drop.file.lastModified === data.lastModified) {
        waitingDrops.delete(drop);
        void keep(drop.handle, drop.file, fileId);
      }
    }
  };
  const onDrop = (event: Event) => {
    if (!(event instanceof DragEvent)) return;
    const items = [...(event.dataTransfer?.items ?? [])].filter((item) => item.kind === 'file') as (DataTransferItem & HandleItem)[];
    const asked = items.map((item) => item.getAsFileSystemHandle?.().catch(() => null) ?? Promise.resolve(null));
    void (async () => {
      for (const handle of await Promise.all(asked)) {
        if (handle?.kind !== 'file') continue; // a folder's files come without handles: chosen again after a reload
        const fileHandle = handle as FileSystemFileHandle;
        waitingDrops.add({ handle: fileHandle, file: await fileHandle.getFile(), until: Date.now() + DROP_MATCH_MS });
      }
      for (const file of uppy.getFiles()) matchDrop(file.id, file.data, file.meta.relativePath);
    })().catch(log);
  };

  const onAdded: FileHandler = (file) => {
    if (!file) return;
    matchDrop(file.id, file.data, file.meta.relativePath);
    if (ghosts.some((g) => g.id === file.id)) setGhosts(ghosts.filter((g) => g.id !== file.id));
  };
  const forget = (file: { id: string } | undefined) => {
    if (!file) return;
    void handles.delete(file.id).catch(log);
    if (ghosts.some((g) => g.id === file.id)) setGhosts(ghosts.filter((g) => g.id !== file.id));
  };
  const onGone: FileHandler = (file) => forget(file);
  // Golden Retriever has put the files back: the ghosts with a handle can come back whole.
  const onRestored = () => {
    void (async () => {
      const kept = await handles.list();
      const files = uppy.getState().files;
      for (const fileId of kept.keys()) if (!files[fileId]) await handles.delete(fileId);
      setGhosts(
        Object.values(files)
          .filter((file) => file.isGhost && kept.has(file.id))
          .map((file) => ({ id: file.id, name: file.name ?? '', kept: kept.get(file.id)! })),
      );
    })().catch(log);
  };

  const resume = async () => {
    const refused: string[] = [];
    let restored = 0;
    // Every request starts now, within the click: a prompt needs the click's user activation, which
    // lasts a few seconds, so asking for the next file only once the person answered the previous one
    // would leave later files without it. (For a handle already granted the browser answers at once,
    // without a prompt, so there is no need to query first.)
    const permissions = ghosts.map((ghost) => ({ ghost, permission: readPermission(ghost.kept.handle as ReadableHandle) }));
    for (const { ghost, permission } of permissions) {
      const handle = ghost.kept.handle;
      try {
        if ((await permission) !== 'granted') throw new Error('permission refused');
        const file = await handle.getFile();
        // Changed since it was chosen: Uppy would take it for another file. The person chooses it.
        if (file.size !== ghost.kept.size || file.lastModified !== ghost.kept.lastModified) throw new Error('the file changed since');
        uppy.addFile({ source: 'Dashboard', name: file.name, type: file.type, data: file, meta: { relativePath: null } });
        restored++;
      } catch (error) {
        log(error);
        refused.push(ghost.name);
      }
    }
    const missing = Object.values(uppy.getState().files).filter((file) => file.isGhost).length;
    // As Upload does in the restored state: Golden Retriever resumes the uploads it brought back.
    if (restored > 0 && missing === 0 && uppy.getState().recoveredState) uppy.emit('restore-confirmed');
    return { restored, refused };
  };

  // One list serves subscribing and unsubscribing, so a handler added later cannot outlive stop().
  // (The shared listen() wants a whole Uppy; this module takes the little of it that a test can fake.)
  const domHandlers: [string, (event: Event) => void][] = [
    ['click', onClick],
    ['drop', onDrop],
  ];
  const uppyHandlers: [HandlesEvent, FileHandler][] = [
    ['file-added', onAdded],
    ['upload-success', onGone],
    ['file-removed', onGone],
    ['restored', onRestored],
  ];
  for (const [event, handler] of domHandlers) target.addEventListener(event, handler, true);
  for (const [event, handler] of uppyHandlers) uppy.on(event, handler);
  return {
    get restorable() {
      return ghosts.length;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    resume,
    stop() {
      for (const [event, handler] of domHandlers) target.removeEventListener(event, handler, true);
      for (const [event, handler] of uppyHandlers) uppy.off(event, handler);
      listeners.clear();
    },
  };
}
