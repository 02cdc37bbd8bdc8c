import { Controller, Get, Res } from '@nestjs/common';
import { SkipClientCert } from '@client-cert-auth/core';
import { ClientCertMetrics } from '@client-cert-auth/core/metrics';

/**
 * Prometheus scrape endpoint. Open here so the sample is easy to try; in production serve it on
 * a separate port or path that only the scraper can reach (it reveals profile names, CRL
 * locations and traffic patterns), never through the public proxy.
 */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ClientCertMetrics) {}

  @Get()
  @SkipClientCert()
  async scrape(@Res({ passthrough: true }) response: { header(name: string, value: string): unknown }): Promise<string> {
    const { contentType, body } = await this.metrics.scrape();
    response.header('Content-Type', contentType);
    return body;
  }
}
