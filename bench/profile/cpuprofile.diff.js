/**
 * Per-request CPU time by function, from two profiles of `server.profile.ts` (A, then B), over
 * each one's measured load window (its last `seconds`, less half a second at each edge): self
 * time in µs per request, B - A, largest differences first. Samples are 50 µs apart, so figures
 * under ~0.05 µs per request are noise.
 *
 *   node bench/profile/cpuprofile.diff.js /tmp/cca-profiles/trivial-fastify /tmp/cca-profiles/guarded-fastify [top]
 */
'use strict';
const { readFileSync } = require('node:fs');

function perRequest(base) {
  const profile = JSON.parse(readFileSync(`${base}.cpuprofile`, 'utf8'));
  const run = JSON.parse(readFileSync(`${base}.json`, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const total = profile.timeDeltas.reduce((sum, delta) => sum + delta, 0);
  const from = total - (run.seconds - 0.5) * 1e6;
  const to = total - 0.5e6;
  const self = new Map();
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < from || at > to) continue;
    const { functionName, url, lineNumber } = nodes.get(profile.samples[i]).callFrame;
    const key = `${functionName || '(anonymous)'} ${url.replace(/.*\/(node_modules\/)?/, '')}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const requests = run.requests * ((run.seconds - 1) / run.seconds);
  return new Map([...self].map(([key, micros]) => [key, micros / requests]));
}

const [a, b, top = '30'] = process.argv.slice(2);
const before = perRequest(a);
const after = perRequest(b);
const busy = (m) => [...m].filter(([k]) => !k.startsWith('(idle)')).reduce((sum, [, v]) => sum + v, 0);
console.log(`busy CPU per request: A ${busy(before).toFixed(2)} µs, B ${busy(after).toFixed(2)} µs`);
console.log('   B - A        A        B  function');
const rows = [...new Set([...before.keys(), ...after.keys()])].map((k) => [k, before.get(k) ?? 0, after.get(k) ?? 0]);
rows.sort((x, y) => Math.abs(y[2] - y[1]) - Math.abs(x[2] - x[1]));
for (const [key, x, y] of rows.slice(0, Number(top))) {
  console.log(`${(y - x).toFixed(3).padStart(8)} ${x.toFixed(3).padStart(8)} ${y.toFixed(3).padStart(8)}  ${key}`);
}
