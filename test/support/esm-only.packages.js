/**
 * The installed packages that jest cannot require as they are: ES modules (`"type": "module"`)
 * with no CommonJS build (no `require` entry, or one that points at an ES module). Found by
 * walking node_modules (nested copies too) at start-up, ~30 ms, so a dependency update never
 * needs this list edited.
 */
'use strict';
const { readdirSync, readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

/** The files an exports map hands to `require()` (every file under a `require` condition). */
function requireTargets(exports, underRequire = false, into = []) {
  if (typeof exports === 'string') {
    if (underRequire) into.push(exports);
  } else if (exports && typeof exports === 'object') {
    for (const [key, value] of Object.entries(exports)) requireTargets(value, underRequire || key === 'require', into);
  }
  return into;
}

/** Whether Node reads `file` (in package `dir`) as CommonJS: `.cjs`, or `.js` under a nearer `"type": "commonjs"`. */
function isCommonJsFile(dir, file) {
  if (file.endsWith('.cjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let folder = dirname(join(dir, file)); folder.startsWith(dir) && folder !== dir; folder = dirname(folder)) {
    try {
      return JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).type !== 'module';
    } catch {
      // no package.json at this level
    }
  }
  return false;
}

/**
 * ESM whose main entry has no CommonJS build. A `require` entry alone is not enough: NestJS
 * 12's packages (@nestjs/graphql, @nestjs/apollo, @nestjs/mercurius) point theirs at ES
 * modules, for Node's require(esm).
 */
function isEsmOnly(manifest, dir) {
  if (manifest.type !== 'module') return false;
  if ((manifest.main ?? '').endsWith('.cjs')) return false;
  const exports = manifest.exports;
  const main = exports && typeof exports === 'object' && Object.keys(exports).some((key) => key.startsWith('.')) ? exports['.'] : exports;
  return !requireTargets(main).some((file) => isCommonJsFile(dir, file));
}

function walk(nodeModules, found) {
  let entries;
  try {
    entries = readdirSync(nodeModules, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dirs = entry.name.startsWith('@')
      ? readdirSync(join(nodeModules, entry.name)).map((name) => [`${entry.name}/${name}`, join(nodeModules, entry.name, name)])
      : [[entry.name, join(nodeModules, entry.name)]];
    for (const [name, dir] of dirs) {
      try {
        if (isEsmOnly(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')), dir)) found.add(name);
      } catch {
        // not a package
      }
      walk(join(dir, 'node_modules'), found);
    }
  }
}

/**
 * CommonJS packages that `import()` an ES module at run time, which jest's CommonJS runtime
 * refuses ("dynamic import callback ... without --experimental-vm-modules"); transformed like
 * ES modules, their `import()` becomes a `require()`. mercurius loads quick-lru so.
 */
const DYNAMIC_IMPORTERS = ['mercurius'];

/** Names of the packages under `root`/node_modules that jest must transform, sorted. */
function esmOnlyPackages(root) {
  const found = new Set(DYNAMIC_IMPORTERS);
  walk(join(root, 'node_modules'), found);
  return [...found].sort();
}

module.exports = { esmOnlyPackages };
