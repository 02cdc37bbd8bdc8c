/**
 * The issue-14 table of several `npm run bench` runs side by side, from their JSON files
 * (results/run-*.json or last-run.json): the goal rows, then per cold scenario the server CPU per
 * request above the open route's, over the raw verify the same run's validation part measured (a
 * tight loop in another process; the raw-verify route's own reading beside it, the floor of that
 * reading) and over the raw-verify route's (one verify in the same server; `-` for runs from
 * before that route).
 *
 *   node bench/report/runs.table.js bench/results/run-1200.json bench/results/run-1209.json ...
 */
const { readFileSync } = require('node:fs');
const { basename } = require('node:path');

const files = process.argv.slice(2);
const runs = files.map((file) => JSON.parse(readFileSync(file, 'utf8')));
const row = (run, area, comparison) => run.rows.find((r) => r.area === area && r.comparison.startsWith(comparison));
const cell = (r) => (r === undefined ? '-' : `${r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x `}(${r.measured} vs ${r.reference ?? ''})`);

const scenarios = ['Fastify P-256', 'Express P-256', 'Fastify RSA-2048', 'Express RSA-2048'];
const wanted = [
  ['HTTP Fastify', 'ClientCertGuard (warm) / open'],
  ['HTTP Fastify', 'trivial guard (Nest floor) / open'],
  ['HTTP Express', 'ClientCertGuard (warm) / open'],
  ...scenarios.flatMap((s) => [
    [`HTTP ${s} cold`, 'req/s: ClientCertGuard / hand-written'],
    [`HTTP ${s} cold`, 'server CPU per request: ClientCertGuard / hand-written'],
  ]),
  ...scenarios.map((s) => [`HTTP ${s} flood`, 'server CPU per request: ClientCertGuard / hand-written']),
  ['Validation P-256', 'bench/validation.bench.ts: never-seen'],
  ['Validation P-256', 'never-seen leaf, cached'],
  ['Validation RSA-2048', 'never-seen leaf, cached'],
  ['Registry SQLite', 'never-seen certificate: lookup with the key index'],
  ['Registry SQLite', 'never-seen certificate (isDenied + resolve)'],
  ['Memory', 'RSS'],
  ['Memory', 'heap'],
];

console.log(`| area | comparison | ${files.map((f) => basename(f)).join(' | ')} |`);
console.log(`|---|---|${'---|'.repeat(files.length)}`);
for (const [area, comparison] of wanted) {
  const cells = runs.map((run) => row(run, area, comparison));
  console.log(`| ${area} | ${cells.find(Boolean)?.comparison ?? comparison} | ${cells.map(cell).join(' | ')} |`);
}
for (const scenario of scenarios) {
  const [adapter, key] = scenario.toLowerCase().split(' ');
  const cells = runs.map((run) => {
    const raw = run.raw[`http_${adapter}_${key}_cold`];
    const validation = row(run, `Validation ${scenario.split(' ')[1]}`, 'never-seen leaf, cached');
    if (!raw || !validation) return '-';
    const verify = parseFloat(validation.reference);
    const above = (route) => raw[route].cpuUsPerRequest - raw.open.cpuUsPerRequest;
    // The raw-verify route is one verify and nothing else: its own reading is this one's floor.
    const floor = raw['raw-verify'] ? `; raw-verify route ${(above('raw-verify') / verify).toFixed(1)}x` : '';
    return `${(above('guarded') / verify).toFixed(1)}x (${above('guarded').toFixed(0)} µs; hand-written ${(above('hand-written') / verify).toFixed(1)}x${floor}) / raw ${verify} µs`;
  });
  console.log(`| ${scenario} cold | server CPU per request above the open route / one raw verify | ${cells.join(' | ')} |`);
  const sameServer = runs.map((run) => {
    const raw = run.raw[`http_${adapter}_${key}_cold`];
    if (!raw?.['raw-verify']) return '-';
    const above = (route) => raw[route].cpuUsPerRequest - raw.open.cpuUsPerRequest;
    // As run.ts's row: the median of per-round ratios (each round's routes against each other).
    const paired = (route) => {
      const ratios = raw[route].cpuSlices
        .map((cpu, round) => [cpu - raw.open.cpuSlices[round], raw['raw-verify'].cpuSlices[round] - raw.open.cpuSlices[round]])
        .filter(([, floor]) => floor > 0)
        .map(([cost, floor]) => cost / floor)
        .sort((a, b) => a - b);
      if (ratios.length === 0) return NaN;
      const middle = ratios.length >> 1;
      return ratios.length % 2 ? ratios[middle] : (ratios[middle - 1] + ratios[middle]) / 2;
    };
    return `${paired('guarded').toFixed(2)}x (${above('guarded').toFixed(0)} µs; hand-written ${paired('hand-written').toFixed(1)}x) / raw-verify route ${above('raw-verify').toFixed(1)} µs`;
  });
  console.log(`| ${scenario} cold | server CPU per request above the open route / the raw-verify route's (same server) | ${sameServer.join(' | ')} |`);
}
