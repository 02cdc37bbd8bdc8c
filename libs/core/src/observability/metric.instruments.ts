import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ClientCertDecision } from '../authentication/client-cert-decision';
import type { AccountCertificateExpiry } from '../registry/client-cert-registry';
import type { RevocationHealth } from '../revocation/revocation.checker';
import { createAccountExpiryGauge } from './account-expiry.gauge';
import type { ResolvedMetricsOptions } from './metrics.options';

/** Every metric the module exports, created once at bootstrap. */
export interface MetricInstruments {
  readonly all: ReadonlyArray<Counter | Gauge | Histogram>;
  record(decision: ClientCertDecision): void;
}

/** Bounded label for decisions without a profile (refused before a profile matched). */
const NO_PROFILE = 'none';
const BREAKER_STATES = ['closed', 'open', 'half-open'] as const;

/** Where the account-expiry gauge reads from (a registry with `soonestExpiries`), and where it reports failures. */
export interface AccountExpirySource {
  read(limit: number): Promise<readonly AccountCertificateExpiry[]>;
  onFailure(reason: string): void;
}

/**
 * Creates the metrics in `registry`. Label values come only from configuration (profile names,
 * CRL locations, OCSP URLs), fixed code lists and the registry's account names (bounded), never
 * from request input, so a client cannot grow the number of series.
 */
export function createInstruments(
  options: ResolvedMetricsOptions,
  registry: Registry,
  revocationHealth: () => RevocationHealth,
  accountExpiries?: AccountExpirySource,
): MetricInstruments {
  const p = options.prefix;
  const registers = [registry];
  const decisions = new Counter({
    name: `${p}decisions_total`,
    help: 'Authentication decisions by result code (OK or the refusal code) and proxy profile.',
    labelNames: ['result', 'profile'] as const,
    registers,
  });
  const duration = new Histogram({
    name: `${p}decision_duration_seconds`,
    help: 'Time to reach a decision (validation, revocation, registry), by outcome and verdict-cache use.',
    labelNames: ['outcome', 'cache'] as const,
    buckets: [...options.durationBuckets],
    registers,
  });
  const cacheHits = new Counter({ name: `${p}verdict_cache_hits_total`, help: 'Certificate verdicts served from the cache.', registers });
  const cacheMisses = new Counter({ name: `${p}verdict_cache_misses_total`, help: 'Certificate verdicts computed (cache miss).', registers });
  const spoofs = new Counter({
    name: `${p}spoof_attempts_total`,
    help: 'Requests refused with SOURCE_UNTRUSTED: not from a trusted proxy, or with a wrong shared secret / HMAC.',
    registers,
  });
  const revocation = new Counter({
    name: `${p}revocation_checks_total`,
    help: 'Revocation answers used in decisions, by status (good, revoked, unknown) and source (crl, ocsp, none).',
    labelNames: ['status', 'source'] as const,
    registers,
  });
  const dataAge = new Histogram({
    name: `${p}revocation_data_age_seconds`,
    help: 'Age (now - thisUpdate) of the CRL or OCSP response a decision relied on.',
    buckets: [60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86400, 3 * 86400, 7 * 86400],
    registers,
  });
  const revocationDuration = new Histogram({
    name: `${p}revocation_duration_seconds`,
    help: 'Time spent in the revocation step (CRL lookup, OCSP query) per decision that reached it.',
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const crlGauges = createCrlGauges(p, registers, revocationHealth);
  const expiryGauges = accountExpiries ? [createAccountExpiryGauge(p, registers, accountExpiries.read, accountExpiries.onFailure)] : [];

  return {
    all: [decisions, duration, cacheHits, cacheMisses, spoofs, revocation, dataAge, revocationDuration, ...crlGauges, ...expiryGauges],
    record(decision) {
      decisions.inc({ result: decision.result, profile: decision.profile ?? NO_PROFILE });
      const cache = decision.cached === undefined ? 'none' : decision.cached ? 'hit' : 'miss';
      duration.observe({ outcome: decision.result === 'OK' ? 'accepted' : 'refused', cache }, decision.durationMs / 1000);
      if (decision.cached === true) cacheHits.inc();
      if (decision.cached === false) cacheMisses.inc();
      if (decision.result === 'SOURCE_UNTRUSTED') spoofs.inc();
      if (decision.revocation) {
        revocation.inc({ status: decision.revocation.status, source: decision.revocation.source });
        if (decision.revocation.dataAgeSeconds !== undefined) dataAge.observe(decision.revocation.dataAgeSeconds);
      }
      if (decision.revocationMs !== undefined) revocationDuration.observe(decision.revocationMs / 1000);
    },
  };
}

/** Gauges read from the revocation checker at scrape time (no work per request). */
function createCrlGauges(p: string, registers: Registry[], revocationHealth: () => RevocationHealth): Gauge[] {
  const age = new Gauge({
    name: `${p}crl_age_seconds`,
    help: 'Seconds since thisUpdate of each loaded CRL.',
    labelNames: ['source'] as const,
    registers,
    collect() {
      this.reset();
      const now = Date.now();
      for (const crl of revocationHealth().crls) {
        if (crl.thisUpdate) this.set({ source: crl.source }, Math.round((now - crl.thisUpdate.getTime()) / 1000));
      }
    },
  });
  const fresh = new Gauge({
    name: `${p}crl_fresh`,
    help: '1 when the CRL at this location is loaded and before its nextUpdate, else 0.',
    labelNames: ['source'] as const,
    registers,
    collect() {
      this.reset();
      for (const crl of revocationHealth().crls) this.set({ source: crl.source }, crl.fresh ? 1 : 0);
    },
  });
  const breaker = new Gauge({
    name: `${p}ocsp_breaker_state`,
    help: '1 for the current circuit-breaker state of each OCSP responder (closed, open, half-open).',
    labelNames: ['url', 'state'] as const,
    registers,
    collect() {
      this.reset();
      for (const responder of revocationHealth().ocsp) {
        for (const state of BREAKER_STATES) this.set({ url: responder.url, state }, responder.breaker === state ? 1 : 0);
      }
    },
  });
  return [age, fresh, breaker];
}
