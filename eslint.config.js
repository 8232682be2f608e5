import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import tseslint from 'typescript-eslint';

/**
 * Package boundaries of ARCHITECTURE.md §2: which of our packages each may import.
 * Dependencies point down the table; core is pure. test/boundaries.test.ts checks that each rule fires.
 */
const nodeModules = `(node:.*|(${builtinModules.map((m) => m.replace('/', '\\/')).join('|')})(\\/.*)?)`;
/** I/O libraries core must not reach for: it decides, other layers do. */
const ioLibraries =
  '(pg|pg-.*|better-sqlite3|kysely|kysely\\/.*|fastify|@fastify\\/.*|ws|serialport|@serialport\\/.*|argon2|pino)';

/** A restriction on our packages: everything of `@cubby/*` but the listed ones. */
function onlyOurs(pkg, allowed) {
  const others = allowed.length ? `(?!(${allowed.join('|')})(\\/|$))` : '';
  return {
    regex: `^@cubby\\/${others}`,
    message: `${pkg} may import ${allowed.length ? allowed.map((a) => `@cubby/${a}`).join(', ') : 'nothing'} of ours (ARCHITECTURE.md §2).`,
  };
}

const restrict = (...patterns) => ['error', { patterns }];

const boundaries = [
  {
    files: ['packages/core/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        onlyOurs('core', []),
        { regex: `^${nodeModules}$`, message: 'core is pure: no Node I/O (ARCHITECTURE.md §2).' },
        { regex: `^${ioLibraries}$`, message: 'core is pure: databases, HTTP and devices belong to db, server and station.' },
      ),
    },
  },
  {
    files: ['packages/db/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict(onlyOurs('db', ['core'])) },
  },
  {
    files: ['packages/protocol/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict(onlyOurs('protocol', ['core'])) },
  },
  {
    files: ['packages/station/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict(onlyOurs('station', ['core', 'protocol'])) },
  },
  {
    files: ['packages/server/**/*.{ts,tsx}'],
    // Tests and their harness (src/testing) run real station agents against the server.
    ignores: ['packages/server/src/**/*.test.ts', 'packages/server/src/testing/**'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict(onlyOurs('server', ['core', 'db', 'protocol'])) },
  },
  {
    files: ['packages/server/src/**/*.test.ts', 'packages/server/src/testing/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(onlyOurs('server tests', ['core', 'db', 'protocol', 'station'])),
    },
  },
  {
    // The browser bundle: types only from core and protocol, nothing of the server side, no Node.
    files: ['packages/web/src/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        {
          // Core's enumerations (plain arrays, no logic) are the one value import: filters map over them.
          regex: '^@cubby\\/(core(?!\\/enumerations$)|protocol)(\\/|$)',
          allowTypeImports: true,
          message:
            'web imports only types from core and protocol (`import type`), and values only from @cubby/core/enumerations: their code stays off the browser bundle.',
        },
        onlyOurs('web', ['core', 'protocol']),
        { regex: `^${nodeModules}$`, message: 'web runs in the browser: no Node modules.' },
      ),
    },
  },
];

/** Another package is imported by its name, never by a relative path into its folder. */
const noRelativeIntoOtherPackage = {
  meta: {
    type: 'problem',
    messages: { climbs: '"{{source}}" leaves {{pkg}}: import the other package by its name (@cubby/…).' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const parts = relative(context.cwd, file).split(sep);
    if (parts[0] !== 'packages' || parts.length < 3) return {};
    const root = resolve(context.cwd, 'packages', parts[1]);
    const check = (node) => {
      const source = node?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = resolve(dirname(file), source);
      if (target !== root && !target.startsWith(root + sep))
        context.report({ node, messageId: 'climbs', data: { source, pkg: `packages/${parts[1]}` } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

/** Size limits of STYLE.md: warnings while files are being split, errors later. */
const sizes = {
  files: ['packages/*/src/**/*.{ts,tsx}', 'packages/*/scripts/**/*.ts', 'bench/src/**/*.ts'],
  // Migrations never change once landed, so they are not split either.
  ignores: ['**/*.test.ts', '**/*.test.tsx', 'packages/db/src/migrations/**'],
  rules: {
    'max-lines': ['warn', { max: 300, skipBlankLines: true, skipComments: true }],
    'max-lines-per-function': ['warn', { max: 60, skipBlankLines: true, skipComments: true }],
  },
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'e2e/screenshots/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration in config.ts only.',
        },
      ],
    },
  },
  {
    // The places allowed to read the environment: configuration loaders, test and bench setup.
    files: [
      'packages/cli/src/config.ts',
      'packages/db/src/testing.ts',
      'packages/db/src/pg-cluster.ts',
      'test/**',
      'bench/**',
      '**/*.test.ts',
      'packages/server/src/testing/**',
      'packages/cli/src/testing/**',
      'packages/web/scripts/**',
      'e2e/**',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  ...boundaries,
  {
    files: ['packages/**/*.{ts,tsx,js}'],
    plugins: { cubby: { rules: { 'no-relative-into-other-package': noRelativeIntoOtherPackage } } },
    rules: { 'cubby/no-relative-into-other-package': 'error' },
  },
  sizes,
);
