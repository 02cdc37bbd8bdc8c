import { ClientCertOptionsError } from '../options/options.error';

/**
 * Prometheus metrics (prom-client). Off by default: the module never registers metrics an
 * application did not ask for. Recorded by `ClientCertMetricsModule` from
 * `@client-cert-auth/core/metrics` (which needs prom-client installed).
 *
 * @example { enabled: true }                      // own registry, read it from ClientCertMetrics.registry
 * @example { enabled: true, registry: register }  // prom-client's global registry, next to your own metrics
 */
/**
 * prom-client's `Registry`, described by what this module uses of it, so that the main entry's
 * types do not need prom-client installed.
 */
export interface PrometheusRegistry {
  readonly contentType: string;
  metrics(): Promise<string>;
  removeSingleMetric(name: string): void;
}

export interface ClientCertMetricsOptions {
  /**
   * Record metrics at all.
   * @default false
   */
  enabled?: boolean;
  /**
   * Where the metrics are registered. The default is a registry of this module alone, so two
   * apps in one process (tests) never clash; pass prom-client's `register` to share the global one.
   * @default new Registry()
   */
  registry?: PrometheusRegistry;
  /**
   * Prefix of every metric name.
   * @default 'client_cert_'
   */
  prefix?: string;
  /**
   * Buckets of the decision-duration histogram, in seconds. The cached path takes well under a
   * millisecond, a full validation a few milliseconds, a registry or OCSP round trip more.
   * @default [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
   */
  durationBuckets?: number[];
}

/** Metrics options after defaulting. */
export interface ResolvedMetricsOptions {
  readonly enabled: boolean;
  readonly registry?: PrometheusRegistry;
  readonly prefix: string;
  readonly durationBuckets: readonly number[];
}

const DEFAULT_BUCKETS = Object.freeze([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]);
const PREFIX = /^[a-zA-Z_:][a-zA-Z0-9_:]*$|^$/;

/**
 * Defaults and checks the metrics options (bootstrap only).
 * @throws ClientCertOptionsError for a prefix Prometheus cannot use or unsorted buckets.
 */
export function resolveMetricsOptions(options: ClientCertMetricsOptions | undefined): ResolvedMetricsOptions {
  const prefix = options?.prefix ?? 'client_cert_';
  if (!PREFIX.test(prefix)) {
    throw new ClientCertOptionsError('metrics.prefix', `is "${prefix}"`, 'Use letters, digits, "_" and ":" (not starting with a digit).');
  }
  const buckets = options?.durationBuckets ?? DEFAULT_BUCKETS;
  if (!Array.isArray(buckets) || buckets.length === 0 || buckets.some((b, i) => !(b > 0) || (i > 0 && b <= buckets[i - 1]))) {
    throw new ClientCertOptionsError(
      'metrics.durationBuckets',
      'is not a list of increasing positive numbers',
      'Give bucket bounds in seconds, e.g. [0.001, 0.01, 0.1, 1].',
    );
  }
  return Object.freeze({
    enabled: options?.enabled === true,
    registry: options?.registry,
    prefix,
    durationBuckets: Object.freeze([...buckets]),
  });
}
