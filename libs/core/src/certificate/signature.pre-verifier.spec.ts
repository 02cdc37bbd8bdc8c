import { issueCertificate } from '@client-cert-auth/dev-pki';
import type { ParsedCertificate } from './parsed-certificate';
import { CertificatePathValidator } from './path.validator';
import type { PathValidationResult } from './path-validation.types';
import { PreVerifiedSignatures, SignaturePreVerifier, preVerifiedAnswer } from './signature.pre-verifier';
import { verifyCertificateSignatureOnPool } from './signature.verifier';
import { chainOf, intermediate, leaf, parse, root, validateIn } from './validation.spec-helper';

const verdict = (result: PathValidationResult) => (result.ok ? 'ok' : `${result.code}: ${result.reason}`);
const names = (edges: ReadonlyArray<readonly [ParsedCertificate, ParsedCertificate]>) =>
  edges.map(([child, issuer]) => `${child.subject.rfc4514} <- ${issuer.subject.rfc4514}`);

describe('SignaturePreVerifier', () => {
  const pki = chainOf('p-256');
  const anchor = parse(pki.root);
  const issuing = parse(pki.intermediate);
  const validator = new CertificatePathValidator({ anchors: [anchor] });
  // Same names as the genuine chain, signed by another key: only the signature tells them apart.
  const impostor = intermediate(root('Rogue'), 'Issuing p-256', 'p-256', { freshKey: true, subject: 'CN=Issuing p-256,O=Test' });
  const forged = () => parse(leaf(impostor, { omitExtensions: ['authorityKeyIdentifier'] }));

  it("plans the leaf's and each forwarded CA's signature for P-256, none for RSA-2048 (cheaper synchronously)", () => {
    const genuine = parse(pki.leaf);
    expect(names(validator.signaturesWorthPreVerifying(genuine, [issuing]))).toEqual([
      'CN=client-1,O=Test <- CN=Issuing p-256,O=Test',
      'CN=Issuing p-256,O=Test <- CN=Root p-256,O=Test',
    ]);
    const rsa = chainOf('rsa-2048');
    const rsaValidator = new CertificatePathValidator({ anchors: [parse(rsa.root)] });
    expect(rsaValidator.signaturesWorthPreVerifying(parse(rsa.leaf), [parse(rsa.intermediate)])).toEqual([]);
  });

  it('plans at most four signatures, whatever a hostile chain holds', () => {
    const copies = Array.from({ length: 9 }, () => intermediate(pki.root, 'Issuing p-256', 'p-256', { freshKey: true }));
    const end = parse(leaf(copies[0], { omitExtensions: ['authorityKeyIdentifier'] }));
    expect(validator.signaturesWorthPreVerifying(end, copies.map(parse))).toHaveLength(4);
  });

  it('refuses a forged leaf signature the thread pool saw (CERT_UNTRUSTED, as synchronously)', async () => {
    const end = forged();
    const chain = [issuing];
    const preVerified = await new SignaturePreVerifier().preVerify(validator.signaturesWorthPreVerifying(end, chain));
    expect(preVerifiedAnswer(preVerified, end, issuing)).toBe(false);
    const pooled = validator.validate(end, chain, {}, preVerified);
    expect(verdict(pooled)).toMatch(/^CERT_UNTRUSTED: the signature on leaf .* does not verify/);
    expect(verdict(pooled)).toBe(verdict(validator.validate(end, chain)));
  });

  it.each([
    ['rejects', () => Promise.reject(new Error('thread pool unavailable'))],
    ['answers undefined', () => Promise.resolve(undefined)],
  ])('leaves every signature to the synchronous path when the pool call %s', async (_name, failing) => {
    const preVerifier = new SignaturePreVerifier({ verify: failing });
    const genuine = parse(pki.leaf);
    const end = forged();
    const failed = await preVerifier.preVerify(validator.signaturesWorthPreVerifying(genuine, [issuing]));
    expect(preVerifiedAnswer(failed, genuine, issuing)).toBeUndefined();
    expect(verdict(await validateIn('thread pool', validator, genuine, [issuing], {}, preVerifier))).toBe('ok');
    expect(verdict(await validateIn('thread pool', validator, end, [issuing], {}, preVerifier))).toBe(verdict(validator.validate(end, [issuing])));
    expect(verdict(await validateIn('thread pool', validator, end, [issuing], {}, preVerifier))).toMatch(/^CERT_UNTRUSTED/);
  });

  it('answers only for the very certificates it verified: a forged copy with the same names is verified anew', async () => {
    const genuine = parse(pki.leaf);
    const preVerified = await new SignaturePreVerifier().preVerify(validator.signaturesWorthPreVerifying(genuine, [issuing]));
    expect(preVerifiedAnswer(preVerified, genuine, issuing)).toBe(true);
    const end = forged();
    expect(verdict(validator.validate(end, [issuing], {}, preVerified))).toMatch(/^CERT_UNTRUSTED: the signature on leaf/);
    // An empty answer set (all a caller can make) changes nothing either.
    expect(verdict(validator.validate(end, [issuing], {}, PreVerifiedSignatures.create()))).toMatch(/^CERT_UNTRUSTED/);
  });

  it('charges a pre-verified signature to the path budget as a synchronous one (four forwarded P-521 CAs exceed it)', async () => {
    const top = root('Budget Root', 'p-521');
    const cas = [intermediate(top, 'Budget CA 1', 'p-521')];
    for (let n = 2; n <= 4; n++) cas.push(intermediate(cas[cas.length - 1], `Budget CA ${n}`, 'p-521'));
    const end = parse(leaf(cas[cas.length - 1], {}, 'p-256'));
    const chain = cas.map(parse);
    const budgetValidator = new CertificatePathValidator({ anchors: [parse(top)] });
    expect(budgetValidator.signaturesWorthPreVerifying(end, chain)).toHaveLength(4);
    const sync = verdict(budgetValidator.validate(end, chain));
    expect(sync).toMatch(/exceeded its budget/);
    expect(verdict(await validateIn('thread pool', budgetValidator, end, chain))).toBe(sync);
  });

  it('keeps at most maxInFlight verifications on the pool and gives every slot back', async () => {
    let calls = 0;
    let fail = true;
    const preVerifier = new SignaturePreVerifier({
      maxInFlight: 1,
      verify: (child, issuer) => {
        calls++;
        return fail ? Promise.reject(new Error('pool error')) : verifyCertificateSignatureOnPool(child, issuer);
      },
    });
    const edges = validator.signaturesWorthPreVerifying(parse(pki.leaf), [issuing]);
    const first = preVerifier.preVerify(edges);
    expect(first).toBeDefined();
    expect(preVerifier.preVerify(edges)).toBeUndefined(); // full: the caller verifies synchronously
    await first;
    expect(calls).toBe(1);
    fail = false;
    const second = await preVerifier.preVerify(edges); // the failed call gave its slot back
    expect(calls).toBe(2);
    expect(preVerifiedAnswer(second, edges[0][0], edges[0][1])).toBe(true);
    expect(preVerifiedAnswer(second, edges[1][0], edges[1][1])).toBeUndefined(); // did not fit
  });
});

describe('verifyCertificateSignatureOnPool', () => {
  it.each(['rsa-2048', 'rsa-pss-2048', 'p-256', 'p-384', 'ed25519'] as const)('answers as the synchronous verifier for %s, genuine and forged', async (key) => {
    const pki = chainOf(key);
    const stranger = parse(root('Stranger', key));
    const genuine = parse(pki.leaf);
    const issuing = parse(pki.intermediate);
    expect(await verifyCertificateSignatureOnPool(genuine, issuing)).toBe(true);
    expect(await verifyCertificateSignatureOnPool(genuine, stranger)).toBe(false);
    // A signature algorithm the issuer's key cannot verify: false without a pool call, as synchronously.
    const other = parse(issueCertificate({ subject: 'CN=Other,O=Test', key: key === 'p-256' ? 'rsa-2048' : 'p-256', ca: true }));
    expect(await verifyCertificateSignatureOnPool(genuine, other)).toBe(false);
  });
});
