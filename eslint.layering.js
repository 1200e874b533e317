// The layering rules `npm run lint` enforces (README "Layout"): which folder may import which. Kept
// apart from eslint.config.js so test/unit/lint/layering.test.ts lints fixtures with exactly these rules.
//
// Allow-lists, not deny-lists: a layered folder names the root folders it may reach, so a new root folder
// (or a root file) is refused until a folder's list names it. `no-restricted-imports` sees only the import
// text, so each rule is written per depth: for a file `depth` folders below the root, `../` repeated
// `depth` times reaches the root, and there only the allowed folders may follow. Dynamic `import()` gets
// the same patterns through `no-restricted-syntax`, and createRequire, which no pattern can follow, is
// refused where a layer must stay loadable without the CDK.
import { readdirSync } from 'node:fs';

const CDK_PACKAGES = ['aws-cdk-lib', 'constructs', 'cdk-nag', 'aws-cdk'];
const CDK_MESSAGE = 'Only infra/ and bin/ load the CDK (npm start must never load aws-cdk-lib).';
const CREATE_REQUIRE_MESSAGE = 'createRequire loads modules past the layering rules: import them (import() for a lazy load, import.meta.resolve for a path).';

/** The root folders each layered folder may import from, itself among them. Other folders are not layered. */
const LAYERS = {
  contract: { allowed: ['contract'], message: 'contract/ imports nothing outside itself: no packages, no other folder.', packages: false, cdk: false, createRequire: false },
  lambdas: { allowed: ['lambdas', 'contract'], message: 'lambdas/ imports only lambdas/ and contract/.', packages: true, cdk: false, createRequire: false },
  web: { allowed: ['web', 'contract'], message: 'web/ imports only web/ and contract/.', packages: true, cdk: false, createRequire: false },
  local: { allowed: ['local', 'lambdas', 'contract'], message: 'local/ imports only local/, lambdas/ and contract/ (infra/ loads aws-cdk-lib).', packages: true, cdk: false, createRequire: false },
  infra: { allowed: ['infra', 'contract'], message: 'infra/ imports only infra/ and contract/.', packages: true, cdk: true, createRequire: true },
};

/**
 * The Lambda folders: one per function, and shared/. Read from the tree, so a new function's folder is
 * covered without a change here.
 */
const LAMBDA_FOLDERS = readdirSync(new URL('./lambdas/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const OWN_FOLDERS_ONLY = 'A Lambda imports only its own folder, lambdas/shared/ and contract/.';

/** How deep a layered file may sit below the root (web/src/admin/x.tsx is 3). Deeper files are refused any `../` import until this grows. */
const MAX_DEPTH = 6;
const EXTENSIONS = ['ts', 'tsx', 'mts', 'js', 'mjs'];

/** The files exactly `depth` folders below the root inside `folder` (which may itself be nested). */
const filesAt = (folder, depth) => EXTENSIONS.map((ext) => `${folder}/${'*/'.repeat(depth - folder.split('/').length)}*.${ext}`);
const up = (times) => '\\.\\./'.repeat(times);
const oneOf = (names) => `(?:${names.join('|')})/`;

/** esquery reads a regex up to its first `/`, so the selector spells slashes as \x2F. */
const selectorRegex = (regex) => `/${regex.replaceAll('/', '\\x2F')}/`;
/** A dynamic import() whose literal (or template's first text) matches `regex`. */
const dynamicImports = ({ regex, message }) => [
  { selector: `ImportExpression[source.value=${selectorRegex(regex)}]`, message },
  { selector: `ImportExpression[source.quasis.0.value.cooked=${selectorRegex(regex)}]`, message },
];

/** The patterns one layered file refuses; `extra` adds a Lambda folder's own. */
function patternsFor(layer, depth, extra = []) {
  const patterns = [{ regex: `^${up(depth)}(?!${oneOf(layer.allowed)})`, message: layer.message }, ...extra];
  if (!layer.packages) patterns.push({ regex: '^(?!\\.\\.?/)', message: layer.message });
  if (!layer.cdk) patterns.push({ regex: `^${oneOf(CDK_PACKAGES).slice(0, -1)}(?:/|$)`, message: CDK_MESSAGE });
  return patterns;
}

function rules(layer, patterns) {
  const syntax = patterns.flatMap(dynamicImports);
  if (!layer.createRequire) {
    syntax.push({ selector: "Identifier[name='createRequire']", message: CREATE_REQUIRE_MESSAGE }, { selector: "Literal[value='createRequire']", message: CREATE_REQUIRE_MESSAGE });
  }
  return {
    'no-restricted-imports': ['error', { patterns }],
    'no-restricted-syntax': ['error', ...syntax],
  };
}

/** A Lambda folder's files: besides the layer's rule, `../` up to lambdas/ may only go on to the own folder or shared/. */
function lambdaFolderPatterns(folder, depth) {
  const own = oneOf([...new Set([folder, 'shared'])]);
  return [
    { regex: `^${up(depth - 1)}(?!${own}|\\.\\./)`, message: OWN_FOLDERS_ONLY },
    { regex: `^${up(depth)}lambdas/(?!${own})`, message: OWN_FOLDERS_ONLY },
  ];
}

const depths = (from) => Array.from({ length: MAX_DEPTH - from + 1 }, (_, i) => from + i);

const tooDeep = (name, layer) => ({
  files: EXTENSIONS.map((ext) => `${name}/${'*/'.repeat(MAX_DEPTH)}**/*.${ext}`),
  rules: rules(layer, [{ regex: '^\\.\\./', message: `Layered files sit at most ${MAX_DEPTH} folders deep: raise MAX_DEPTH in eslint.layering.js.` }, ...patternsFor(layer, MAX_DEPTH + 1).slice(1)]),
});

export const layering = Object.entries(LAYERS).flatMap(([name, layer]) => [
  ...depths(1).map((depth) => ({ files: filesAt(name, depth), rules: rules(layer, patternsFor(layer, depth)) })),
  // Lambda folders: later configs win, so each repeats the layer's patterns with its own.
  ...(name === 'lambdas'
    ? LAMBDA_FOLDERS.flatMap((folder) => depths(2).map((depth) => ({ files: filesAt(`lambdas/${folder}`, depth), rules: rules(layer, patternsFor(layer, depth, lambdaFolderPatterns(folder, depth))) })))
    : []),
  tooDeep(name, layer),
]);
