// The mechanics behind infra/config.ts: merge cdk.json context with PORTAL_* environment overrides,
// reject unknown keys, and collect every problem before throwing one ConfigError (so a broken config
// is fixed in one round, not one key per synth).

/** One thing wrong with the config: which key, what it should be, what it was. */
export interface ConfigProblem {
  /** Config key path, e.g. `domainName` or `adminIdp.issuer`. */
  key: string;
  /** Where the bad value came from: the environment variable, or `cdk.json` context. */
  source: string;
  expected: string;
  got?: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Stable code, like the Lambdas' PortalError codes. */
  readonly code = 'invalid_config';
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      [
        `Invalid portal config (cdk.json context "portal", overridable with PORTAL_* environment variables): ${problems.length} problem(s)`,
        ...problems.map((p) => `  - ${p.key} (${p.source}): expected ${p.expected}${p.got === undefined ? '' : `; got ${p.got}`}`),
      ].join('\n'),
    );
  }
}

/**
 * How a key's environment override (always a string) is turned into a value before validation.
 * `list`: a JSON array (`["a@example.com"]`) or, friendlier in a shell, comma-separated (`a@example.com, @example.org`).
 */
export type EnvKind = 'string' | 'integer' | 'boolean' | 'json' | 'list';

/** `portalKey` -> `PORTAL_PORTAL_KEY`. */
export const envNameOf = (key: string): string => `PORTAL_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/** Shows a bad value in a message: short, and typed so that `"7"` and `7` are told apart. */
export function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Holds the merged raw values and the problems found so far. Validators call `problem()`; `finish()`
 * throws once with everything.
 */
export class ConfigReader {
  readonly problems: ConfigProblem[] = [];
  private readonly raw: Record<string, unknown> = {};
  private readonly sources: Record<string, string> = {};

  constructor(context: unknown, env: Record<string, string | undefined>, keys: Record<string, EnvKind>) {
    if (context !== undefined && !isPlainObject(context)) {
      this.problems.push({ key: 'portal', source: 'cdk.json context', expected: 'an object of config keys', got: describeValue(context) });
    } else if (context) {
      for (const [key, value] of Object.entries(context)) {
        if (!(key in keys)) {
          this.problems.push({ key, source: 'cdk.json context', expected: `no such key (known keys: ${Object.keys(keys).join(', ')})` });
          continue;
        }
        this.raw[key] = value;
        this.sources[key] = 'cdk.json context';
      }
    }
    for (const [key, kind] of Object.entries(keys)) {
      const name = envNameOf(key);
      const text = env[name];
      // An empty variable is treated as unset, so `PORTAL_X= npm run synth` cannot blank a key by accident.
      if (text === undefined || text === '') continue;
      this.sources[key] = name;
      this.raw[key] = this.fromEnv(key, kind, text);
    }
  }

  /** Converts an environment string by the key's kind; `null` unsets an optional key. */
  private fromEnv(key: string, kind: EnvKind, text: string): unknown {
    if (text === 'null') return null;
    switch (kind) {
      case 'string':
        return text;
      case 'integer':
        return /^-?\d+$/.test(text) ? Number(text) : text;
      case 'boolean':
        return text === 'true' ? true : text === 'false' ? false : text;
      case 'json':
        return this.parseJson(key, text);
      case 'list':
        // Only a leading `[` means JSON, so a comma-separated list never needs quoting.
        if (text.trimStart().startsWith('[')) return this.parseJson(key, text);
        return text.split(',').map((item) => item.trim()).filter((item) => item !== '');
    }
  }

  private parseJson(key: string, text: string): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      this.problem(key, 'valid JSON', describeValue(text));
      return undefined;
    }
  }

  value(key: string): unknown {
    return this.raw[key];
  }

  sourceOf(key: string): string {
    // `adminIdp.issuer` and `adminAllowList[2]` come from where their top-level key came from.
    return this.sources[key.split(/[.[]/)[0]!] ?? 'not set';
  }

  problem(key: string, expected: string, got?: string): void {
    this.problems.push({ key, source: this.sourceOf(key), expected, ...(got === undefined ? {} : { got }) });
  }

  /**
   * A string matching `pattern` (a RegExp, or any `{ test }`, e.g. one wrapping a contract check such as isEmailAddress); `undefined`
   * when absent (the caller decides whether that is allowed) or bad.
   */
  string(key: string, value: unknown, pattern: { test(text: string): boolean }, expected: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || !pattern.test(value)) {
      this.problem(key, expected, describeValue(value));
      return undefined;
    }
    return value;
  }

  /** An integer in [min, max]; `undefined` when absent or bad. */
  integer(key: string, value: unknown, min: number, max: number, unit: string): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.problem(key, `an integer number of ${unit} from ${min} to ${max}`, describeValue(value));
      return undefined;
    }
    return value;
  }

  boolean(key: string, value: unknown): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') {
      this.problem(key, 'true or false', describeValue(value));
      return undefined;
    }
    return value;
  }

  oneOf<T extends string | number>(key: string, value: unknown, allowed: readonly T[]): T | undefined {
    if (value === undefined || value === null) return undefined;
    if (!allowed.includes(value as T)) {
      this.problem(key, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, describeValue(value));
      return undefined;
    }
    return value as T;
  }

  /** An object with only the given keys; reports unknown keys under `key.<name>`. */
  object(key: string, value: unknown, allowedKeys: readonly string[]): Record<string, unknown> | undefined {
    if (value === undefined || value === null) return undefined;
    if (!isPlainObject(value)) {
      this.problem(key, `an object with keys ${allowedKeys.join(', ')}`, describeValue(value));
      return undefined;
    }
    for (const name of Object.keys(value)) {
      if (!allowedKeys.includes(name)) this.problem(`${key}.${name}`, `no such key (known keys: ${allowedKeys.join(', ')})`);
    }
    return value;
  }

  /** Whether a problem has been reported for `key` already (e.g. unparsable JSON), so it is not reported twice. */
  reported(key: string): boolean {
    return this.problems.some((p) => p.key === key);
  }

  required(key: string, expected: string): void {
    this.problem(key, `${expected} (required)`);
  }

  finish(): void {
    if (this.problems.length) throw new ConfigError(this.problems);
  }
}
