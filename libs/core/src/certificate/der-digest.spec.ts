import { createHash } from 'node:crypto';
import { sha256Hex } from './der-digest';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('sha256Hex', () => {
  it('answers each buffer with its own digest, whatever was hashed before', () => {
    const a = Buffer.from('certificate a');
    const b = Buffer.from('certificate b');
    const sameBytesAsA = Buffer.from('certificate a');
    for (const bytes of [a, b, a, a, sameBytesAsA, b, Buffer.alloc(0), a]) expect(sha256Hex(bytes)).toBe(sha256(bytes));
  });

  it('answers the new bytes of a buffer rewritten in place since it was hashed', () => {
    const der = Buffer.from('certificate bytes');
    expect(sha256Hex(der)).toBe(sha256(der));
    der[0] ^= 0xff;
    expect(sha256Hex(der)).toBe(sha256(der));
  });

  it('hashes bytes past the remembered size every time, and still right', () => {
    const large = Buffer.alloc(20_000, 7);
    expect(sha256Hex(large)).toBe(sha256(large));
    large[19_999] = 8;
    expect(sha256Hex(large)).toBe(sha256(large));
  });

  it('tells apart two views of one memory (a pooled slice and its neighbour)', () => {
    const pool = Buffer.from('0123456789abcdef');
    const first = pool.subarray(0, 8);
    const second = pool.subarray(8);
    expect(sha256Hex(first)).toBe(sha256(first));
    expect(sha256Hex(second)).toBe(sha256(second));
    expect(sha256Hex(pool.subarray(0, 8))).toBe(sha256(first));
  });
});
