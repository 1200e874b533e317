// dynalite (DynamoDB on LevelDB, in this process) for the local portal: data on disk in the data
// folder, kept across restarts. Where it differs from DynamoDB: local/README.md.
import { mkdir } from 'node:fs/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BIND_HOST, closeServer, listen } from '../listen.js';
import { ensureCatalogTable } from './catalog-table.js';


export interface CatalogServer {
  /** DYNAMODB_ENDPOINT for the handlers. */
  url: string;
  table: string;
  /** True when the table was created by this start (an empty catalog). */
  created: boolean;
  /** A client for the local tools (seeding, tests); any credentials do. */
  client: DynamoDBClient;
  close(): Promise<void>;
}

export async function startCatalogServer(options: { dataDir: string | null; port: number; table: string; region: string }): Promise<CatalogServer> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  // dynalite is CommonJS (typed in dynalite.d.ts): its one export starts a server over the LevelDB folder (in memory without `path`).
  const { default: dynalite } = await import('dynalite');
  const server = dynalite({ ...(options.dataDir ? { path: options.dataDir } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await listen(server, options.port);
  const url = `http://${BIND_HOST}:${port}`;
  const client = new DynamoDBClient({ endpoint: url, region: options.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const { created } = await ensureCatalogTable(client, options.table);
    return {
      url,
      table: options.table,
      created,
      client,
      async close() {
        client.destroy();
        // dynalite's close() also closes its LevelDB store (and so frees the folder's lock) before it calls back.
        await closeServer(server);
      },
    };
  } catch (error) {
    client.destroy();
    await closeServer(server);
    throw error;
  }
}
