import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RevocationChecker } from '@client-cert-auth/core';
import { OpensslCa } from './support/openssl-ca';

const REVOKED = 20_000;

/**
 * A large CRL made by `openssl ca -gencrl` (20 000 entries written straight into index.txt,
 * the file `openssl ca -revoke` maintains): it is indexed once at load, and each check is a
 * Map lookup, so per-request cost does not grow with the CRL. Set REVOCATION_FIGURES=1 to print figures.
 */
describe('large CRL (openssl ca -gencrl, 20 000 revoked serials)', () => {
  const root = mkdtempSync(join(tmpdir(), 'large-crl-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('loads once, then answers each check from the serial index without I/O', async () => {
    const ca = OpensslCa.create(root, { name: 'Large CRL CA' });
    const good = ca.issue('good');
    const lines = Array.from(
      { length: REVOKED },
      (_, i) => `R\t301231000000Z\t250101000000Z,keyCompromise\t${(0x100000 + i).toString(16).toUpperCase()}\tunknown\t/CN=bulk${i}\n`,
    );
    appendFileSync(join(root, 'index.txt'), lines.join(''));
    const revoked = ca.issue('revoked');
    ca.revoke(revoked);
    const file = ca.gencrl('large.crl');

    const checker = new RevocationChecker({ mode: 'hard-fail', crl: { files: [file] }, ocsp: { enabled: false } }, { warn: () => undefined });
    const loadStart = performance.now();
    await checker.start();
    const loadMs = performance.now() - loadStart;
    try {
      expect(checker.health().crls[0].revokedCount).toBe(REVOKED + 1);
      await expect(checker.check([revoked.parsed, ca.cert.parsed])).resolves.toMatchObject({ status: 'revoked', source: 'crl' });
      await expect(checker.check([good.parsed, ca.cert.parsed])).resolves.toMatchObject({ status: 'good', source: 'crl' });

      const rounds = 20_000;
      const start = performance.now();
      for (let i = 0; i < rounds; i++) await checker.check([good.parsed, ca.cert.parsed]);
      const perCheckUs = ((performance.now() - start) * 1000) / rounds;
      if (process.env.REVOCATION_FIGURES) {
        console.log(
          `CRL ${statSync(file).size} bytes, ${REVOKED + 1} entries: start() ${loadMs.toFixed(0)} ms; check() ${perCheckUs.toFixed(2)} µs mean over ${rounds}`,
        );
      }
      // Generous bound for a shared 2-core machine: a Map lookup, not a scan or a parse.
      expect(perCheckUs).toBeLessThan(200);
    } finally {
      checker.stop();
    }
  });
});
