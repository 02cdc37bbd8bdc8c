import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { ClientCertHealthIndicator } from '@client-cert-auth/core/health';

/**
 * Open on purpose: load balancers probe it without a client certificate. 200 when the account
 * registry answers and revocation data is usable; 503 (terminus) with the failing part otherwise.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly clientCert: ClientCertHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.clientCert.isRegistryHealthy(), () => this.clientCert.isRevocationHealthy()]);
  }
}
