// The Lambda handlers run in this process and read process.env once, on their first request (the
// contract of lambdas/<name>/handler.ts). So the environment is set before they load, put back on
// close, and a second portal in the same process must give them the very same environment.
export interface EnvSnapshot {
  restore(): void;
}

export function applyEnv(env: Record<string, string>): EnvSnapshot {
  const previous = new Map(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  return {
    restore() {
      for (const [name, value] of previous) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    },
  };
}

let loadedWith: string | undefined;
const fingerprint = (env: Record<string, string>): string => JSON.stringify(Object.entries(env).sort(([a], [b]) => a.localeCompare(b)));

/** Refuses an environment the already-loaded handlers would silently ignore (other ports, keys, pool). */
export function assertHandlersAccept(env: Record<string, string>): void {
  if (loadedWith !== undefined && loadedWith !== fingerprint(env)) {
    throw new Error(
      'The Lambda handlers in this process were already built for another local portal (they read process.env once). ' +
        'Start one portal per process (one per test file), or restart with the same ports and data folder.',
    );
  }
}

/** Called when the first real handler loads. */
export function markHandlersLoaded(env: Record<string, string>): void {
  loadedWith ??= fingerprint(env);
}
