import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['.container/**', '**/dist/**', '**/node_modules/**', '**/build/**', '**/schemas/**', '**/.turbo/**', '**/coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        SharedArrayBuffer: 'readonly',
        Atomics: 'readonly',
        performance: 'readonly',
        setImmediate: 'readonly',
        queueMicrotask: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The adapter's start-up path (procvision-adapter: hello, algorithm import, first result) and
    // what an algorithm imports from @procvision/sdk must not load zod or sharp: the schemas are
    // imported lazily (internal/adapter/contract-checks.ts, inbound-frame.ts), sharp by
    // @procvision/shm on first decode; the shm reader comes from @procvision/shm/read, without
    // the writers. Type-only imports are fine (erased).
    files: ['packages/sdk/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'zod',
              message: 'zod is off the adapter start-up path; use the quick checks or loadContractChecks() (internal/adapter/contract-checks.ts).',
              allowTypeImports: true,
            },
            { name: 'sharp', message: 'sharp is off the adapter start-up path; @procvision/shm loads it on first decode.', allowTypeImports: true },
            {
              name: '@procvision/manifest',
              message:
                'the @procvision/manifest root loads zod; import from @procvision/manifest/errors or /framing, or load the schemas lazily with loadContractChecks().',
              allowTypeImports: true,
            },
            {
              name: '@procvision/shm',
              message: 'the @procvision/shm root loads the frame writers, node:crypto and exit hooks; import the reader from @procvision/shm/read.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // The runner engine (`@procvision/runner`) and the store are what an embedder or the CLI
    // imports before its first start: prom-client (~50 ms of module loading) is loaded by the
    // first RunnerMetrics (src/process/internal/prom-client.ts), sharp never. The HTTP
    // service asks for metrics and may import prom-client. zod stays: the engine validates the
    // config, getInfo() and results with @procvision/manifest's schemas.
    files: ['packages/runner/src/**/*.ts'],
    ignores: ['packages/runner/src/http/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'prom-client',
              message:
                'prom-client is off the runner engine start-up path; call loadPromClient() (src/process/internal/prom-client.ts) where metrics are created.',
              allowTypeImports: true,
            },
            { name: 'sharp', message: 'sharp is off the runner engine start-up path (@procvision/shm loads it on first decode).', allowTypeImports: true },
          ],
        },
      ],
    },
  },
  {
    // Error codes by name: one table (packages/manifest/src/error-codes.ts) derives the named
    // constants; a bare '2006' elsewhere hides which error it is and escapes a renumbering.
    files: ['packages/*/src/**/*.ts'],
    ignores: ['packages/manifest/src/error-codes.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Literal[value=/^[0-9]{4}$/]',
          message: "Name the error code: ErrorCodes.<name> (@procvision/manifest/errors), or `typeof ErrorCodes.<name>` in a type; never a bare '2006'.",
        },
        {
          selector: "TemplateElement[value.raw=/error_code: '[0-9]{4}'/]",
          message: 'Generated code names its error codes too: ErrorCodes.<name>.',
        },
      ],
    },
  },
  {
    files: ['**/test/**', '**/bench/**', '**/scripts/**', '**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
