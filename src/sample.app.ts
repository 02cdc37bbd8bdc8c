import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';

export type HttpAdapterName = 'express' | 'fastify';

/**
 * Builds the sample backend on either HTTP adapter. `main.ts` and the e2e tests both start it
 * through here, so the tests exercise exactly what operators run.
 */
export async function createSampleApp(
  adapter: HttpAdapterName,
  settings?: Record<string, string>,
): Promise<INestApplication> {
  const module = AppModule.register(settings);
  const app =
    adapter === 'fastify'
      ? await NestFactory.create(module, new FastifyAdapter(), { logger: ['error', 'warn'], abortOnError: false })
      : await NestFactory.create(module, { logger: ['error', 'warn'], abortOnError: false });
  app.enableShutdownHooks();
  return app;
}
