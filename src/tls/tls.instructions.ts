import { join, relative } from 'node:path';
import type { DevEnvironment } from '../dev/dev-pki.setup';

/** The start-up lines for the HTTPS listener: with the dev PKI, a curl that works as printed. */
export function printTlsInstructions(url: string, dev: DevEnvironment | undefined): void {
  const lines = [`HTTPS listener with client certificates (source: 'tls' profile) on ${url}`];
  if (dev) {
    const rel = relative(process.cwd(), dev.dir);
    const dir = rel.startsWith('..') ? dev.dir : rel || '.';
    const file = (name: string) => join(dir, name);
    const tls = (client: string) => `curl -i --cacert ${file('root.pem')} --cert ${file(`${client}.pem`)} --key ${file(`${client}.key.pem`)}`;
    lines.push(
      'The certificate comes from the TLS connection; headers are not read there. Try:',
      '',
      `  ${tls('registered')} ${url}/whoami      # 200: the enrolled client`,
      `  ${tls('unregistered')} ${url}/orders    # 403 IDENTITY_UNKNOWN`,
      `  curl -i --cacert ${file('root.pem')} ${url}/orders                                   # 401 CERT_MISSING`,
      '',
    );
  }
  console.log(lines.join('\n'));
}
