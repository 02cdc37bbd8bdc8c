import { Registry } from 'prom-client';
import type { ClientCertDecision } from '../authentication/client-cert-decision';
import type { RevocationHealth } from '../revocation/revocation.checker';
import { createInstruments } from './metric.instruments';
import { resolveMetricsOptions } from './metrics.options';

const value = async (registry: Registry, name: string, labels: Record<string, string> = {}) => {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const entry = (metric?.values ?? []).find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x));
  return entry?.value;
};

describe('createInstruments', () => {
  const thisUpdate = new Date(Date.now() - 600_000);
  const health: RevocationHealth = {
    crls: [
      { source: 'file:/etc/ca.crl', fresh: true, thisUpdate, nextUpdate: new Date(Date.now() + 3600_000) },
      { source: 'http://crl.test/old.crl', fresh: false },
    ],
    ocsp: [{ url: 'http://ocsp.test/', breaker: 'open' }],
  };
  let registry: Registry;
  let record: (d: ClientCertDecision) => void;

  beforeEach(() => {
    registry = new Registry();
    record = createInstruments(resolveMetricsOptions({ enabled: true }), registry, () => health).record;
  });

  it.each([
    [
      { result: 'OK', profile: 'waf', cached: true, durationMs: 0.2 },
      { result: 'OK', profile: 'waf' },
    ],
    [
      { result: 'SOURCE_UNTRUSTED', durationMs: 0.1 },
      { result: 'SOURCE_UNTRUSTED', profile: 'none' },
    ],
    [
      { result: 'CERT_REVOKED', profile: 'edge', cached: false, durationMs: 3 },
      { result: 'CERT_REVOKED', profile: 'edge' },
    ],
  ] as const)('counts %j under %j', async (decision, labels) => {
    record(decision);
    expect(await value(registry, 'client_cert_decisions_total', labels)).toBe(1);
  });

  it('counts spoof attempts, cache hits and misses, revocation answers and their age', async () => {
    record({ result: 'SOURCE_UNTRUSTED', durationMs: 0.1 });
    record({ result: 'OK', profile: 'waf', cached: true, durationMs: 0.2, revocation: { status: 'good', source: 'crl', dataAgeSeconds: 120 } });
    record({ result: 'OK', profile: 'waf', cached: false, durationMs: 4, revocation: { status: 'good', source: 'ocsp', dataAgeSeconds: 30 } });
    expect(await value(registry, 'client_cert_spoof_attempts_total')).toBe(1);
    expect(await value(registry, 'client_cert_verdict_cache_hits_total')).toBe(1);
    expect(await value(registry, 'client_cert_verdict_cache_misses_total')).toBe(1);
    expect(await value(registry, 'client_cert_revocation_checks_total', { status: 'good', source: 'crl' })).toBe(1);
    const text = await registry.metrics();
    expect(text).toMatch(/client_cert_revocation_data_age_seconds_count 2/);
    expect(text).toMatch(/client_cert_decision_duration_seconds_count\{outcome="accepted",cache="hit"\} 1/);
  });

  it('observes revocation latency when the decision carries revocationMs', async () => {
    record({ result: 'OK', durationMs: 5, revocation: { status: 'good', source: 'ocsp' }, revocationMs: 4 } as ClientCertDecision);
    record({ result: 'OK', durationMs: 1 });
    expect(await registry.metrics()).toMatch(/client_cert_revocation_duration_seconds_count 1/);
  });

  it('reads CRL age, freshness and OCSP breaker state at scrape time', async () => {
    expect(await value(registry, 'client_cert_crl_age_seconds', { source: 'file:/etc/ca.crl' })).toBeGreaterThanOrEqual(600);
    expect(await value(registry, 'client_cert_crl_fresh', { source: 'file:/etc/ca.crl' })).toBe(1);
    expect(await value(registry, 'client_cert_crl_fresh', { source: 'http://crl.test/old.crl' })).toBe(0);
    expect(await value(registry, 'client_cert_ocsp_breaker_state', { url: 'http://ocsp.test/', state: 'open' })).toBe(1);
    expect(await value(registry, 'client_cert_ocsp_breaker_state', { url: 'http://ocsp.test/', state: 'closed' })).toBe(0);
  });

  it('uses the configured prefix', async () => {
    const other = new Registry();
    createInstruments(resolveMetricsOptions({ enabled: true, prefix: 'edge_auth_' }), other, () => health).record({ result: 'OK', durationMs: 1 });
    expect(await value(other, 'edge_auth_decisions_total', { result: 'OK' })).toBe(1);
  });
});

describe('resolveMetricsOptions', () => {
  it('is off by default with the client_cert_ prefix', () => {
    expect(resolveMetricsOptions(undefined)).toEqual(expect.objectContaining({ enabled: false, prefix: 'client_cert_' }));
  });
  it.each([[{ prefix: '1bad' }], [{ prefix: 'has-dash_' }], [{ durationBuckets: [] }], [{ durationBuckets: [0.1, 0.01] }]])('refuses %j', (options) => {
    expect(() => resolveMetricsOptions(options)).toThrow(/ClientCertAuthModule: metrics\./);
  });
});
