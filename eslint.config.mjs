import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'apps/web/vite.config.ts', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // The browser crypto package must stay isomorphic: no Node built-ins, no app code.
    files: ['packages/crypto/src/**/*.ts'],
    ignores: ['packages/crypto/src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'path', 'crypto', 'buffer', '@sauti/*', '../../*'] }],
    },
  },
  {
    // Only packages/crypto may import libsodium: the apps (the web's .tsx included) and the client reach
    // it through @sauti/crypto.
    files: ['apps/**/*.{ts,tsx}', 'packages/{client,core,db,jobs,config,log}/**/*.ts', 'packages/verify/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    // The verifier's signature vectors are cross-checked against libsodium in its spec only.
    ignores: ['packages/verify/src/**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['libsodium-wrappers-sumo', 'libsodium-wrappers'] }] },
  },
  {
    // The browser app: type-aware rules use its own tsconfig (DOM + WebWorker libs, JSX).
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: false, project: ['apps/web/tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: ['**/bin/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
