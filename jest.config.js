/** One jest config for unit specs (beside their source) and e2e/interop/conformance specs (test/). */
const aliases = {
  '^@client-cert-auth/core$': '<rootDir>/libs/core/src',
  '^@client-cert-auth/registry$': '<rootDir>/libs/registry/src',
  '^@client-cert-auth/dev-pki$': '<rootDir>/libs/dev-pki/src',
};

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['js', 'json', 'ts'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  roots: ['<rootDir>/libs', '<rootDir>/src', '<rootDir>/test'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  moduleNameMapper: aliases,
  testTimeout: 30000,
};
