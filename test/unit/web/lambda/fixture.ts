// A tiny built site in a temp folder, shaped like dist/web, for the web Lambda tests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync, brotliCompressSync } from 'node:zlib';

export const CUSTOMER_HTML = '<!doctype html><title>Send files</title><script type="module" src="/assets/customer-abc.js"></script>';
export const ADMIN_HTML = '<!doctype html><title>Admin</title><script type="module" src="/admin/assets/admin-def.js"></script>';
export const JS = `console.log(${JSON.stringify('x'.repeat(2000))});`;

const made: string[] = [];

/** Deletes every site this test file made (call from afterAll). */
export function removeSites(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function makeSite(extra: Record<string, Buffer | string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'portal-web-'));
  made.push(root);
  const files: Record<string, Buffer | string> = {
    'index.html': CUSTOMER_HTML,
    'admin/index.html': ADMIN_HTML,
    'signed-out.html': '<!doctype html><title>Signed out</title>',
    'favicon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
    'public/signed-out.css': 'body{margin:0}',
    'assets/customer-abc.js': JS,
    'assets/customer-abc.js.br': brotliCompressSync(JS),
    'assets/customer-abc.js.gz': gzipSync(JS),
    'assets/admin-def.js': 'export{}',
    'assets/logo-123.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]),
    ...extra,
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}
