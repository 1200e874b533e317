// The layering rules `npm run lint` enforces (README "Layout"): which folder may import which. Kept
// apart from eslint.config.js so test/unit/lint/layering.test.ts lints fixtures with exactly these rules.
const CDK = { group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag', 'aws-cdk'], message: 'Only infra/ and bin/ load the CDK (npm start must never load aws-cdk-lib).' };

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const outside = (folders, message) => ({ regex: `^(\\.\\./)+(${folders.join('|')})/`, message });

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
    rules: restrict(
      outside(['infra', 'local', 'web', 'bench', 'test', 'bin'], 'lambdas/ imports only lambdas/ and contract/.'),
      { regex: '^\\.\\./(?!shared/)[^./]', message: 'A Lambda imports only its own folder, lambdas/shared/ and contract/.' },
      CDK,
    ),
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
