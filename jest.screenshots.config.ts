/**
 * `npm run screenshots`: drives the real app in Chromium and writes docs/screenshots/*.png.
 * Not part of `npm test` (it rewrites files in docs/); it uses the same test stack as the browser tests.
 *
 * @jest-config-loader ts-node
 * @jest-config-loader-options {"transpileOnly": true}
 */
import type { Config } from 'jest';
import root from './jest.config';

const integration = root.projects?.find((p) => typeof p === 'object' && p.displayName === 'integration');
if (!integration || typeof integration !== 'object') throw new Error('jest.config.ts has no integration project');

const config: Config = {
  ...integration,
  rootDir: '.',
  displayName: 'screenshots',
  testMatch: ['<rootDir>/test/browser/*.shots.ts'],
  testTimeout: 300000,
};

export default config;
