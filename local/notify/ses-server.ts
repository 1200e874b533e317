// The SES stand-in of the local portal: aws-ses-v2-local (npm) in this process. It takes SES v2
// SendEmail at SES_ENDPOINT, keeps every e-mail in memory, lists them as JSON at GET /store, and serves
// a mailbox page at / (the URL `npm start` prints). One store per process, as the module keeps it.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesModule from 'aws-ses-v2-local';
import { BIND_HOST, closeServer } from '../listen.js';

type StartSes = typeof sesModule.default;
// A CommonJS module with `__esModule`: Node's ESM loader answers module.exports as the default import
// (the function is its `.default`), while a bundler-style loader (vitest) answers the function itself.
const startSesServer: StartSes = typeof sesModule === 'function' ? (sesModule) : sesModule.default;

export interface LocalSes {
  /** SES_ENDPOINT and the mailbox page. */
  url: string;
  close(): Promise<void>;
}

/** One e-mail as GET /store lists it. */
export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  /** Epoch seconds. */
  at: number;
}

export async function startLocalSes(port: number): Promise<LocalSes> {
  const server: Server = await startSesServer({ host: BIND_HOST, port });
  const url = `http://${BIND_HOST}:${(server.address() as AddressInfo).port}`;
  return { url, close: () => closeServer(server) };
}

/** The e-mails the stand-in holds (tests and tools). */
export async function readMailbox(sesUrl: string): Promise<StoredEmail[]> {
  const response = await fetch(`${sesUrl}/store`);
  if (!response.ok) throw new Error(`GET ${sesUrl}/store answered ${response.status}`);
  return ((await response.json()) as { emails: StoredEmail[] }).emails;
}
