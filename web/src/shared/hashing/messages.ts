// What the page and the hashing worker say to each other. A Blob crosses to the worker without its
// bytes being copied; every answer is small (a part's checksum, the file's checksum, an error).
import type { PartToSign } from '../../../../contract/api/uploads.js';

export type ToHashWorker =
  /** Hash this file in parts of `partSize` bytes (one part when the file is smaller). */
  | { type: 'add'; id: number; blob: Blob; partSize: number }
  /** Someone is waiting for this part: hash this file before the others. */
  | { type: 'need'; id: number; partNumber: number }
  /** Forget the file (removed, or stored). */
  | { type: 'drop'; id: number };

export type FromHashWorker =
  | ({ type: 'part'; id: number } & PartToSign)
  /** Every part was hashed: the whole file's checksum. */
  | { type: 'done'; id: number; checksum: string }
  | { type: 'error'; id: number; message: string };
