import type { RevocationHealth } from '../revocation/revocation.checker';
import { summarizeRevocation } from './revocation-health.summary';

const fresh = { source: 'file:/etc/ca.crl', fresh: true };
const stale = { source: 'http://crl.test/ca.crl', fresh: false, lastError: 'HTTP 503' };
const state = (crls: RevocationHealth['crls'], breaker: 'closed' | 'open' | 'half-open' = 'closed'): RevocationHealth => ({
  crls,
  ocsp: [{ url: 'http://ocsp.test/', breaker }],
});

describe('summarizeRevocation', () => {
  it.each([
    ['all fresh, hard-fail', state([fresh]), 'hard-fail', {}, true],
    ['stale CRL, hard-fail', state([fresh, stale]), 'hard-fail', {}, false],
    ['stale CRL, soft-fail (reported only)', state([stale]), 'soft-fail', {}, true],
    ['stale CRL, soft-fail, policy down', state([stale]), 'soft-fail', { staleCrl: 'down' }, false],
    ['stale CRL, hard-fail, policy report', state([stale]), 'hard-fail', { staleCrl: 'report' }, true],
    ['open breaker, hard-fail', state([fresh], 'open'), 'hard-fail', {}, false],
    ['half-open breaker, hard-fail', state([fresh], 'half-open'), 'hard-fail', {}, true],
    ['open breaker, soft-fail', state([fresh], 'open'), 'soft-fail', {}, true],
    ['open breaker, off, policy down', state([], 'open'), 'off', { openBreaker: 'down' }, false],
  ] as const)('%s: healthy=%s', (_label, health, mode, policy, healthy) => {
    expect(summarizeRevocation(health, { mode }, policy).healthy).toBe(healthy);
  });

  it('treats a hard-fail anchor override like a hard-fail module', () => {
    const summary = summarizeRevocation(state([stale]), { mode: 'soft-fail', anchors: [{ subject: 'CN=Partner Root', mode: 'hard-fail' }] });
    expect(summary).toEqual({
      healthy: false,
      details: { mode: 'soft-fail', crls: 1, staleCrls: ['http://crl.test/ca.crl'], ocspResponders: 1, openBreakers: [] },
    });
  });
});
