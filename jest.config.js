/**
 * One jest config for unit specs (beside their source) and e2e/interop/conformance specs (test/).
 *
 * The repository is CommonJS (what the packages ship); NestJS 12 and a few of its dependencies are
 * ES modules only. Node runs those through require(esm), but jest's module registry does not, so
 * SWC transforms both our TypeScript and those ESM files to CommonJS. Packages of this workspace
 * resolve through their `source` export condition to `libs/<name>/src`, so tests need no build.
 */
const { SWC_OPTIONS: swc } = require('./test/support/swc.options');

const { esmOnlyPackages } = require('./test/support/esm-only.packages');

const esmOnly = esmOnlyPackages(__dirname)
  .map((name) => name.replace(/[.+]/g, '\\$&'))
  .join('|');

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testEnvironmentOptions: { customExportConditions: ['source', 'node', 'node-addons'] },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  roots: ['<rootDir>/libs', '<rootDir>/src', '<rootDir>/test'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/test/consumers/'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/libs/.*/dist/', '<rootDir>/test/consumers/'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc],
    '^.+\\.m?js$': ['@swc/jest', { ...swc, jsc: { ...swc.jsc, parser: { syntax: 'ecmascript' } } }],
  },
  // Leave node_modules alone except ESM-only packages, wherever they are nested.
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly})/)(?!.*/node_modules/(${esmOnly})/)`],
  reporters: ['default', '<rootDir>/test/support/skipped-tests.reporter.js'],
  testTimeout: 30000,
};
