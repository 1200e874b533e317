// dynalite ships no types. Its one export (CommonJS) starts a DynamoDB-compatible server over a LevelDB
// folder, in memory without `path`.
declare module 'dynalite' {
  import type { Server } from 'node:http';

  export default function dynalite(options: { path?: string; createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }): Server;
}
