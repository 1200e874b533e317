// dynalite on the catalog's data folder in a process of its own, for seeding only: BatchWriteItem
// into eight indexes is CPU work, and in a child it runs on the other core while the bench writes
// the S3 objects. The child prints one JSON line (`{"url": ...}`) once the table exists, and closes
// the store (freeing the LevelDB folder for the bench's own dynalite) when its stdin ends.
//
//   node --import tsx bench/catalog-server-child.ts <dataDir> <table> <region>
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startCatalogServer } from '../local/catalog/dynalite-server.js';

export interface CatalogChild {
  url: string;
  /** Closes dynalite (its LevelDB folder is then free) and waits for the child to exit. */
  stop(): Promise<void>;
}

/** Starts the child and waits for its URL. */
export async function startCatalogChild(dataDir: string, table: string, region: string): Promise<CatalogChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), dataDir, table, region], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      try {
        resolve((JSON.parse(line) as { url: string }).url);
      } catch {
        reject(new Error(`the catalog child said: ${line}`));
      }
    });
    void exited.then((code) => reject(new Error(`the catalog child exited (${code}) before it listened`)));
  });
  return {
    url,
    async stop() {
      child.stdin.end();
      const code = await exited;
      if (code !== 0) throw new Error(`the catalog child exited with ${code}`);
    },
  };
}

async function main([dataDir, table, region]: string[]): Promise<void> {
  if (!dataDir || !table || !region) throw new Error('usage: catalog-server-child.ts <dataDir> <table> <region>');
  const server = await startCatalogServer({ dataDir, port: 0, table, region });
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once('end', resolve));
  await server.close();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('catalog child:', error);
      process.exit(1);
    },
  );
}
