import { sign, type KeyObject } from 'node:crypto';

/**
 * Makes distinct, validly signed certificates fast: takes one issued leaf, rewrites its serial
 * number and re-signs the TBS with the issuer's key (one ECDSA/RSA signature each, ~50 µs,
 * instead of a full issue). Same subject, SANs and key, so one SPKI binding covers them all.
 */
export class CertificateVariants {
  private readonly tbs: Buffer;
  private readonly serialAt: number;
  private readonly serialLength: number;
  private readonly signatureAlgorithm: Buffer;

  constructor(
    template: Buffer,
    private readonly issuerKey: KeyObject,
    private readonly ec: boolean,
  ) {
    const outer = header(template, 0);
    const tbs = header(template, outer.contentAt);
    this.tbs = Buffer.from(template.subarray(outer.contentAt, tbs.end));
    const algorithm = header(template, tbs.end);
    this.signatureAlgorithm = template.subarray(tbs.end, algorithm.end);
    // TBSCertificate: [0] version, then the serial INTEGER.
    const inner = header(this.tbs, 0);
    const version = header(this.tbs, inner.contentAt);
    const serial = header(this.tbs, version.end);
    this.serialAt = serial.contentAt;
    this.serialLength = serial.end - serial.contentAt;
    if (this.serialLength < 6) throw new Error('template serial too short for variants');
  }

  /** The n-th variant (n < 2^40): serial bytes end with n, first byte kept positive. */
  make(n: number): Buffer {
    const tbs = this.tbs;
    tbs[this.serialAt] = 0x11;
    tbs.writeUIntBE(n, this.serialAt + this.serialLength - 5, 5);
    const signature = sign('sha256', tbs, this.ec ? { key: this.issuerKey, dsaEncoding: 'der' } : this.issuerKey);
    const bitString = Buffer.concat([tlvHeader(0x03, signature.length + 1), Buffer.from([0]), signature]);
    const body = Buffer.concat([tbs, this.signatureAlgorithm, bitString]);
    return Buffer.concat([tlvHeader(0x30, body.length), body]);
  }
}

function header(der: Buffer, at: number): { contentAt: number; end: number } {
  let length = der[at + 1];
  let contentAt = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    length = der.readUIntBE(at + 2, bytes);
    contentAt += bytes;
  }
  return { contentAt, end: contentAt + length };
}

function tlvHeader(tag: number, length: number): Buffer {
  if (length < 0x80) return Buffer.from([tag, length]);
  if (length < 0x100) return Buffer.from([tag, 0x81, length]);
  return Buffer.from([tag, 0x82, length >> 8, length & 0xff]);
}
