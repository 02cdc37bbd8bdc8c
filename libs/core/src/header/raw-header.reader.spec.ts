import { RawHeaderReader } from './raw-header.reader';

const reader = RawHeaderReader.fromPairs([
  ['Host', 'api'],
  ['X-SSL-Client-Cert', 'a'],
  ['X_SSL_Client_Cert', 'evil'],
  ['x_ssl-client_cert', 'evil2'],
  ['Client-Cert-Chain', ':a:'],
  ['client-cert-chain', ':b:'],
  ['Empty', ''],
]);

describe('RawHeaderReader', () => {
  it.each([
    ['host', 'api'],
    ['HOST', 'api'],
    ['x-ssl-client-cert', 'a'],
    ['empty', ''],
    ['absent', undefined],
  ])('single(%s) = %p', (name, value) => expect(reader.single(name)).toBe(value));

  it('single() refuses a header given twice, whatever the case', () => {
    expect(() => reader.single('Client-Cert-Chain')).toThrow(expect.objectContaining({ code: 'HEADER_MALFORMED' }));
  });

  it('all() keeps every value in order', () => expect(reader.all('CLIENT-CERT-CHAIN')).toEqual([':a:', ':b:']));

  it('never reads underscore variants but reports them', () => {
    expect(reader.single('x-ssl-client-cert')).toBe('a');
    expect(reader.underscoreVariants(['X-SSL-Client-Cert', 'client-cert-chain'])).toEqual(['X_SSL_Client_Cert', 'x_ssl-client_cert']);
  });

  it('reports a dashed variant of an underscored configured name', () => {
    const apache = RawHeaderReader.fromPairs([['SSL-CLIENT-CERT', 'x']]);
    expect(apache.single('SSL_CLIENT_CERT')).toBeUndefined();
    expect(apache.underscoreVariants(['SSL_CLIENT_CERT'])).toEqual(['SSL-CLIENT-CERT']);
  });

  it('ignores a trailing name without a value', () => {
    expect(new RawHeaderReader(['A', '1', 'B']).has('b')).toBe(false);
  });
});
