import { X509Certificate } from 'node:crypto';
import * as fc from 'fast-check';
import { HTTP_STATUS_BY_CODE } from '../../errors/http-status.table';
import { isClientCertError } from '../../errors/client-cert.error';
import type { HeaderFormat } from '../header-format';
import { compileHeaderProfile } from '../header-profile.compiler';
import { extractFromHeaders } from '../header-profile.extractor';
import { RawHeaderReader } from '../raw-header.reader';
import { encode, forwardedPki, sha256Hex } from '../testing/forwarded-pki.spec-helper';

/**
 * Property-based tests over every format: generated and mutated header values never throw
 * anything but ClientCertError (never a 5xx) and never yield an altered certificate that our
 * CAs would accept. `npm test` runs FUZZ_RUNS (default 2,000) per format; `npm run fuzz` 100,000.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const TIMEOUT = Math.max(30_000, RUNS * 10);
const { root, intermediate, leaf, hostile } = forwardedPki();
const ORIGINALS = new Set([root, intermediate, leaf, hostile].map((c) => sha256Hex(c.der)));
const CA_KEYS = [root.publicKey, intermediate.publicKey];
type Pairs = Array<[string, string]>;

/** Valid header sets per format (leaf only, leaf + chain), and snippets an attacker would splice in. */
const CASES: Record<HeaderFormat, { headers: Record<string, string>; valid: Pairs[]; splices: string[] }> = {
  rfc9440: {
    headers: {},
    valid: [
      [['Client-Cert', encode.item(leaf.der)]],
      [
        ['Client-Cert', encode.item(leaf.der)],
        ['Client-Cert-Chain', encode.list([intermediate.der, root.der])],
      ],
    ],
    splices: [`, ${encode.item(hostile.der)}`, ':', '::', ';a=1', '(', '"'],
  },
  xfcc: {
    headers: {},
    valid: [
      [
        [
          'x-forwarded-client-cert',
          encode.xfcc({ By: 'spiffe://a/b', Hash: sha256Hex(leaf.der), Cert: encode.urlPem(leaf.pem), Subject: 'CN=alice,O=Example' }),
        ],
      ],
      [['x-forwarded-client-cert', encode.xfcc({ Cert: encode.urlPem(leaf.pem), Chain: encode.urlPem(leaf.pem + intermediate.pem) })]],
    ],
    splices: [
      `;Cert=${encode.urlPem(hostile.pem)}`,
      `,Cert="${encode.urlPem(hostile.pem)}"`,
      `";Cert="${encode.urlPem(hostile.pem)}`,
      '\\"',
      '"',
      ';',
      ',',
      '=',
    ],
  },
  'url-pem': {
    headers: { chain: 'X-SSL-Client-Chain' },
    valid: [
      [['X-SSL-Client-Cert', encode.albPem(leaf.pem)]],
      [
        ['X-SSL-Client-Cert', encode.urlPem(leaf.pem + intermediate.pem)],
        ['X-SSL-Client-Chain', encode.albPem(root.pem)],
      ],
    ],
    splices: [encode.urlPem(hostile.pem), '%', '%2', '+', ' ', '%0A', '-----END%20CERTIFICATE-----', '"'],
  },
  pem: {
    headers: { chainPrefix: 'X-SSL-Client-Cert-Chain-' },
    valid: [
      [['X-SSL-Client-Cert', encode.spacedPem(leaf.pem)]],
      [
        ['X-SSL-Client-Cert', encode.tabbedPem(leaf.pem)],
        ['X-SSL-Client-Cert-Chain-0', encode.spacedPem(intermediate.pem)],
      ],
    ],
    splices: [encode.spacedPem(hostile.pem), '-----BEGIN CERTIFICATE-----', '-----END CERTIFICATE-----', '(null)', ' ', '\t', '"'],
  },
  'base64-der': {
    headers: { chain: 'X-SSL-Client-Chain' },
    valid: [
      [['X-SSL-Client-Cert', encode.base64(leaf.der)]],
      [
        ['X-SSL-Client-Cert', encode.base64(leaf.der)],
        ['X-SSL-Client-Chain', `${encode.base64(intermediate.der)},${encode.base64(root.der)}`],
      ],
    ],
    splices: [`,${encode.base64(hostile.der)}`, encode.base64(hostile.der), ',', '=', '"', '{x}', 'MII'],
  },
  gcp: {
    headers: { present: 'X-Client-Cert-Present' },
    valid: [
      [
        ['X-Client-Cert-Present', 'true'],
        ['X-Client-Cert-Leaf', encode.item(leaf.der)],
        ['X-Client-Cert-Chain', encode.list([intermediate.der])],
      ],
    ],
    splices: [`, ${encode.item(hostile.der)}`, ':', 'false', '"'],
  },
};

type Mutation =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'replace'; at: number; text: string }
  | { op: 'duplicate-header' | 'underscore-name' | 'quote' | 'truncate' | 'swap-case'; at: number };

function mutationArbitrary(splices: string[]): fc.Arbitrary<Mutation> {
  const text = fc.oneof(fc.constantFrom(...splices), fc.string({ maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 2 }));
  return fc.oneof(
    fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text }),
    fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ op: fc.constant('replace' as const), at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 1 }) }),
    fc.record({
      op: fc.constantFrom('duplicate-header' as const, 'underscore-name' as const, 'quote' as const, 'truncate' as const, 'swap-case' as const),
      at: fc.nat(),
    }),
  );
}

function applyMutation(pairs: Pairs, target: number, mutation: Mutation): Pairs {
  const out = pairs.map(([n, v]): [string, string] => [n, v]);
  const index = target % out.length;
  const [name, value] = out[index];
  const at = mutation.at % (value.length + 1);
  switch (mutation.op) {
    case 'insert':
      out[index] = [name, value.slice(0, at) + mutation.text + value.slice(at)];
      break;
    case 'delete':
      out[index] = [name, value.slice(0, at) + value.slice(at + mutation.length)];
      break;
    case 'replace':
      out[index] = [name, value.slice(0, at) + mutation.text + value.slice(at + 1)];
      break;
    case 'truncate':
      out[index] = [name, value.slice(0, at)];
      break;
    case 'quote':
      out[index] = [name, `"${value}"`];
      break;
    case 'swap-case':
      out[index] = [
        name,
        value.slice(0, at) +
          value.slice(at, at + 8).replace(/[a-z]/gi, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())) +
          value.slice(at + 8),
      ];
      break;
    case 'duplicate-header':
      out.push([name.toLowerCase(), value]);
      break;
    case 'underscore-name':
      out[index] = [name.replace(/-/g, '_'), value];
      break;
  }
  return out;
}

/** An altered certificate is tolerated only if our CAs would refuse it (unparsable or bad signature). */
function wouldBeAccepted(der: Buffer): boolean {
  if (ORIGINALS.has(sha256Hex(der))) return false;
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(der);
  } catch {
    return false;
  }
  return CA_KEYS.some((key) => {
    try {
      return certificate.verify(key);
    } catch {
      return false;
    }
  });
}

function check(format: HeaderFormat, pairs: Pairs): void {
  const profile = compiled[format];
  let result;
  try {
    result = extractFromHeaders(profile, RawHeaderReader.fromPairs(pairs));
  } catch (error) {
    if (!isClientCertError(error)) throw new Error(`${format}: non-ClientCertError thrown: ${String(error)}`);
    if (HTTP_STATUS_BY_CODE[error.code] >= 500) throw new Error(`${format}: 5xx code ${error.code}`);
    return;
  }
  const yielded = [result.certificate.leaf, ...result.certificate.chain];
  for (const der of yielded) {
    if (wouldBeAccepted(der)) throw new Error(`${format}: yielded an altered certificate our CA accepts`);
  }
  if (!Buffer.isBuffer(result.certificate.leaf) || result.certificate.leaf.length === 0) throw new Error(`${format}: empty leaf`);
}

const FORMATS = Object.keys(CASES) as HeaderFormat[];
const compiled = Object.fromEntries(FORMATS.map((format) => [format, compileHeaderProfile({ format, headers: CASES[format].headers })])) as Record<
  HeaderFormat,
  ReturnType<typeof compileHeaderProfile>
>;

describe(`header parsers under fuzzing (${RUNS} runs per property)`, () => {
  it.each(FORMATS)('%s: valid inputs still parse to the original certificates', (format) => {
    for (const pairs of CASES[format].valid) {
      const result = extractFromHeaders(compiled[format], RawHeaderReader.fromPairs(pairs));
      expect(result.certificate.leaf.equals(leaf.der)).toBe(true);
    }
  });

  it.each(FORMATS)(
    '%s: mutated headers error cleanly or yield an original certificate',
    (format) => {
      const { valid, splices } = CASES[format];
      fc.assert(
        fc.property(fc.nat(valid.length - 1), fc.array(fc.tuple(fc.nat(), mutationArbitrary(splices)), { minLength: 1, maxLength: 4 }), (base, mutations) => {
          let pairs = valid[base];
          for (const [target, mutation] of mutations) pairs = applyMutation(pairs, target, mutation);
          check(format, pairs);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it.each(FORMATS)(
    '%s: random header values never crash',
    (format) => {
      const names = [...compiled[format].watchedNames];
      const value = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 50 }), fc.stringMatching(/^[A-Za-z0-9+/=:,;" %-]{0,300}$/));
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.constantFrom(...names), value), { minLength: 1, maxLength: 4 }), (pairs) => check(format, pairs)),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});
