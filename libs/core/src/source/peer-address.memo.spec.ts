import { parseAddress } from './address-range.matcher';
import { peerAddress } from './peer-address.memo';

describe('peerAddress', () => {
  it.each(['127.0.0.1', '::ffff:10.1.2.3', 'fd00::1', '::1'])('answers %s as parseAddress does, the second time from memory', (text) => {
    const first = peerAddress(text);
    expect(first?.toString()).toBe(parseAddress(text)?.toString());
    expect(peerAddress(text)).toBe(first);
  });

  it.each([undefined, '', 'not-an-address', '10.0.0.256'])('answers undefined for %p, every time', (text) => {
    expect(peerAddress(text)).toBeUndefined();
    expect(peerAddress(text)).toBeUndefined();
  });

  it('stays right past its bound (a flood of addresses only starts it afresh)', () => {
    for (let i = 0; i < 3000; i++) expect(peerAddress(`10.${i >> 8}.${i & 255}.1`)?.toString()).toBe(`10.${i >> 8}.${i & 255}.1`);
    expect(peerAddress('10.0.0.1')?.toString()).toBe('10.0.0.1');
  });
});
