import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
}

try {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register({ databaseUrl: env('DATABASE_URL'), pkiDir: env('PKI_DIR') }),
    new FastifyAdapter(),
    { logger: ['error', 'warn'] },
  );
  // All interfaces, so a request from 127.0.0.2 reaches the app and meets the proxy profile.
  await app.listen(Number(env('PORT')), '0.0.0.0');
  const nest = JSON.parse(readFileSync(new URL(import.meta.resolve('@nestjs/core/package.json')), 'utf8')).version;
  console.log(`listening on ${await app.getUrl()} (Nest ${nest}, Node ${process.version}, ES module)`);
} catch (error) {
  console.error((error as Error).stack ?? error);
  process.exit(1);
}
