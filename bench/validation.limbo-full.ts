/**
 * The full x509-limbo corpus (9,780 cases, BetterTLS included) through the conformance adapter:
 * agreement per prefix (expected, and with pyca/cryptography), the slowest case, disagreements.
 * Not part of the test suite (about 15 s). Run:
 *   npm run bench:file bench/validation.limbo-full.ts
 * The full corpus is not vendored (8 MB): it is read from the project's shared folder beside the
 * repository, or from LIMBO_DIR.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runCase, UNSUPPORTED_FEATURES } from '../test/conformance/limbo.adapter';
const LIMBO_DIR = process.env.LIMBO_DIR ?? resolve(__dirname, '../../shared/conformance');

async function main() {
  const d = JSON.parse(gunzipSync(readFileSync(join(LIMBO_DIR, 'limbo.json.gz'))).toString());
  const pyca = new Map<string, string>(
    JSON.parse(readFileSync(join(LIMBO_DIR, 'reference-results/pyca-cryptography-48.0.0.json'), 'utf8')).results.map((r: any) => [r.id, r.actual_result]),
  );
  const stats = new Map<string, [number, number, number]>();
  let slowest = 0,
    slowId = '';
  const dis: string[] = [];
  for (const c of d.testcases) {
    if ((c.features ?? []).some((f: string) => UNSUPPORTED_FEATURES.has(f))) continue;
    const t = performance.now();
    const r = await runCase(c);
    const ms = performance.now() - t;
    if (ms > slowest) {
      slowest = ms;
      slowId = c.id;
    }
    const p = c.id.split('::')[0];
    const s = stats.get(p) ?? [0, 0, 0];
    s[1]++;
    if (r.result === c.expected_result) s[0]++;
    else {
      dis.push(`${c.id} exp ${c.expected_result} got ${r.result} pyca ${pyca.get(c.id)} ${r.reason.slice(0, 120)}`);
    }
    if (r.result === pyca.get(c.id)) s[2]++;
    stats.set(p, s);
  }
  for (const [prefix, [agree, total, pyca]] of stats) console.log(`${prefix.padEnd(13)} ${agree}/${total} expected, ${pyca}/${total} same as pyca`);
  console.log(`slowest case: ${slowId} ${slowest.toFixed(1)} ms`);
  console.log(dis.slice(0, 40).join('\n'));
  console.log('disagreements', dis.length);
}
void main();
