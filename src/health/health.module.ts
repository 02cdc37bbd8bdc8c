import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ClientCertRegistryProbe } from '@client-cert-auth/core';
import { ClientCertHealthIndicator } from '@client-cert-auth/core/health';
import { ClientCertMetricsModule } from '@client-cert-auth/core/metrics';
import { RegistryHealthProbe } from '@client-cert-auth/registry';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';

/** The sample's operational routes: `/health` (terminus) and `/metrics` (Prometheus). */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), ClientCertMetricsModule],
  controllers: [HealthController, MetricsController],
  providers: [ClientCertHealthIndicator, { provide: ClientCertRegistryProbe, useClass: RegistryHealthProbe }],
})
export class HealthModule {}
