// Builds the customer page and admin console (Vite) when `dist/web` has no index.html yet, so the
// first `npm start` after a clone just works; later starts reuse the build (`npm run build:web` to refresh).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function isWebBuilt(webRoot: string): boolean {
  return existsSync(join(webRoot, 'index.html'));
}

export function buildWeb(repoRoot: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed with exit code ${code}`))));
  });
}
