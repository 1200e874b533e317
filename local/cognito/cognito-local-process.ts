// Runs cognito-local 5.3 as a child process. Its only entry point, createDefaultServer(), keeps its
// data under `./.cognito` of the current directory and reads PORT/HOST when its config module
// loads, so it cannot share our process (whose cwd and PORT belong to the portal): it runs with
// cwd = <data>/cognito, on an ephemeral or given port, and quits when our process does.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CognitoLocalOptions {
  /** Working directory: cognito-local keeps its data in `<cwd>/.cognito/db`. */
  cwd: string;
  port: number;
  host?: string;
  /** Its log (pino) goes here rather than into the portal's console. */
  logFile: string;
  startTimeoutMs?: number;
}

export interface RunningCognitoLocal {
  url: string;
  port: number;
  /** Where its user pools live (one JSON file per pool). */
  dbDir: string;
  stop(): Promise<void>;
}

// pino-pretty colours its output even with NO_COLOR set.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const READY = /Cognito Local running on (https?:\/\/[^\s]+)/;

function startScript(): string {
  return join(dirname(fileURLToPath(import.meta.resolve('cognito-local/package.json'))), 'lib', 'bin', 'start.js');
}

/** The child watches its stdin: when our process ends, even killed, the pipe closes and it exits. */
const WRAPPER = "process.stdin.on('end', () => process.exit(0)); process.stdin.resume(); require(process.env.COGNITO_LOCAL_START);";

export async function startCognitoLocal(options: CognitoLocalOptions): Promise<RunningCognitoLocal> {
  await mkdir(options.cwd, { recursive: true });
  await mkdir(dirname(options.logFile), { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['PORT', 'HOST', 'DEBUG', 'COGNITO_LOCAL_DEVMODE', 'NODE_OPTIONS']) delete env[name];
  Object.assign(env, {
    PORT: String(options.port),
    HOST: options.host ?? '127.0.0.1',
    COGNITO_LOCAL_START: startScript(),
    AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
    NO_COLOR: '1',
  });
  const child = spawn(process.execPath, ['-e', WRAPPER], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });

  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`cognito-local did not start within ${options.startTimeoutMs ?? 20_000} ms`)), options.startTimeoutMs ?? 20_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}; see ${options.logFile}\n${output.slice(-2000)}`));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8').replace(ANSI, '');
      const match = READY.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => fail(new Error(`cognito-local exited with code ${code}`)));
    child.once('error', fail);
  });
  child.removeAllListeners('exit');
  let stopping = false;
  child.once('exit', (code, signal) => {
    // Ctrl-C reaches the whole process group, so a SIGINT exit is part of a normal stop.
    if (!stopping && signal !== 'SIGINT') console.error(`[local portal] cognito-local stopped unexpectedly (${signal ?? `exit code ${code}`}); see ${options.logFile}`);
  });

  return {
    url,
    port: Number(new URL(url).port),
    dbDir: join(options.cwd, '.cognito', 'db'),
    stop: () => {
      stopping = true;
      return stopChild(child, log);
    },
  };
}

function stopChild(child: ChildProcess, log: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      log.end();
      resolve();
    };
    if (child.exitCode !== null || child.signalCode !== null) return done();
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(killer);
      done();
    });
    child.kill('SIGTERM');
  });
}
