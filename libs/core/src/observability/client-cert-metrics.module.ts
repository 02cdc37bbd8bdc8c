import { Module } from '@nestjs/common';
import { ClientCertMetrics } from './client-cert.metrics';

/**
 * Prometheus metrics of the authentication decisions (needs `prom-client`). Import it next to
 * `ClientCertAuthModule` and set `metrics: { enabled: true }` in that module's options; inject
 * `ClientCertMetrics` to serve them.
 *
 * @example
 * imports: [ClientCertAuthModule.forRoot({ ...options, metrics: { enabled: true } }), ClientCertMetricsModule]
 */
@Module({ providers: [ClientCertMetrics], exports: [ClientCertMetrics] })
export class ClientCertMetricsModule {}
