/**
 * Run with a given node in an installed consumer app's folder: loads every package as that app
 * would, by require() and by import(), checks both give the same objects (one format, so no
 * dual-package hazard), and that a missing optional peer names the package to install.
 * Exit 0 when every check holds; prints what failed otherwise.
 */
'use strict';
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');

const app = createRequire(`${process.cwd()}/`);
const ENTRIES = {
  '@client-cert-auth/core': 'ClientCertAuthModule',
  '@client-cert-auth/registry': 'ClientCertRegistryModule',
  '@client-cert-auth/cli': 'main',
  '@client-cert-auth/dev-pki': 'createDevPki',
};
// Optional peers the consumer apps do not install, and what must be said about them.
const MISSING_PEERS = {
  '@client-cert-auth/core/metrics': 'npm install prom-client',
  '@client-cert-auth/core/health': 'npm install @nestjs/terminus',
};

async function main() {
  const problems = [];
  app('reflect-metadata');
  for (const [name, symbol] of Object.entries(ENTRIES)) {
    const required = app(name);
    const imported = await import(pathToFileURL(app.resolve(name)).href);
    if (typeof required[symbol] !== 'function') problems.push(`require('${name}').${symbol} is ${typeof required[symbol]}`);
    if (imported[symbol] !== required[symbol]) problems.push(`import('${name}').${symbol} is not the object require() gives`);
  }
  for (const [name, advice] of Object.entries(MISSING_PEERS)) {
    try {
      app(name);
      problems.push(`${name} loaded although its optional peer is not installed`);
    } catch (error) {
      if (error.name !== 'MissingPeerDependencyError' || !error.message.includes(advice)) problems.push(`${name}: ${error.name}: ${error.message}`);
    }
  }
  const { createRegistry, parseDatabaseUrl } = app('@client-cert-auth/registry');
  try {
    await createRegistry({ database: parseDatabaseUrl('postgres://nobody@127.0.0.1:9/none') });
    problems.push('a PostgreSQL registry opened without pg installed');
  } catch (error) {
    if (error.name !== 'MissingPeerDependencyError' || !error.message.includes('npm install pg'))
      problems.push(`registry on PostgreSQL without pg: ${error.name}: ${error.message}`);
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  console.log(`Node ${process.version}: ${Object.keys(ENTRIES).length} packages by require() and import(), same objects; missing optional peers named`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
