// The upload figures' input: a file of whole MiB, random-looking and different in every MiB (one
// random block with the block number stamped in), written quickly without holding it in memory.
import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { MiB } from '../contract/limits.js';


export async function writeTestFile(path: string, mib: number): Promise<number> {
  const block = randomBytes(MiB);
  const handle = await open(path, 'w');
  try {
    for (let i = 0; i < mib; i++) {
      block.writeUInt32BE(i, 0);
      await handle.write(block, 0, MiB);
    }
  } finally {
    await handle.close();
  }
  return mib * MiB;
}
