import { readFileSync } from 'node:fs';
import { sign } from 'node:crypto';
import { asn1 } from 'node-forge';

/**
 * Rewrites real signed structures (CRLs from `openssl ca -gencrl`, OCSP responses from
 * `openssl ocsp`) into hostile but correctly signed ones. Decoding uses node-forge's lenient BER
 * reader, not the module's own DER reader: the tests must not depend on the code they test.
 */

/** Where a node sits: indexes of children from the root, e.g. [0, 5, 0, 0] */
export type DerPath = readonly number[];

/** What to do with one node while re-encoding. */
export interface DerPatch {
  /** Write this node's length in the long form even when the short form fits (non-minimal DER). */
  longLength?: boolean;
  /** Replace a primitive node's contents (e.g. a time's text). */
  value?: string;
}

function lengthOctets(length: number, long: boolean): Buffer {
  if (length < 0x80 && !long) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  if (bytes.length === 0) bytes.push(0);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Re-encodes a forge node, applying `patches` keyed by path (`'0.5.0.0'`). */
function encode(node: asn1.Asn1, patches: Map<string, DerPatch>, path: number[]): Buffer {
  const patch = patches.get(path.join('.'));
  const content = Array.isArray(node.value)
    ? Buffer.concat(node.value.map((child, i) => encode(child, patches, [...path, i])))
    : Buffer.from(patch?.value ?? (node.value as string), 'latin1');
  const tag = node.tagClass | (Array.isArray(node.value) ? 0x20 : 0) | node.type;
  return Buffer.concat([Buffer.from([tag]), lengthOctets(content.length, !!patch?.longLength), content]);
}

/**
 * forge's fromDer takes an options object (@types/node-forge declares only a `strict` flag): BIT
 * STRINGs stay opaque, so a signature is never mistaken for nested ASN.1.
 */
function decode(der: Buffer): asn1.Asn1 {
  return asn1.fromDer(der.toString('latin1'), { decodeBitStrings: false } as unknown as boolean);
}

/** Decodes DER (leniently) and re-encodes it with the patches applied. */
export function patchDer(der: Buffer, patches: ReadonlyArray<[DerPath, DerPatch]>): Buffer {
  const root = decode(der);
  return encode(root, new Map(patches.map(([path, patch]) => [path.join('.'), patch])), []);
}

/**
 * Re-signs a `SEQUENCE { tbs, signatureAlgorithm, BIT STRING }` (a CRL, a BasicOCSPResponse)
 * after patching its first element, with an EC key in a PEM file (ecdsa-with-SHA256, as the
 * test CAs use). `patches` paths are relative to the tbs.
 */
export function patchAndResign(signed: Buffer, patches: ReadonlyArray<[DerPath, DerPatch]>, keyPath: string): Buffer {
  const root = decode(signed);
  const [tbs, algorithm] = root.value as asn1.Asn1[];
  const tbsDer = encode(tbs, new Map(patches.map(([path, patch]) => [path.join('.'), patch])), []);
  const signature = sign('sha256', tbsDer, readFileSync(keyPath));
  const bitString = Buffer.concat([Buffer.from([0x00]), signature]);
  const algorithmDer = encode(algorithm, new Map(), []);
  const body = Buffer.concat([tbsDer, algorithmDer, Buffer.from([0x03]), lengthOctets(bitString.length, false), bitString]);
  return Buffer.concat([Buffer.from([0x30]), lengthOctets(body.length, false), body]);
}
