// `npm run screenshots`: drives the real app in Chromium and writes docs/screenshots/*.png.
// Not part of `npm test` (it rewrites files in docs/); it uses the same test stack as the browser tests.
const base = require('../../jest.config.js').projects.find((p) => p.displayName === 'integration');

module.exports = {
  ...base,
  rootDir: '../..',
  displayName: 'screenshots',
  testMatch: ['<rootDir>/test/browser/*.shots.ts'],
  moduleNameMapper: { '^@sauti/(.*)$': '<rootDir>/packages/$1/src' },
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 300000,
};
