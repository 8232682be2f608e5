import tseslint from 'typescript-eslint';

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
      'packages/web/scripts/**',
      'e2e/**',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
