// Finds a Chromium for the browser suite: CHROMIUM_PATH, Debian's /usr/bin/chromium, or Playwright's cache.
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM_HOWTO =
  'No Chromium found. Install Debian\'s package (as root: apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium/Chrome binary.';

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(candidate)) return candidate;
  const cache = env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), '.cache', 'ms-playwright');
  if (!existsSync(cache)) return undefined;
  for (const dir of readdirSync(cache).filter((d) => d.startsWith('chromium')).sort().reverse()) {
    for (const rel of ['chrome-linux/chrome', 'chrome-linux64/chrome']) {
      const path = join(cache, dir, rel);
      if (existsSync(path)) return path;
    }
  }
  return undefined;
}

/** Headless, fresh profile, no background traffic (this machine has no network beyond loopback). */
export function chromiumArgs(): string[] {
  const args = ['--headless=new', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return args;
}
