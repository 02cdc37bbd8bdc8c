#!/usr/bin/env node
// Runs the TypeScript CLI in place (transpile only), so the repository needs no build step.
const path = require('node:path');
const root = path.join(__dirname, '..');
process.env.TS_NODE_PROJECT = path.join(root, 'tsconfig.json');
require('ts-node').register({ transpileOnly: true, project: process.env.TS_NODE_PROJECT });
const { compilerOptions } = require(path.join(root, 'tsconfig.json'));
require('tsconfig-paths').register({ baseUrl: root, paths: compilerOptions.paths });
require(path.join(root, 'libs/cli/src/main'))
  .main(process.argv)
  .then((code) => process.exit(code))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
