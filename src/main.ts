import { RegistryAdminService } from '@client-cert-auth/registry';
import { enrollDevClients, printDevInstructions } from './dev/dev-enrollment';
import { prepareDevEnvironment } from './dev/dev-pki.setup';
import { createSampleApp, type HttpAdapterName } from './sample.app';
import { printTlsInstructions } from './tls/tls.instructions';
import { listenTls } from './tls/tls.listener';
import { tlsListenerSettings } from './tls/tls.settings';

async function bootstrap(): Promise<void> {
  const dev = prepareDevEnvironment(process.env);
  const tls = tlsListenerSettings(process.env, dev);
  const adapter = (process.env.HTTP_ADAPTER ?? 'express') as HttpAdapterName;
  const app = await createSampleApp(adapter, dev ? { ...definedEnv(), ...dev.settings } : undefined);
  if (dev) await enrollDevClients(app.get(RegistryAdminService), dev);

  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  await app.listen(port, host);
  const url = `http://${hostInUrl(host)}:${port}`;
  console.log(`Sample backend (${adapter}) listening on ${url}`);
  if (dev) printDevInstructions(dev, url);
  if (tls) {
    await listenTls(app, adapter, tls);
    printTlsInstructions(`https://${hostInUrl(tls.host)}:${tls.port}`, dev);
  }
}

function hostInUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function definedEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
}

bootstrap().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
