/**
 * @jest-config-loader ts-node
 * @jest-config-loader-options {"transpileOnly": true}
 */
import type { Config } from 'jest';

type Project = NonNullable<Config['projects']>[number] & object;

const common: Project = {
  testEnvironment: 'node',
  moduleNameMapper: { '^@sauti/(.*)$': '<rootDir>/packages/$1/src' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
    // @cloudflare/blindrsa-ts ships ES modules only (ADR 0010): compiled to CommonJS for jest.
    '^.+/node_modules/@cloudflare/blindrsa-ts/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', esModuleInterop: true }, diagnostics: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!@cloudflare/blindrsa-ts/)'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};

const config: Config = {
  // Global only: jest ignores testTimeout inside a project. Integration tests wait on real services.
  testTimeout: 120000,
  projects: [
    // Unit: beside the code, no services.
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{packages,apps}/*/src/**/*.spec.ts'] },
    // Medium (packages/*/test, apps/*/test: one module against the real Postgres or Redis) and
    // end-to-end (test/: whole processes, real browser). Both share the migrated template database.
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{packages,apps}/*/test/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};

export default config;
