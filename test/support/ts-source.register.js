/**
 * Runs this repository's TypeScript in place, for child processes of tests and benchmarks (the
 * CLI, bench servers): `node --conditions=source -r ./test/support/ts-source.register.js FILE.ts`.
 * `--conditions=source` resolves the workspace packages to their `src/` (their `source` export);
 * this hook compiles each `.ts` file to CommonJS with SWC (swc.options.js, as jest does).
 * Not ts-node: it loads node:repl, hence node:domain, which slows every EventEmitter in the
 * process, so a server measured under it runs slower than any compiled one.
 */
'use strict';
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

const { SWC_OPTIONS: options } = require('./swc.options');

require.extensions['.ts'] = function compile(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};
