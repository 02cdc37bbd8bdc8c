import { join, relative } from 'node:path';
import type { RegistryAdminService } from '@client-cert-auth/registry';
import { wsExampleLines } from '../websocket/ws-example.lines';
import { DEV_CLIENTS, type DevEnvironment } from './dev-pki.setup';

const DEV_ACCOUNT = 'orders-client';

/**
 * Enrolls the dev PKI's "registered" client (bound by its SAN URI) so the printed curl lines
 * work on first start. Idempotent: a restart finds the account and leaves it as it is.
 */
export async function enrollDevClients(admin: RegistryAdminService, _dev: DevEnvironment): Promise<void> {
  const accounts = await admin.listAccounts();
  if (accounts.some((a) => a.name === DEV_ACCOUNT)) return;
  await admin.addAccount({ name: DEV_ACCOUNT, roles: ['orders:read', 'orders:write'] });
  await admin.bind({ account: DEV_ACCOUNT, kind: 'san-uri', value: DEV_CLIENTS[0].uri });
}

export function printDevInstructions(dev: DevEnvironment, url: string): void {
  const rel = relative(process.cwd(), dev.dir);
  const dir = rel.startsWith('..') ? dev.dir : rel || '.';
  const header = (name: string) => join(dir, `${name}.header`);
  console.log(
    [
      '',
      `Dev PKI in ${dir} (root.pem, intermediate.pem, registered.pem, unregistered.pem). This backend trusts`,
      'only loopback as its proxy and reads the RFC 9440 Client-Cert header. Try:',
      '',
      `  curl -i -H @${header('registered')} ${url}/orders      # 200: the enrolled client`,
      `  curl -i -H @${header('registered')} -H 'Content-Type: application/json' -d '{"item":"widget","quantity":2}' ${url}/orders`,
      `  curl -i -H @${header('unregistered')} ${url}/orders    # 403 IDENTITY_UNKNOWN`,
      `  curl -i ${url}/orders                                   # 401 CERT_MISSING`,
      `  curl -s -H @${header('registered')} -H 'Content-Type: application/json' -d '{"query":"{ whoami { account subject } }"}' ${url}/graphql`,
      ...wsExampleLines(header, url),
      '',
    ].join('\n'),
  );
}
