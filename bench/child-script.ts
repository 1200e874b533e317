// Runs one of the bench's reference scripts (bench/reference/) in a fresh Node process and reads its one
// result line, `BENCH_RESULT <json>`: references that must not share this process's event loop or
// loaded modules (the lib-storage upload, the CRT's checksum).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REFERENCE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'reference');
const RESULT_PREFIX = 'BENCH_RESULT ';

/** Runs `bench/reference/<script>` with `job` as its JSON argument and `stdin` as its input; killed after `timeoutMs`. */
export function runReferenceScript<T>(script: string, job: unknown, timeoutMs: number, stdin?: Buffer): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REFERENCE_DIR, script), JSON.stringify(job)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) {
        reject(new Error(`${script} failed (${signal ?? `exit ${code}`}${signal === 'SIGKILL' ? `, over ${timeoutMs} ms` : ''}):\n${err.slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as T);
    });
    child.stdin.end(stdin);
  });
}
