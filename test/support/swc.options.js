/**
 * How this repository's TypeScript is compiled outside tsc: CommonJS (what the packages ship),
 * legacy decorators with their design-type metadata (Nest's injection reads it). Shared by
 * jest.config.js and ts-source.register.js so tests and child processes run the same code.
 */
'use strict';

const SWC_OPTIONS = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = { SWC_OPTIONS };
