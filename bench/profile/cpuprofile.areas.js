/**
 * Self time per request by area, from `server.profile.ts` profiles, over each one's measured load
 * window (as cpuprofile.diff.js): node:crypto, core JS, the registry's SQLite statement (self time
 * of `SqliteCandidateReader.run`, i.e. the native `Statement.all`) apart from the registry's JS,
 * GC, event loop, timers and the HTTP stack. lru-cache, SHA-256 and buffer work are charged to the
 * package (core or registry) that called them. One column per profile; DETAIL=1 splits the HTTP row.
 *
 *   node bench/profile/cpuprofile.areas.js /tmp/cca-profiles/hand-written-fastify-cold-p-256 /tmp/cca-profiles/guarded-fastify-cold-p-256
 */
'use strict';
const { readFileSync } = require('node:fs');
function perRequest(base) {
  const profile = JSON.parse(readFileSync(`${base}.cpuprofile`, 'utf8'));
  const run = JSON.parse(readFileSync(`${base}.json`, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const owner = (id) => {
    let at = id;
    while (at !== undefined && nodes.get(at).callFrame.url === '' && !nodes.get(at).callFrame.functionName.startsWith('(')) at = parent.get(at);
    return at ?? id;
  };
  // nearest libs/ or bench/ frame up the stack, for lru-cache, hash, timers attribution
  const libOf = (id) => {
    let at = id;
    while (at !== undefined) {
      const u = nodes.get(at).callFrame.url;
      if (/libs\/(core|registry)/.test(u)) return u.includes('libs/registry') ? 'registry' : 'core';
      at = parent.get(at);
    }
    return undefined;
  };
  const total = profile.timeDeltas.reduce((s, d) => s + d, 0);
  const from = total - (run.seconds - 0.5) * 1e6,
    to = total - 0.5e6;
  const out = new Map();
  let at = 0;
  const add = (k, v) => out.set(k, (out.get(k) ?? 0) + v);
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < from || at > to) continue;
    const id = profile.samples[i],
      d = profile.timeDeltas[i] ?? 0;
    const f = nodes.get(id).callFrame,
      own = nodes.get(owner(id)).callFrame,
      u = own.url,
      fn = f.functionName;
    let k;
    if (fn === '(idle)') k = 'idle (not CPU)';
    else if (fn === '(garbage collector)') k = 'garbage collector';
    else if (fn === '(program)') k = '(program): native, event loop';
    else if (/crypto\/(sig|x509)/.test(u)) k = 'signature verification / X509 parse (node:crypto)';
    else if (/sqlite-candidate\.reader/.test(u) && fn === 'run') k = 'registry: the SQLite statement (better-sqlite3 native)';
    else if (/libs\/registry|typeorm|better-sqlite3/.test(u) || (/lru-cache/.test(u) && libOf(id) === 'registry'))
      k = 'registry: JS (keys, caches, matcher, hydration)';
    else if (/libs\/core/.test(u) || (/lru-cache|crypto\/hash|node:buffer|internal\/buffer/.test(u) && libOf(id) === 'core'))
      k = 'core: JS (decode, path, principal, pipeline, caches, SHA-256)';
    else if (/hand-written/.test(u)) k = 'hand-written guard JS';
    else if (/stream_base_commons/.test(u) && fn === 'writev') k = 'HTTP: writev (response syscall)';
    else if (/internal\/timers|node:timers/.test(u)) k = 'timers / setImmediate (node:internal/timers)';
    else {
      k = 'HTTP: Node http, Fastify, Nest, streams, microtasks';
      if (process.env.DETAIL)
        add(
          '  > ' +
            (u
              .replace(/.*node_modules\//, '')
              .split('/')
              .slice(0, 2)
              .join('/') || fn) +
            (f.url === '' ? ' [' + fn + ']' : ''),
          d,
        );
    }
    add(k, d);
  }
  const requests = run.requests * ((run.seconds - 1) / run.seconds);
  return new Map([...out].map(([k, v]) => [k, v / requests]));
}
const bases = process.argv.slice(2);
const maps = bases.map(perRequest);
const keys = [...new Set(maps.flatMap((m) => [...m.keys()]))].sort(
  (a, b) => Math.max(...maps.map((m) => m.get(b) ?? 0)) - Math.max(...maps.map((m) => m.get(a) ?? 0)),
);
console.log('| area | ' + bases.map((b) => b.split('/').slice(-2).join('/')).join(' | ') + ' |');
for (const k of keys) console.log(`| ${k} | ${maps.map((m) => (m.get(k) ?? 0).toFixed(1)).join(' | ')} |`);
const busy = (m) => [...m].filter(([k]) => !k.startsWith('idle')).reduce((s, [, v]) => s + v, 0);
console.log(`| **busy total** | ${maps.map((m) => busy(m).toFixed(1)).join(' | ')} |`);
