// '@client-cert-auth/core/metrics': Prometheus metrics, which need the optional peer prom-client.
import { requireOptionalPeer } from '../errors/optional-peer.loader';

requireOptionalPeer(require, 'prom-client', 'Metrics of @client-cert-auth/core (@client-cert-auth/core/metrics)');

export { ClientCertMetricsModule } from '../observability/client-cert-metrics.module';
export { ClientCertMetrics } from '../observability/client-cert.metrics';
export type { ClientCertMetricsOptions } from '../observability/metrics.options';
