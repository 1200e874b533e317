// The README's table of error codes, generated from the catalogue (contract/errors.ts).
// `npm run readme:errors` rewrites the block between the markers; test/unit/contract/readme.test.ts
// fails when README.md and the catalogue differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_CATALOGUE } from '../contract/errors.js';

export const README_PATH = fileURLToPath(new URL('../README.md', import.meta.url));
const START = '<!-- error-codes: generated from contract/errors.ts by `npm run readme:errors`; test/unit/contract/readme.test.ts fails when they differ -->';
const END = '<!-- /error-codes -->';

export function errorCodeTable(): string {
  const byStatus = new Map<number, string[]>();
  for (const [code, spec] of Object.entries(ERROR_CATALOGUE)) byStatus.set(spec.status, [...(byStatus.get(spec.status) ?? []), code]);
  const rows = [...byStatus].sort(([a], [b]) => a - b).map(([status, codes]) => `| ${status} | ${codes.map((c) => `\`${c}\``).join(', ')} |`);
  return ['| status | codes |', '|---|---|', ...rows].join('\n');
}

/** The README's block between the markers, or null when the markers are missing. */
export function readmeErrorBlock(readme: string): string | null {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  return start < 0 || end < start ? null : readme.slice(start + START.length, end).trim();
}

export function withErrorTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} block`);
  return `${readme.slice(0, start + START.length)}\n${errorCodeTable()}\n${readme.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(README_PATH, withErrorTable(readFileSync(README_PATH, 'utf8')));
  console.log('README.md: error code table regenerated from contract/errors.ts');
}
