/** One jest config for unit specs (beside their source) and e2e/interop/conformance specs (test/). */
const aliases = {
  '^@app/client-cert-auth$': '<rootDir>/libs/client-cert-auth/src',
  '^@app/client-cert-auth/(.*)$': '<rootDir>/libs/client-cert-auth/src/$1',
  '^@app/client-cert-registry$': '<rootDir>/libs/client-cert-registry/src',
  '^@app/client-cert-registry/(.*)$': '<rootDir>/libs/client-cert-registry/src/$1',
  '^@app/dev-pki$': '<rootDir>/libs/dev-pki/src',
  '^@app/dev-pki/(.*)$': '<rootDir>/libs/dev-pki/src/$1',
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
