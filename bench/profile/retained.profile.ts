// Scratch: memory retained per cached verdict (parsed leaf + path + principal), no registry.
import { issueCertificate, generateKeyPair } from '@client-cert-auth/dev-pki';
import { parseCertificate } from '@client-cert-auth/core';
import { CertificatePathValidator } from '@client-cert-auth/core';
import { createPrincipal } from '@client-cert-auth/core';
import { CertificateVariants } from '../memory/certificate.variants';
import { compactPath } from '../../libs/core/src/authentication/compact-certificate';
const gc = (globalThis as any).gc as () => void;
const root = issueCertificate({ subject: 'CN=R', key: 'p-256', ca: true });
const ica = issueCertificate({ subject: 'CN=I', issuer: root, key: 'p-256', ca: true });
const leaf = issueCertificate({ subject: 'CN=leaf,O=Bench', issuer: ica, key: generateKeyPair('p-256'), san: { dns: ['a.example'] } });
const v = new CertificateVariants(leaf.der, ica.privateKey, true);
const validator = new CertificatePathValidator({ anchors: [parseCertificate(root.der)], intermediates: [parseCertificate(ica.der)] });
const N = 5000;
const ders = Array.from({ length: N }, (_, i) => Buffer.from(v.make(i + 1)));
const mode: string = process.argv[2] ?? 'all';
gc();
gc();
const m0 = process.memoryUsage();
const keep: unknown[] = [];
for (const der of ders) {
  const p = parseCertificate(der);
  if (mode === 'parse') {
    keep.push(p);
    continue;
  }
  if (!['all', 'principal', 'compact'].includes(mode)) {
    keep.push((p as any)[mode]);
    continue;
  }
  const r = validator.validate(p, []);
  if (!r.ok) throw new Error(r.reason);
  if (mode === 'principal') {
    keep.push(createPrincipal(r.path, { profile: 'waf', format: 'rfc9440' }));
    continue;
  }
  if (mode === 'compact') {
    keep.push(compactPath(r.path, [p]));
    continue;
  }
  keep.push({ ok: true, path: r.path, principal: createPrincipal(r.path, { profile: 'waf', format: 'rfc9440' }) });
}
gc();
gc();
const m1 = process.memoryUsage();
const per = (k: keyof NodeJS.MemoryUsage) => ((m1[k] - m0[k]) / N) | 0;
console.log(mode, 'per entry bytes: rss', per('rss'), 'heap', per('heapUsed'), 'external', per('external'), 'arrayBuffers', per('arrayBuffers'), keep.length);
