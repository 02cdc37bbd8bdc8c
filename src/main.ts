import { RegistryAdminService } from '@client-cert-auth/registry';
import { enrollDevClients, printDevInstructions } from './dev/dev-enrollment';
import { prepareDevEnvironment } from './dev/dev-pki.setup';
import { createSampleApp, type HttpAdapterName } from './sample.app';

async function bootstrap(): Promise<void> {
  const dev = prepareDevEnvironment(process.env);
  const adapter = (process.env.HTTP_ADAPTER ?? 'express') as HttpAdapterName;
  const app = await createSampleApp(adapter, dev ? { ...definedEnv(), ...dev.settings } : undefined);
  if (dev) await enrollDevClients(app.get(RegistryAdminService), dev);

  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  await app.listen(port, host);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  console.log(`Sample backend (${adapter}) listening on ${url}`);
  if (dev) printDevInstructions(dev, url);
}

function definedEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
}

bootstrap().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
