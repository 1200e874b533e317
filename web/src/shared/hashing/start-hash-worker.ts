// The page's hashing worker. Vite bundles hash-worker.ts (with hash-wasm) into a file of its own next
// to the page's chunks, so the WebAssembly never weighs on the pages' first load.
import { HashClient, workerChannel } from './file-hasher.js';

export const createHashClient = (): HashClient =>
  new HashClient(() => workerChannel(new Worker(new URL('./hash-worker.ts', import.meta.url), { type: 'module', name: 'checksums' })));
