/**
 * Scratch profiler (not part of `npm run bench`): what one property access costs on the request
 * and response objects of a running Express 5 server, the operations a guard needs. Each request
 * runs every operation once (rotated order) under autocannon load; prints the mean per
 * operation, hrtime overhead (~50 ns) included.
 *
 *   node --allow-natives-syntax bench/profile/express-access.profile.js
 *
 * With --allow-natives-syntax it also prints whether consecutive requests share a hidden class
 * (they do not: Express re-prototypes every req/res, so every access misses V8's inline caches).
 */
'use strict';
const express = require('express');
const autocannon = require('autocannon');

const sameMap = process.execArgv.includes('--allow-natives-syntax') ? new Function('a', 'b', 'return %HaveSameMap(a, b)') : undefined;
const app = express();
const clients = new WeakMap();
const KEY = Symbol('client');
const CLIENT = Object.freeze({});
const operations = {
  'read req.rawHeaders (own)': (req) => req.rawHeaders,
  'read req.raw (missing)': (req) => req.raw,
  'read req.socket.remoteAddress': (req) => req.socket.remoteAddress,
  'WeakMap.set(req)': (req) => clients.set(req, CLIENT),
  'new property req[symbol]': (req) => (req[KEY] = CLIENT),
  'new property req.clientCert': (req) => (req.clientCert = CLIENT),
  'res.locals[symbol] =': (req) => (req.res.locals[KEY] = CLIENT),
  "res.header('Cache-Control')": (req) => req.res.header('Cache-Control', 'no-store'),
  "res.setHeader('Cache-Control')": (req) => req.res.setHeader('Cache-Control', 'no-store'),
};
const names = Object.keys(operations);
const totals = new Map(names.map((name) => [name, 0n]));
let count = 0;
let previous;
let mapsShared = 0;

app.get('/x', (req, res) => {
  const first = count % names.length;
  for (let i = 0; i < names.length; i++) {
    const name = names[(first + i) % names.length];
    const started = process.hrtime.bigint();
    operations[name](req);
    totals.set(name, totals.get(name) + (process.hrtime.bigint() - started));
  }
  if (sameMap && previous && sameMap(req, previous)) mapsShared++;
  previous = req;
  count++;
  res.end('ok');
});

const server = app.listen(0, '127.0.0.1', async () => {
  const url = `http://127.0.0.1:${server.address().port}/x`;
  await autocannon({ url, duration: 2, connections: 10 });
  for (const name of names) totals.set(name, 0n);
  count = 0;
  mapsShared = 0;
  await autocannon({ url, duration: 5, connections: 10 });
  for (const name of names) console.log(`${name.padEnd(32)} ${(Number(totals.get(name)) / count).toFixed(0).padStart(6)} ns`);
  if (sameMap) console.log(`requests sharing the previous request's hidden class: ${mapsShared} of ${count}`);
  server.close();
});
