/**
 * The installed packages that jest cannot require as they are: ES modules (`"type": "module"`,
 * or an exports map with an `import` but no `require` entry) with no CommonJS build. Found by
 * walking node_modules (nested copies too) at start-up, ~30 ms, so a dependency update never
 * needs this list edited.
 */
'use strict';
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

function hasRequireEntry(exports) {
  if (!exports || typeof exports !== 'object') return false;
  return Object.entries(exports).some(([key, value]) => key === 'require' || hasRequireEntry(value));
}

function isEsmOnly(manifest) {
  if (manifest.type !== 'module') return false;
  return !hasRequireEntry(manifest.exports) && !(manifest.main ?? '').endsWith('.cjs');
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
        if (isEsmOnly(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')))) found.add(name);
      } catch {
        // not a package
      }
      walk(join(dir, 'node_modules'), found);
    }
  }
}

/** Names of the ESM-only packages under `root`/node_modules, sorted. */
function esmOnlyPackages(root) {
  const found = new Set();
  walk(join(root, 'node_modules'), found);
  return [...found].sort();
}

module.exports = { esmOnlyPackages };
