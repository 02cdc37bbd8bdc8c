import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDevPki, writeDevPki } from '@client-cert-auth/dev-pki';

/** Writes a dev PKI with two clients to the folder given as argument, plus a ready RFC 9440 header value per client. */
const dir = process.argv[2];
if (!dir) throw new Error('usage: node dist/make-pki.js DIR');
const clients = [
  { name: 'registered', subject: 'CN=registered-client,O=Consumer', san: { uri: ['spiffe://consumer.test/orders-client'] } },
  { name: 'unregistered', subject: 'CN=unregistered-client,O=Consumer', san: { uri: ['spiffe://consumer.test/stranger'] } },
];
const pki = createDevPki({ clients });
writeDevPki(dir, pki);
for (const { name } of clients) writeFileSync(join(dir, `${name}.header`), `:${pki.clients[name].der.toString('base64')}:`);
console.log(`dev PKI in ${dir}`);
