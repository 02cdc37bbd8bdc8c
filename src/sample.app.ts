import type { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { WsAdapter } from '@nestjs/platform-ws';
import { AppModule } from './app.module';

export type HttpAdapterName = 'express' | 'fastify';

/**
 * Builds the sample backend on either HTTP adapter. `main.ts` and the e2e tests both start it
 * through here, so the tests exercise exactly what operators run.
 */
export async function createSampleApp(
  adapter: HttpAdapterName,
  settings?: Record<string, string>,
  logger: LogLevel[] = ['log', 'error', 'warn'],
): Promise<INestApplication> {
  const module = AppModule.register(settings, adapter);
  const options = { logger, abortOnError: false };
  const app = adapter === 'fastify' ? await NestFactory.create(module, new FastifyAdapter(), options) : await NestFactory.create(module, options);
  // Gateways on the `ws` adapter (plain WebSocket), on the same port as HTTP.
  app.useWebSocketAdapter(new WsAdapter(app));
  app.enableShutdownHooks();
  return app;
}
