import { Controller, Get } from '@nestjs/common';

/** Open on purpose: load balancers probe it without a client certificate. */
@Controller('health')
export class HealthController {
  @Get()
  health() {
    return { status: 'ok' };
  }
}
