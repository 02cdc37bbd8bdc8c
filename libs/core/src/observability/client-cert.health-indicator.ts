import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ClientCertAuthenticator } from '../authentication/client-cert.authenticator';
import { RESOLVED_OPTIONS } from '../client-cert-auth.tokens';
import type { ResolvedClientCertAuthOptions } from '../options/options.resolver';
import { ClientCertRegistryProbe } from './registry.probe';
import { summarizeRevocation, type RevocationHealthPolicy } from './revocation-health.summary';

/**
 * Terminus health indicator of the certificate authentication's dependencies. Provide it next to
 * `TerminusModule` (with a `ClientCertRegistryProbe`) and list its checks in `HealthCheckService.check`.
 * A `down` result makes terminus answer 503.
 *
 * @example
 * @Get('health') @HealthCheck()
 * check() {
 *   return this.health.check([() => this.clientCert.isRegistryHealthy(), () => this.clientCert.isRevocationHealthy()]);
 * }
 */
@Injectable()
export class ClientCertHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly authenticator: ClientCertAuthenticator,
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedClientCertAuthOptions,
    @Optional() private readonly probe?: ClientCertRegistryProbe,
  ) {}

  /**
   * Up when the registry answers within `timeoutMs`. Without a `ClientCertRegistryProbe` provider
   * it is up with `checked: false` (nothing to ask).
   * @param key the key in the health response.
   */
  async isRegistryHealthy(key = 'client_cert_registry', { timeoutMs = 1000 }: { timeoutMs?: number } = {}): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    if (!this.probe) return session.up({ checked: false });
    const started = Date.now();
    try {
      await this.probe.ping(timeoutMs);
      return session.up({ latencyMs: Date.now() - started });
    } catch (error) {
      return session.down({ message: `registry unreachable: ${(error as Error)?.message ?? String(error)}` });
    }
  }

  /**
   * CRL freshness and OCSP circuit breakers. Stale CRLs and open breakers are always listed; they
   * make the result `down` by `policy` (default: only when some path runs in `hard-fail`, where
   * they turn requests into 503s; in `soft-fail` they are reported and alerted on through metrics).
   * @param key the key in the health response.
   */
  isRevocationHealthy(key = 'client_cert_revocation', policy: RevocationHealthPolicy = {}): HealthIndicatorResult {
    const summary = summarizeRevocation(this.authenticator.revocationHealth(), this.options.revocation, policy);
    const session = this.indicators.check(key);
    return summary.healthy ? session.up(summary.details) : session.down(summary.details);
  }
}
