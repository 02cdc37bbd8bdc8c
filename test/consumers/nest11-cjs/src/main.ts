import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const env = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`set ${name}`);
    return value;
  };
  const app = await NestFactory.create(AppModule.register({ databaseUrl: env('DATABASE_URL'), pkiDir: env('PKI_DIR') }), {
    logger: ['error', 'warn'],
  });
  // All interfaces, so a request from 127.0.0.2 reaches the app and meets the proxy profile.
  await app.listen(Number(env('PORT')), '0.0.0.0');
  console.log(`listening on ${await app.getUrl()} (Nest ${require('@nestjs/core/package.json').version}, Node ${process.version}, CommonJS)`);
}

bootstrap().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
