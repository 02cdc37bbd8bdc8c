import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Registry } from 'prom-client';
import { ClientCertAuthenticator } from '../authentication/client-cert.authenticator';
import { RESOLVED_OPTIONS } from '../client-cert-auth.tokens';
import type { ResolvedClientCertAuthOptions } from '../options/options.resolver';
import { createInstruments, type MetricInstruments } from './metric.instruments';

/**
 * Prometheus metrics of the authentication decisions, fed by `ClientCertAuthenticator.onDecision`
 * (nothing is added to the request path besides a few counter increments). Enabled with
 * `metrics: { enabled: true }`; serve `registry` from a route only your scraper can reach.
 *
 * @example
 * @Get('metrics') async metrics(@Res() res: Response) {
 *   res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
 * }
 */
@Injectable()
export class ClientCertMetrics implements OnModuleInit, OnModuleDestroy {
  /** The registry the metrics live in (the configured one, or this module's own; empty when disabled). */
  readonly registry: Registry;
  /** Whether metrics are recorded. */
  readonly enabled: boolean;
  private readonly logger = new Logger('ClientCertMetrics');
  private instruments?: MetricInstruments;
  private unsubscribe?: () => void;

  constructor(
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedClientCertAuthOptions,
    private readonly authenticator: ClientCertAuthenticator,
  ) {
    this.enabled = options.metrics.enabled;
    // A caller's registry is prom-client's own Registry (PrometheusRegistry only names what we use).
    this.registry = (options.metrics.registry as Registry | undefined) ?? new Registry();
  }

  onModuleInit(): void {
    if (!this.enabled) return;
    const read = this.authenticator.certificateExpiries();
    const expiries = read && {
      read,
      onFailure: (reason: string) =>
        this.logger.warn({ event: 'client_cert.metrics.expiry_unavailable', message: `account certificate expiries not read: ${reason}` }),
    };
    this.instruments = createInstruments(this.options.metrics, this.registry, () => this.authenticator.revocationHealth(), expiries);
    const instruments = this.instruments;
    this.unsubscribe = this.authenticator.onDecision((decision) => instruments.record(decision));
  }

  /** Unregisters the metrics, so a shared registry can take a new app instance (tests, hot reload). */
  onModuleDestroy(): void {
    this.unsubscribe?.();
    for (const metric of this.instruments?.all ?? []) {
      this.registry.removeSingleMetric((metric as unknown as { name: string }).name);
    }
    this.instruments = undefined;
  }

  /** The exposition text and its content type, for a `/metrics` route. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
