// A copy of the repository as a fresh clone has it: the files git tracks plus new ones it does not
// ignore, so no build output (dist/, cdk.out/). node_modules is linked, not copied (an installed clone).
// The bundled stack test synthesizes from such a copy, which proves the synth needs no prior page build.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './cdk-json.js';

export interface FreshCheckout {
  dir: string;
  dispose(): void;
}

export function freshCheckout(repoRoot = REPO_ROOT): FreshCheckout {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' });
  const dir = mkdtempSync(path.join(tmpdir(), 'portal-checkout-'));
  for (const file of new Set(listed.split('\0').filter(Boolean))) {
    const from = path.join(repoRoot, file);
    // Deleted in the working tree but not yet committed: a clone of the working tree would not have it.
    if (!existsSync(from)) continue;
    const to = path.join(dir, file);
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(from, to);
  }
  symlinkSync(realpathSync(path.join(repoRoot, 'node_modules')), path.join(dir, 'node_modules'), 'junction');
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
