import { isNoCertificateSentinel, unquoteOnce } from '../header-value.normalizer';
import { decodeBase64Strict } from './base64.decoder';
import { assertSingleDer, derSequenceLength, ownBytes, splitConcatenatedDer } from './der-envelope';
import { decodePercentEscapes } from './percent.decoder';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return 'none';
};

describe('header value decoding', () => {
  it.each([
    ['', true],
    ['(null)', true],
    ['-', true],
    ['{http.request.tls.client.certificate_der_base64}', true],
    ['{}', true],
    ['{a}{b}', false],
    ['MIIB', false],
    ['null', false],
  ])('sentinel %p -> %p', (value, expected) => expect(isNoCertificateSentinel(value)).toBe(expected));

  it.each([
    ['"abc"', 'abc'],
    ['""abc""', '"abc"'],
    [' "abc" ', 'abc'],
    ['"abc', '"abc'],
    ['"', '"'],
  ])('unquoteOnce(%p) = %p', (value, expected) => expect(unquoteOnce(value)).toBe(expected));

  it.each([
    ['a+b%2Bc%3d', 'a+b+c='],
    ['%0A%0a', '\n\n'],
    ['no escapes', 'no escapes'],
  ])('decodePercentEscapes(%p) = %p', (value, expected) => expect(decodePercentEscapes(value, 'x')).toBe(expected));

  it.each(['%', '%4', '%zz', 'a%g0'])('decodePercentEscapes refuses %p', (value) => {
    expect(code(() => decodePercentEscapes(value, 'x'))).toBe('HEADER_MALFORMED');
  });

  it.each([
    ['YWJj', 'abc'],
    ['YWI=', 'ab'],
    ['YWI', 'ab'],
    ['YQ', 'a'],
  ])('decodeBase64Strict(%p)', (value, expected) => expect(decodeBase64Strict(value, 'x').toString()).toBe(expected));

  it.each(['', 'Y', 'YW=I', 'YW I', 'YWJj*', 'YWI==', 'YQ===', 'YW-_'])('decodeBase64Strict refuses %p', (value) => {
    expect(code(() => decodeBase64Strict(value, 'x'))).toBe('HEADER_MALFORMED');
  });

  it.each<[string, number[], number | undefined]>([
    ['short form', [0x30, 0x01, 0x00], 3],
    ['long form', [0x30, 0x81, 0x80, ...new Array<number>(0x80).fill(0)], 0x83],
    ['a non-minimal long form (0x81 0x01 for one byte)', [0x30, 0x81, 0x01, 0x00], undefined],
    ['not a SEQUENCE', [0x31, 0x01, 0x00], undefined],
    ['indefinite length', [0x30, 0x80, 0x00, 0x00], undefined],
    ['longer than the buffer', [0x30, 0x05, 0x00], undefined],
    ['5 length octets', [0x30, 0x85, 0, 0, 0, 0, 1, 0], undefined],
  ])('derSequenceLength: %s', (_n, bytes, expected) => expect(derSequenceLength(Buffer.from(bytes), 0)).toBe(expected));

  it('splits concatenated DER and enforces the count', () => {
    const blob = Buffer.from([0x30, 0x01, 0xaa, 0x30, 0x00]);
    expect(splitConcatenatedDer(blob, 5, 'x').map((b) => b.toString('hex'))).toEqual(['3001aa', '3000']);
    expect(code(() => splitConcatenatedDer(blob, 1, 'x'))).toBe('HEADER_MALFORMED');
    expect(code(() => splitConcatenatedDer(Buffer.from([0x30, 0x01, 0xaa, 0x30]), 5, 'x'))).toBe('HEADER_MALFORMED');
  });

  it('hands out certificates in memory of their own, never views of a pool or of a whole chain', () => {
    const own = (b: Buffer) => b.byteOffset === 0 && b.buffer.byteLength === b.length;
    const pooled = Buffer.from('MAGq', 'base64'); // 30 01 aa, a slice of Node's 8 KB pool
    expect(own(pooled)).toBe(false);
    const single = assertSingleDer(pooled, 'x');
    expect(own(single) && single.equals(pooled)).toBe(true);
    const parts = splitConcatenatedDer(Buffer.from([0x30, 0x01, 0xaa, 0x30, 0x00]), 5, 'x');
    expect(parts.every(own)).toBe(true);
    const exact = Buffer.allocUnsafeSlow(3);
    expect(ownBytes(exact)).toBe(exact); // already its own: no copy
  });
});
