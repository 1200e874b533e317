// Where the page keeps File System Access handles across reloads: IndexedDB, which can store a
// FileSystemFileHandle itself (Chromium). One record per Uppy file id, per widget (scope), with the
// size and date the file had, so a file changed since is not taken for the one being uploaded.

const DB_NAME = 'portal-file-handles';
const STORE = 'handles';

export interface KeptHandle {
  fileId: string;
  handle: FileSystemFileHandle;
  name: string;
  size: number;
  lastModified: number;
}

interface Stored extends KeptHandle {
  /** `<scope>!<fileId>` */
  key: string;
  scope: string;
}

const request = <T>(req: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });

/** The store as the page uses it (an in-memory one in unit tests). */
export interface HandleStore {
  put(kept: KeptHandle): Promise<void>;
  delete(fileId: string): Promise<void>;
  list(): Promise<Map<string, KeptHandle>>;
}

export class FileHandleStore implements HandleStore {
  #db: Promise<IDBDatabase> | undefined;

  constructor(
    readonly scope: string,
    private readonly idb: IDBFactory = indexedDB,
  ) {}

  async put(kept: KeptHandle): Promise<void> {
    const record: Stored = { ...kept, key: this.#key(kept.fileId), scope: this.scope };
    await this.#run('readwrite', (store) => store.put(record));
  }

  async delete(fileId: string): Promise<void> {
    await this.#run('readwrite', (store) => store.delete(this.#key(fileId)));
  }

  /** This scope's handles, by Uppy file id. */
  async list(): Promise<Map<string, KeptHandle>> {
    const all = (await this.#run('readonly', (store) => store.getAll())) as Stored[];
    return new Map(all.filter((r) => r.scope === this.scope).map(({ fileId, handle, name, size, lastModified }) => [fileId, { fileId, handle, name, size, lastModified }]));
  }

  #key(fileId: string): string {
    return `${this.scope}!${fileId}`;
  }

  #open(): Promise<IDBDatabase> {
    this.#db ??= new Promise((resolve, reject) => {
      const open = this.idb.open(DB_NAME, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'key' });
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error ?? new Error('IndexedDB could not be opened'));
    });
    return this.#db;
  }

  async #run<T>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await this.#open();
    return request(action(db.transaction(STORE, mode).objectStore(STORE)));
  }
}
