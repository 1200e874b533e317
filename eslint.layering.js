// The layering rules `npm run lint` enforces (README "Layout"): which folder may import which. Kept
// apart from eslint.config.js so test/unit/lint/layering.test.ts lints fixtures with exactly these rules.
import { readdirSync } from 'node:fs';

const CDK = { group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag', 'aws-cdk'], message: 'Only infra/ and bin/ load the CDK (npm start must never load aws-cdk-lib).' };

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const outside = (folders, message) => ({ regex: `^(\\.\\./)+(${folders.join('|')})/`, message });

/**
 * The Lambda folders: one per function, and shared/. Read from the tree, so a new function's folder is
 * covered without a change here.
 */
const LAMBDA_FOLDERS = readdirSync(new URL('./lambdas/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
/** How deep folders nest inside a Lambda folder (lambdas/shared/catalog/ is 2). Deeper files are refused any `../` import until this grows. */
const LAMBDA_MAX_DEPTH = 4;

const LAMBDAS_OUTSIDE = outside(['infra', 'local', 'web', 'bench', 'test', 'bin'], 'lambdas/ imports only lambdas/ and contract/.');
const OWN_FOLDERS_ONLY = 'A Lambda imports only its own folder, lambdas/shared/ and contract/.';

/**
 * A Lambda folder's files at one depth: `no-restricted-imports` sees only the import text, so the rule
 * says, for files exactly `depth` folders below lambdas/, which `../` prefix reaches lambdas/ itself, and
 * there only the file's own Lambda folder and shared/ may follow (also when the path climbs to the root
 * and comes back through `lambdas/`).
 */
function lambdaFolderRule(folder, depth) {
  const allowed = `(?:${[...new Set([folder, 'shared'])].join('|')})/`;
  const up = '\\.\\./';
  return {
    files: [`lambdas/${folder}/${'*/'.repeat(depth - 1)}*.ts`],
    rules: restrict(
      LAMBDAS_OUTSIDE,
      { regex: `^${up.repeat(depth)}(?!${allowed})[^./]`, message: OWN_FOLDERS_ONLY },
      { regex: `^${up.repeat(depth + 1)}lambdas/(?!${allowed})`, message: OWN_FOLDERS_ONLY },
      CDK,
    ),
  };
}

export const layering = [
  {
    files: ['contract/*.ts'],
    rules: restrict({ regex: '^(?!\\./)', message: 'contract/ imports nothing outside itself: no packages, no other folder.' }),
  },
  {
    files: ['contract/*/*.ts'],
    rules: restrict({ regex: '^(?!\\.\\.?/(?!\\.\\.))', message: 'contract/ imports nothing outside itself: no packages, no other folder.' }),
  },
  {
    files: ['lambdas/**/*.ts'],
    rules: restrict(LAMBDAS_OUTSIDE, CDK),
  },
  ...LAMBDA_FOLDERS.flatMap((folder) => Array.from({ length: LAMBDA_MAX_DEPTH }, (_, i) => lambdaFolderRule(folder, i + 1))),
  {
    files: [`lambdas/*/${'*/'.repeat(LAMBDA_MAX_DEPTH)}**/*.ts`],
    rules: restrict({ regex: '^\\.\\./', message: `Folders nest at most ${LAMBDA_MAX_DEPTH} deep in a Lambda folder: raise LAMBDA_MAX_DEPTH in eslint.layering.js.` }, CDK),
  },
  {
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    rules: restrict(outside(['lambdas', 'infra', 'local', 'bench', 'test', 'bin'], 'web/ imports only web/ and contract/.'), CDK),
  },
  {
    files: ['local/**/*.ts'],
    rules: restrict(outside(['infra', 'web', 'bench', 'test', 'bin'], 'local/ imports only local/, lambdas/ and contract/ (infra/ loads aws-cdk-lib).'), CDK),
  },
  {
    files: ['infra/**/*.ts'],
    rules: restrict(outside(['lambdas', 'local', 'web', 'bench', 'test'], 'infra/ imports only infra/ and contract/.')),
  },
];
