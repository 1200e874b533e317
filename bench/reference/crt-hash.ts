// The native reference of the checksum figure: the AWS CRT's CRC64NVME (@aws-sdk/crc64-nvme-crt), used
// as the page uses its hash (a fresh hash per 16 MiB part, the whole file's checksum combined from the
// parts'). In a process of its own: loading that package switches every @aws-sdk/crc64-nvme hash of the
// process to the CRT, which would turn the bench's JavaScript row into a second native one.
//
// Input: the JSON argument { mib, runs, partBytes } and, on stdin, the one MiB block the file repeats.
// Output: one line `BENCH_RESULT {"ms":[..],"checksum":".."}`.
import { CrtCrc64Nvme } from '@aws-sdk/crc64-nvme-crt';
import { checksumByParts } from '../part-checksums.js';

export interface CrtHashJob {
  mib: number;
  runs: number;
  partBytes: number;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as CrtHashJob;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const block = Buffer.concat(chunks);
  const data = Buffer.concat(Array.from({ length: job.mib }, () => block));
  const ms: number[] = [];
  let checksum = '';
  for (let run = 0; run < job.runs; run++) {
    const started = performance.now();
    checksum = await checksumByParts(data, job.partBytes, CrtCrc64Nvme);
    ms.push(performance.now() - started);
  }
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({ ms, checksum })}\n`);
}

await main();
