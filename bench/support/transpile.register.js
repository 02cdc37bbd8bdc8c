/**
 * Loads `.ts` files by transpiling each with TypeScript (what `ts-node --transpile-only` does),
 * for the HTTP bench server. Not ts-node itself: ts-node loads `node:repl`, which loads
 * `node:domain`, which replaces `EventEmitter.init` with a slower one for the whole process
 * (every request's socket, request and response objects pay it). A compiled production server
 * never loads either, so a server measured under ts-node runs slower than any real one.
 */
'use strict';
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const ts = require('typescript');

const configPath = process.env.TS_NODE_PROJECT || join(__dirname, '..', '..', 'tsconfig.json');
const config = ts.readConfigFile(configPath, ts.sys.readFile).config;
const { options } = ts.parseJsonConfigFileContent(config, ts.sys, dirname(configPath));
const compilerOptions = { ...options, sourceMap: false, inlineSourceMap: false, declaration: false };

require.extensions['.ts'] = function transpile(module, filename) {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
