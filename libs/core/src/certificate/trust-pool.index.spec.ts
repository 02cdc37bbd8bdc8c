import { issueCertificate } from '@client-cert-auth/dev-pki';
import { TrustPoolIndex, indexForwardedChain } from './trust-pool.index';
import { intermediate, leaf, parse, root } from './validation.spec-helper';

describe('TrustPoolIndex', () => {
  const r = parse(root('Pool Root'));
  const issuing = intermediate(root('Pool Root Twin'), 'Pool CA');
  const ica = parse(issuing);
  const rekeyed = parse(issueCertificate({ subject: 'CN=Pool CA,O=Test', issuer: issuing, ca: true }));
  const child = parse(leaf(issuing));
  const pool = new TrustPoolIndex([r, r], [ica, rekeyed]);

  it.each<[string, () => unknown, unknown]>([
    ['deduplicates by fingerprint', () => pool.configured.size, 3],
    ['knows its anchors', () => [pool.isAnchor(r), pool.isAnchor(ica)], [true, false]],
    ['finds the issuer by name and AKI/SKI, pruning the other key under the same name', () => pool.issuersOf(child, new Map()), [ica]],
    ['finds every same-name candidate for a child without AKI', () => pool.issuersOf({ ...child, authorityKeyIdentifier: undefined }, new Map()).length, 2],
    [
      'drops the leaf, duplicates and configured copies from the forwarded chain',
      () => [...indexForwardedChain(child, [child, ica, parse(issuing)], pool).values()].flat().length,
      0,
    ],
  ])('%s', (_name, read, expected) => {
    expect(read()).toEqual(expected);
  });
});
