// README.md's error table is the catalogue's: a code added, removed or moved to another status fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../contract/errors.js';
import { README_PATH, errorCodeTable, readmeErrorBlock } from '../../../scripts/readme-errors.js';

describe('README error codes', () => {
  it('list exactly the catalogue (regenerate with npm run readme:errors)', () => {
    expect(readmeErrorBlock(readFileSync(README_PATH, 'utf8'))).toBe(errorCodeTable());
  });

  it('name every code once', () => {
    const table = errorCodeTable();
    for (const code of ERROR_CODES) expect(table.split(`\`${code}\``).length - 1, code).toBe(1);
  });
});
