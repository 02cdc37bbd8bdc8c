import { Gauge, type Registry } from 'prom-client';
import type { AccountCertificateExpiry } from '../registry/client-cert-registry';

/**
 * Accounts (label values) the gauge shows at most: the soonest ones. Account names are operator
 * data, not request input, but a registry of many thousands must not become as many series.
 */
export const MAX_EXPIRY_ACCOUNTS = 1000;

/** A scrape does not wait longer than this for the registry; the series are left out instead. */
export const ACCOUNT_EXPIRY_READ_TIMEOUT_MS = 2000;

/**
 * `<prefix>account_cert_expiry_timestamp_seconds{account}`: per account, the Unix time at which
 * the soonest-expiring certificate it last used expires. Read from the registry at scrape time
 * (one grouped query), never per request. A Unix timestamp rather than "seconds left", as
 * Prometheus recommends: alert on `… - time() < 30 * 86400`.
 *
 * When the registry fails or does not answer in time, the scrape still succeeds, without these
 * series (`onFailure` says why), so an outage never costs the other metrics.
 */
export function createAccountExpiryGauge(
  prefix: string,
  registers: Registry[],
  read: (limit: number) => Promise<readonly AccountCertificateExpiry[]>,
  onFailure: (reason: string) => void,
): Gauge {
  return new Gauge({
    name: `${prefix}account_cert_expiry_timestamp_seconds`,
    help: 'Unix time at which the soonest-expiring certificate each account last used expires (the 1000 soonest active accounts).',
    labelNames: ['account'] as const,
    registers,
    async collect() {
      const expiries = await readWithin(read, onFailure);
      // Reset after the await: a concurrent scrape's values are replaced whole, never mixed.
      this.reset();
      for (const { account, notAfter } of expiries.slice(0, MAX_EXPIRY_ACCOUNTS)) {
        this.set({ account }, Math.floor(notAfter.getTime() / 1000));
      }
    },
  });
}

async function readWithin(
  read: (limit: number) => Promise<readonly AccountCertificateExpiry[]>,
  onFailure: (reason: string) => void,
): Promise<readonly AccountCertificateExpiry[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the registry did not answer within ${ACCOUNT_EXPIRY_READ_TIMEOUT_MS} ms`)), ACCOUNT_EXPIRY_READ_TIMEOUT_MS);
  });
  try {
    return await Promise.race([read(MAX_EXPIRY_ACCOUNTS), timeout]);
  } catch (error) {
    onFailure(error instanceof Error ? error.message : String(error));
    return [];
  } finally {
    clearTimeout(timer);
  }
}
