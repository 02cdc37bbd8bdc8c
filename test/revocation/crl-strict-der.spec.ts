import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RevocationChecker } from '@client-cert-auth/core';
import { patchAndResign, type DerPatch, type DerPath } from './support/der-patch';
import { OpensslCa, pemToDer } from './support/openssl-ca';

/**
 * A CRL is network-supplied DER: it goes through the same strict DER reader and the same time
 * parser as a certificate. Each case takes a real `openssl ca -gencrl` CRL, rewrites one element
 * and re-signs it with the CA key, so only the encoding is wrong, never the signature.
 *
 * TBSCertList paths: 0 version, 3 thisUpdate, 4 nextUpdate, 5 revokedCertificates (5.0 the entry:
 * 5.0.0 serial, 5.0.1 revocationDate, 5.0.2 entry extensions), 6 [0] crlExtensions.
 */
describe('CRLs are read as strict DER (openssl ca -gencrl, patched and re-signed)', () => {
  const root = mkdtempSync(join(tmpdir(), 'crl-strict-der-'));
  const quiet = { warn: () => undefined };
  const ca = OpensslCa.create(root, { name: 'Strict DER CA' });
  const alice = ca.issue('alice');
  ca.revoke(alice, 'keyCompromise');
  const original = pemToDer(readFileSync(ca.gencrl('ca.crl', { hours: 2 }), 'latin1'));
  const checkers: RevocationChecker[] = [];
  afterEach(() => checkers.splice(0).forEach((c) => c.stop()));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  let files = 0;
  const load = async (patches: ReadonlyArray<[DerPath, DerPatch]>): Promise<RevocationChecker> => {
    const file = join(root, `patched-${files++}.crl`);
    writeFileSync(file, patchAndResign(original, patches, ca.cert.keyPath));
    const checker = new RevocationChecker({ mode: 'hard-fail', crl: { files: [file] }, ocsp: { enabled: false } }, quiet);
    checkers.push(checker);
    await checker.start();
    return checker;
  };
  /** Why loading the patched CRL failed, or `loaded` (a compact failure line when a case is accepted). */
  const refusal = (patches: ReadonlyArray<[DerPath, DerPatch]>): Promise<string> =>
    load(patches).then(
      () => 'loaded',
      (error: Error) => error.message,
    );

  it('loads the re-signed CRL when nothing is patched (the control: re-signing works)', async () => {
    const checker = await load([]);
    await expect(checker.check([alice.parsed, ca.cert.parsed])).resolves.toMatchObject({ status: 'revoked', source: 'crl', reason: 'keyCompromise' });
  });

  it.each<[string, DerPath]>([
    ['the revoked entry', [5, 0]],
    ["the entry's serial number (0x81 0x.. for a short value)", [5, 0, 0]],
    ["the entry's revocationDate", [5, 0, 1]],
    ["the entry's extensions", [5, 0, 2]],
    ['the revokedCertificates list', [5]],
    ['thisUpdate', [3]],
    ['the CRLNumber extension (read by the schema parser)', [6, 0, 0]],
  ])('refuses a non-minimal length on %s', async (_what, path) => {
    expect(await refusal([[path, { longLength: true }]])).toMatch(/non-minimal DER length/);
  });

  it('refuses a non-minimal length inside the reasonCode extnValue (an encapsulated ENUMERATED)', async () => {
    // extnValue OCTET STRING { ENUMERATED 1 } written as 0a 81 01 01: the old walker read the length octet as the reason.
    expect(await refusal([[[5, 0, 2, 0, 1], { value: '\x0a\x81\x01\x01' }]])).toMatch(/non-minimal DER length/);
  });

  it.each<[string, DerPath, string]>([
    ['revocationDate with month 13', [5, 0, 1], '251301000000Z'],
    ['revocationDate with second 60', [5, 0, 1], '250101000060Z'],
    ['revocationDate on 30 February', [5, 0, 1], '250230000000Z'],
    ['thisUpdate with hour 24', [3], '250101240000Z'],
    ['nextUpdate with minute 60', [4], '491231236000Z'],
    ['revocationDate without Z', [5, 0, 1], '2501010000000'],
  ])('refuses a CRL whose %s', async (_what, path, text) => {
    expect(await refusal([[path, { value: text }]])).toMatch(/invalid time|not a UTCTime or GeneralizedTime/);
  });
});
