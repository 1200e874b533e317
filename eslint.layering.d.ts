// Types of eslint.layering.js for test/unit/lint/layering.test.ts.
import type { Linter } from 'eslint';

export declare const layering: Linter.Config[];
