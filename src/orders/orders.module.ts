import { Module } from '@nestjs/common';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';
import { WhoamiController } from './whoami.controller';

@Module({ controllers: [OrdersController, WhoamiController], providers: [OrdersService], exports: [OrdersService] })
export class OrdersModule {}
