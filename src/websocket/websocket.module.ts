import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module';
import { OrdersGateway } from './orders.gateway';

/** The sample's WebSocket endpoint (`/ws`); `sample.app.ts` picks the `ws` adapter. */
@Module({ imports: [OrdersModule], providers: [OrdersGateway] })
export class WebSocketModule {}
