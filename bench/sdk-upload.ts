// Runs the lib-storage reference upload (bench/reference/sdk-upload.ts) in a child Node process and
// reads its one result line.
import { runReferenceScript } from './child-script.js';
import type { UploadJob } from './reference/sdk-upload.js';

export const uploadWithSdk = (job: UploadJob, timeoutMs: number): Promise<{ ms: number }> => runReferenceScript('sdk-upload.ts', job, timeoutMs);
