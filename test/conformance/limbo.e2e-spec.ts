import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { VALIDATION_MODES } from '../../libs/core/src/certificate/validation.spec-helper';
import { type LimboCase, UNSUPPORTED_FEATURES, runCase } from './limbo.adapter';

/**
 * x509-limbo conformance: every core case goes through CertificatePathValidator (with the
 * case's time, EKU, key usage and depth), peer names are matched here for SERVER cases.
 * The corpus is vendored in fixtures/x509-limbo (Apache-2.0), with pyca's verdicts for disagreements.
 */
const CORPUS = resolve(__dirname, 'fixtures/x509-limbo/limbo-core.json');
const PYCA = resolve(__dirname, 'fixtures/x509-limbo/pyca-cryptography-48.0.0.core.json');
const MIN_AGREEMENT = 0.98;
const MAX_SKIPS = 10;
const MAX_CASE_MS = 1000;

// Both ways: the thread-pool pre-verification must agree case by case with the synchronous path.
const verdicts = new Map<string, string>();

describe.each(VALIDATION_MODES)('x509-limbo core conformance (%s)', (mode) => {
  it('agrees with the expected results', async () => {
    const cases: LimboCase[] = JSON.parse(readFileSync(CORPUS, 'utf8')).testcases;
    const byPrefix = new Map<string, { agree: number; total: number }>();
    const skips: string[] = [];
    const disagreements: string[] = [];
    const slow: string[] = [];
    const differences: string[] = [];
    const pyca = new Map<string, string>(
      JSON.parse(readFileSync(PYCA, 'utf8')).results.map((r: { id: string; actual_result: string }) => [r.id, r.actual_result]),
    );
    let slowest = { id: '', ms: 0 };
    for (const c of cases) {
      const missing = (c.features ?? []).filter((f) => UNSUPPORTED_FEATURES.has(f));
      if (missing.length) {
        skips.push(`${c.id} (feature ${missing.join(', ')})`);
        continue;
      }
      const started = performance.now();
      const { result, reason } = await runCase(c, mode);
      const ms = performance.now() - started;
      if (ms > MAX_CASE_MS) slow.push(`${c.id}: ${ms.toFixed(0)} ms`);
      if (ms > slowest.ms) slowest = { id: c.id, ms };
      // Verdict and reason, without the CRL's temporary directory (a new one per run).
      const outcome = `${result}: ${reason.replace(/limbo-crl-\w+/g, 'limbo-crl')}`;
      const other = verdicts.get(c.id);
      if (other !== undefined && other !== outcome) differences.push(`${c.id}: ${other} / ${mode}: ${outcome}`);
      verdicts.set(c.id, outcome);
      const prefix = c.id.split('::')[0];
      const stats = byPrefix.get(prefix) ?? { agree: 0, total: 0 };
      stats.total++;
      if (result === c.expected_result) stats.agree++;
      else disagreements.push(`${c.id}: expected ${c.expected_result}, got ${result}, pyca ${pyca.get(c.id) ?? '?'} (${reason})`);
      byPrefix.set(prefix, stats);
    }
    const evaluated = [...byPrefix.values()].reduce((n, s) => n + s.total, 0);
    const agreed = [...byPrefix.values()].reduce((n, s) => n + s.agree, 0);
    const lines = [...byPrefix].map(([prefix, s]) => `  ${prefix.padEnd(13)} ${s.agree}/${s.total} (${((100 * s.agree) / s.total).toFixed(1)}%)`);
    console.log(
      [
        `limbo core (${mode}): ${agreed}/${evaluated} agree (${((100 * agreed) / evaluated).toFixed(2)}%), ${skips.length} skipped`,
        ...lines,
        `slowest case: ${slowest.id} ${slowest.ms.toFixed(1)} ms`,
        'skipped:',
        ...skips.map((s) => `  ${s}`),
        'disagreements:',
        ...disagreements.map((d) => `  ${d}`),
      ].join('\n'),
    );
    expect(differences).toEqual([]);
    expect(slow).toEqual([]);
    expect(skips.length).toBeLessThanOrEqual(MAX_SKIPS);
    expect(agreed / evaluated).toBeGreaterThanOrEqual(MIN_AGREEMENT);
  });
});
