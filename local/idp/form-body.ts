// Reads an application/x-www-form-urlencoded body: the sign-in forms post nothing else.
import type { IncomingMessage } from 'node:http';

/** A sign-in form is a few hundred bytes; anything far larger is refused unread. */
const MAX_FORM_BYTES = 16 * 1024;

export async function readForm(req: IncomingMessage): Promise<Record<string, string> | undefined> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}
