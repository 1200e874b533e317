// "A variable is listed for a function only if that function reads it" (contract/lambda-env.ts), checked
// against the code: each variable FUNCTION_ENV lists for a function must be named in that Lambda's folder
// or in the lambdas/shared files it imports, so a variable nothing reads fails here instead of being set
// on every function by the stack and the local portal.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { FUNCTION_ENV, FUNCTION_NAMES, type EnvName, type FunctionName } from '../../../contract/lambda-env.js';

const LAMBDAS = path.resolve(import.meta.dirname, '../../../lambdas');
const SHARED = path.join(LAMBDAS, 'shared');

/**
 * Variables read by the runtime or a library rather than by name in our code: the variable counts as
 * read when the function's code contains the marker (a module it imports, or `*` for every function).
 */
const READ_ELSEWHERE: Partial<Record<EnvName, string>> = {
  // Node.js reads it in every function.
  NODE_OPTIONS: '*',
  // Powertools Metrics reads it when the function creates one.
  POWERTOOLS_METRICS_DISABLED: '@aws-lambda-powertools/metrics',
};

/** The function's sources: its folder, plus every lambdas/shared file they import, transitively. */
function sourcesOf(fn: FunctionName): string[] {
  const folder = path.join(LAMBDAS, fn);
  const pending = readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(folder, file));
  const seen = new Set<string>();
  while (pending.length) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8')).importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), fileName).replace(/\.js$/, '.ts');
      if (target.startsWith(SHARED + path.sep)) pending.push(target);
    }
  }
  return [...seen];
}

/** The identifiers and string literals of the sources, imported module names among them (comments do not count). */
function namesIn(files: readonly string[]): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) || ts.isStringLiteralLike(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  for (const file of files) visit(ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest));
  return names;
}

const isRead = (name: EnvName, names: ReadonlySet<string>): boolean => {
  const marker = READ_ELSEWHERE[name];
  return names.has(name) || marker === '*' || (marker !== undefined && names.has(marker));
};

describe('FUNCTION_ENV lists only variables the function reads', () => {
  it.each(FUNCTION_NAMES)('%s', (fn) => {
    const names = namesIn(sourcesOf(fn));
    const unread = (FUNCTION_ENV[fn] as readonly EnvName[]).filter((name) => !isRead(name, names));
    expect(unread).toEqual([]);
  });

  it('tells a variable a function does not read from one it does', () => {
    const web = namesIn(sourcesOf('web'));
    expect(isRead('BUCKET_NAME', web)).toBe(false);
    expect(isRead('POWERTOOLS_METRICS_DISABLED', web)).toBe(false);
    expect(isRead('S3_ORIGINS', web)).toBe(true);
    // A name only in a comment is not a read.
    expect(isRead('POWERTOOLS_METRICS_DISABLED', namesIn(sourcesOf('uploads')))).toBe(true);
  });
});
