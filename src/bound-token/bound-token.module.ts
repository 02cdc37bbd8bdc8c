import { Module } from '@nestjs/common';
import { AccessTokenGuard } from './access-token.guard';
import { BoundOrdersController } from './bound-orders.controller';

/** The certificate-bound access token demo (`/bound/whoami`), on when its public key is configured. */
@Module({ controllers: [BoundOrdersController], providers: [AccessTokenGuard] })
export class BoundTokenModule {}
