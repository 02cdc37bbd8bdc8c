import { RawHeaderReader } from '../header/raw-header.reader';
import { AddressRanges } from './address-range.matcher';
import { resolveSourceAddress } from './source-address.resolver';

const hopsFrom = new AddressRanges(['10.9.0.0/24'], 'test');
const resolve = (trustedHops: number, peer: string | undefined, xff: string[]) =>
  resolveSourceAddress(
    { trustedHops, hopsFrom: trustedHops > 0 ? hopsFrom : undefined },
    peer,
    RawHeaderReader.fromPairs(xff.map((v): [string, string] => ['X-Forwarded-For', v])),
  )?.toString();

describe('resolveSourceAddress', () => {
  it.each<[string, number, string | undefined, string[], string | undefined]>([
    ['direct peer by default; X-Forwarded-For ignored', 0, '10.0.0.5', ['1.2.3.4'], '10.0.0.5'],
    ['IPv4-mapped peer folded to IPv4', 0, '::ffff:10.0.0.5', [], '10.0.0.5'],
    ['no peer address', 0, undefined, [], undefined],
    ['1 hop: right-most entry, peer is a known hop', 1, '10.9.0.2', ['6.6.6.6, 10.0.0.5'], '10.0.0.5'],
    ['1 hop: peer not a known hop -> untrusted', 1, '10.0.0.5', ['10.0.0.5'], undefined],
    ['1 hop: no X-Forwarded-For -> untrusted', 1, '10.9.0.2', [], undefined],
    ['2 hops: the middle entry must be a known hop', 2, '10.9.0.2', ['10.0.0.5, 10.9.0.3'], '10.0.0.5'],
    ['2 hops: a forged middle entry -> untrusted', 2, '10.9.0.2', ['10.0.0.5, 6.6.6.6'], undefined],
    ['2 hops across two header lines', 2, '10.9.0.2', ['6.6.6.6, 10.0.0.5', '10.9.0.3'], '10.0.0.5'],
    ['1 hop: garbage entry -> untrusted', 1, '10.9.0.2', ['10.0.0.5, nope'], undefined],
  ])('%s', (_n, hops, peer, xff, expected) => expect(resolve(hops, peer, xff)).toBe(expected));
});
