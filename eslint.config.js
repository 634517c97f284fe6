// One flat config for the whole workspace (STYLE.md §13). ESLint rather than Biome because the
// house rules below (restricted clock/random globals in deterministic packages, no deep @oa
// imports, no floating promises) need ESLint's rule set and typescript-eslint's type information.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const deepImport = {
  group: ['@oa/*/src', '@oa/*/src/*', '@oa/*/dist', '@oa/*/dist/*'],
  message: 'Import a package through its public door (src/index.ts), never a deep path.',
}

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '**/.turbo/**',
      'frontend/**',
      '**/*.d.ts',
      'bench/results.json',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: [
            '*.js',
            '*.mjs',
            '*.ts',
            'apps/*/bin/*.js',
            'apps/*/bench/*.mjs',
            'apps/*/native/*.mjs',
            'scripts/*.mjs',
          ],
        },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { patterns: [deepImport] }],
    },
  },
  // Packages: no console, no reading the environment (only @oa/env-check reads it, once).
  {
    files: ['packages/*/src/**/*.ts', 'brokers/*/src/**/*.ts'],
    ignores: ['**/*.test.ts', 'packages/env-check/**'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Packages receive config; only @oa/env-check reads the environment.',
        },
      ],
    },
  },
  // Deterministic packages: time and randomness come in through injected dependencies (STYLE.md §6).
  {
    files: [
      'packages/sandbox-engine/src/**/*.ts',
      'packages/auth-cache/src/**/*.ts',
      'packages/symbol-cache/src/**/*.ts',
      'brokers/simulator/src/**/*.ts',
    ],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Read time from the injected Clock.' },
        {
          object: 'Math',
          property: 'random',
          message: 'Draw randomness from the injected source.',
        },
        {
          object: 'process',
          property: 'env',
          message: 'Packages receive config; only @oa/env-check reads the environment.',
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'new Date() reads the wall clock; use the injected Clock.',
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.bench.ts', '**/test/**/*.ts', 'bench/**', 'scripts/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
)
