import { RawHeaderReader } from '../header/raw-header.reader';
import { SharedSecretCheck } from './shared-secret.check';

const SECRET = 'a-secret-of-32-characters-length';
const check = new SharedSecretCheck({ header: 'X-Proxy-Secret', values: ['an-older-secret-still-valid', SECRET] }, 'p');
const read = (pairs: Array<[string, string]>) => RawHeaderReader.fromPairs(pairs);

describe('SharedSecretCheck', () => {
  it.each<[string, Array<[string, string]>, boolean]>([
    ['current secret', [['X-Proxy-Secret', SECRET]], true],
    ['rotated secret', [['x-proxy-secret', 'an-older-secret-still-valid']], true],
    ['absent', [], false],
    ['wrong', [['X-Proxy-Secret', SECRET.slice(0, -1) + 'X']], false],
    ['prefix of the secret', [['X-Proxy-Secret', SECRET.slice(0, 16)]], false],
    ['secret plus suffix', [['X-Proxy-Secret', SECRET + 'x']], false],
    ['empty', [['X-Proxy-Secret', '']], false],
    ['underscore variant does not count', [['X_Proxy_Secret', SECRET]], false],
  ])('%s -> %p', (_n, pairs, expected) => expect(check.matches(read(pairs))).toBe(expected));

  it('refuses the header sent twice', () => {
    expect(() =>
      check.matches(
        read([
          ['X-Proxy-Secret', SECRET],
          ['X-Proxy-Secret', SECRET],
        ]),
      ),
    ).toThrow(expect.objectContaining({ code: 'HEADER_MALFORMED' }));
  });

  it.each([
    [{ header: '', values: [SECRET] }, /sharedSecret.header/],
    [{ header: 'X', values: ['short'] }, /at least 16 characters/],
    [{ header: 'X', values: [] }, /at least 16 characters/],
  ])('bootstrap error for %p', (options, message) => expect(() => new SharedSecretCheck(options, 'p')).toThrow(message));
});
