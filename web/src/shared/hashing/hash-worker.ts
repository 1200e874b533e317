// The hashing worker: checksums are computed here, off the page's thread, so the upload widget stays
// responsive while a large file is hashed (about 20 ms of CPU per 16 MiB part).
import { createHashService } from './hash-service.js';
import type { FromHashWorker, ToHashWorker } from './messages.js';

/** What this module uses of a dedicated worker's global scope (the pages are typed with the DOM library). */
interface WorkerScope {
  postMessage(message: FromHashWorker): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToHashWorker>) => void): void;
}

const scope = self as unknown as WorkerScope;
const service = createHashService((message) => scope.postMessage(message));
scope.addEventListener('message', (event) => service.receive(event.data));
