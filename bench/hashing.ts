// Checksum throughput: CRC64NVME as the page computes it (each 16 MiB part once into a fresh part hash,
// then the whole file's checksum combined from the part checksums and sizes), in the page's own checksum
// worker in Chromium, next to the same work in Node with the same code and library (hash-wasm), with
// the AWS SDK's pure-JS @aws-sdk/crc64-nvme and with the AWS CRT's native CRC64NVME
// (@aws-sdk/crc64-nvme-crt), each one's parts combined by the same combine. MiB/s of file, median of
// a few runs each; the file is random bytes in memory, so no disk is timed.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import type { Browser } from 'playwright-core';
import { createCrc64Nvme } from '../web/src/shared/hashing/crc64nvme.js';
import { FileHashJob } from '../web/src/shared/hashing/hash-job.js';
import { runReferenceScript } from './child-script.js';
import type { CrtHashJob } from './reference/crt-hash.js';
import { checksumByParts } from './part-checksums.js';
import { median } from './stats.js';
import { MiB } from '../contract/limits.js';

export const HASH_PART_BYTES = 16 * MiB;

export interface HashingResult {
  mib: number;
  runs: number;
  /** MiB of file per second, median. */
  browserWorker: number;
  nodeHashWasm: number;
  nodeSdk: number;
  /** The AWS CRT's native CRC64NVME. */
  nodeCrt: number;
  /** The page's whole-file checksum and Node's three for the same bytes agreed (a sanity check of the figures). */
  agreed: boolean;
}

const timed = async (work: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

/** hash-wasm in Node, with the page's own job code (web/src/shared/hashing/hash-job.ts). */
async function nodeHashWasm(data: Buffer): Promise<string> {
  const hasher = await createCrc64Nvme();
  const job = new FileHashJob(new Blob([data]), HASH_PART_BYTES);
  while (!job.done) await job.hashNextPart(hasher);
  return job.wholeChecksum!;
}

/** The CRT's CRC64NVME in a child process (reference/crt-hash.ts says why): each run's ms and the checksum. */
const nodeCrt = (block: Buffer, job: CrtHashJob) => runReferenceScript<{ ms: number[]; checksum: string }>('crt-hash.ts', job, 120_000, block);

/** The checksum worker the build made (dist/web/assets/hash-worker-<hash>.js), as the page loads it. */
export function hashWorkerPath(webRoot: string): string {
  const name = readdirSync(join(webRoot, 'assets')).find((file) => /^hash-worker-[\w-]+\.js$/.test(file));
  if (!name) throw new Error(`no hash-worker-*.js in ${webRoot}/assets: build the pages (npm run build:web)`);
  return `/assets/${name}`;
}

/**
 * In the page (the customer page, whose CSP is the one the worker runs under): the page's worker
 * hashes a Blob of `mib` MiB made from the same bytes; resolves with the ms and the whole checksum.
 * A string, as the bench's other page scripts: a transpiled function may carry helpers the page lacks.
 */
const hashInWorker = (workerPath: string, blockBase64: string, mib: number, partSize: number) => `(async () => {
  const block = Uint8Array.from(atob(${JSON.stringify(blockBase64)}), (c) => c.charCodeAt(0));
  const blob = new Blob(Array.from({ length: ${mib} }, () => block));
  const worker = new Worker(${JSON.stringify(workerPath)}, { type: 'module' });
  try {
    const started = performance.now();
    const checksum = await new Promise((resolve, reject) => {
      worker.onmessage = (event) => {
        if (event.data.type === 'done') resolve(event.data.checksum);
        if (event.data.type === 'error') reject(new Error(event.data.message));
      };
      worker.onerror = (event) => reject(new Error(event.message || 'the checksum worker did not start'));
      worker.postMessage({ type: 'add', id: 1, blob, partSize: ${partSize} });
    });
    return { ms: performance.now() - started, checksum };
  } finally {
    worker.terminate();
  }
})()`;

export async function measureHashing(input: {
  browser: Browser;
  portalUrl: string;
  cookies: { name: string; value: string; url: string }[];
  workerPath: string;
  mib: number;
  runs: number;
}): Promise<HashingResult> {
  // One random MiB repeated: the CRC's cost does not depend on the bytes, and the page builds the
  // same file from it without megabytes crossing the protocol.
  const block = randomBytes(MiB);
  const data = Buffer.concat(Array.from({ length: input.mib }, () => block));
  const node = { hashWasm: [] as number[], sdk: [] as number[] };
  let nodeChecksum = '';
  let sdkChecksum = '';
  for (let run = 0; run < input.runs; run++) {
    node.hashWasm.push(await timed(async () => (nodeChecksum = await nodeHashWasm(data))));
    node.sdk.push(await timed(async () => (sdkChecksum = await checksumByParts(data, HASH_PART_BYTES, Crc64Nvme))));
  }
  const crt = await nodeCrt(block, { mib: input.mib, runs: input.runs, partBytes: HASH_PART_BYTES });
  const context = await input.browser.newContext();
  try {
    await context.addCookies(input.cookies);
    const page = await context.newPage();
    await page.goto(`${input.portalUrl}/`);
    const browserMs: number[] = [];
    let agreed = sdkChecksum === nodeChecksum && crt.checksum === nodeChecksum;
    for (let run = 0; run < input.runs; run++) {
      const result = await page.evaluate<{ ms: number; checksum: string }>(hashInWorker(input.workerPath, block.toString('base64'), input.mib, HASH_PART_BYTES));
      browserMs.push(result.ms);
      agreed &&= result.checksum === nodeChecksum;
    }
    const perSecond = (ms: number) => input.mib / (ms / 1000);
    return {
      mib: input.mib,
      runs: input.runs,
      browserWorker: perSecond(median(browserMs)),
      nodeHashWasm: perSecond(median(node.hashWasm)),
      nodeSdk: perSecond(median(node.sdk)),
      nodeCrt: perSecond(median(crt.ms)),
      agreed,
    };
  } finally {
    await context.close();
  }
}
