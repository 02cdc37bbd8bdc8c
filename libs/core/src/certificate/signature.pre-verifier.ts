import type { ParsedCertificate } from './parsed-certificate';
import { verifyCertificateSignatureOnPool } from './signature.verifier';

/** A signature the path builder is expected to check: `child`'s, with `issuer`'s key. */
export type SignatureEdge = readonly [child: ParsedCertificate, issuer: ParsedCertificate];

/**
 * Answers computed on the thread pool for one validation. Opaque: only
 * {@link SignaturePreVerifier} fills one (from node:crypto's own answers, in a module-private
 * map), so no caller can hand the path validator a "valid" it did not compute.
 */
export class PreVerifiedSignatures {
  private constructor() {}

  /** @internal */
  static create(): PreVerifiedSignatures {
    return new PreVerifiedSignatures();
  }
}

const answers = new WeakMap<PreVerifiedSignatures, Map<ParsedCertificate, Map<ParsedCertificate, boolean>>>();

/** The thread pool's answer for this edge; undefined when it was not pre-verified (verify it now). */
export function preVerifiedAnswer(signatures: PreVerifiedSignatures | undefined, child: ParsedCertificate, issuer: ParsedCertificate): boolean | undefined {
  return signatures === undefined ? undefined : answers.get(signatures)?.get(child)?.get(issuer);
}

/**
 * libuv's pool (UV_THREADPOOL_SIZE, 4 by default) also serves fs, dns.lookup and zlib: the
 * pre-verifications leave one thread free for them, so a cold flood cannot stall file reads
 * or name resolution behind signature checks.
 */
export function defaultMaxInFlight(): number {
  const size = Number(process.env.UV_THREADPOOL_SIZE);
  return Math.max(1, (Number.isInteger(size) && size > 0 ? Math.min(size, 1024) : 4) - 1);
}

/** Options of {@link SignaturePreVerifier}. */
export interface SignaturePreVerifierOptions {
  /** Most verifications on the pool at once, over all requests; the edges beyond it are verified synchronously. @default UV_THREADPOOL_SIZE - 1 */
  readonly maxInFlight?: number;
  /** The verification on the pool (tests pass one that fails). @default verifyCertificateSignatureOnPool */
  readonly verify?: (child: ParsedCertificate, issuer: ParsedCertificate) => Promise<boolean | undefined>;
}

/**
 * Runs the costly signature checks of a never-seen certificate on the libuv thread pool before
 * the synchronous path validation, which then reads their answers instead of verifying on the
 * main thread. A P-256 verify costs ~75 µs of main-thread CPU synchronously and ~15 µs to
 * dispatch and collect from the pool (measured on the 2-core reference host, 10 in flight).
 * Bounded: at most `maxInFlight` verifications in flight in the process; what does not fit is
 * left to the synchronous path, as is any edge whose pool call errored.
 */
export class SignaturePreVerifier {
  private readonly maxInFlight: number;
  private readonly verify: NonNullable<SignaturePreVerifierOptions['verify']>;
  private inFlight = 0;

  constructor(options: SignaturePreVerifierOptions = {}) {
    this.maxInFlight = options.maxInFlight ?? defaultMaxInFlight();
    this.verify = options.verify ?? verifyCertificateSignatureOnPool;
  }

  /** Whether no verification of this pre-verifier is on the pool. */
  get idle(): boolean {
    return this.inFlight === 0;
  }

  /** Verifies what fits under the cap; undefined (nothing to wait for) when nothing does. */
  preVerify(edges: readonly SignatureEdge[]): Promise<PreVerifiedSignatures> | undefined {
    const room = Math.min(edges.length, this.maxInFlight - this.inFlight);
    if (room <= 0) return undefined;
    this.inFlight += room;
    const pending: Array<Promise<boolean | undefined>> = [];
    for (let i = 0; i < room; i++) pending.push(this.settle(edges[i]));
    return Promise.all(pending).then((results) => {
      const signatures = PreVerifiedSignatures.create();
      const byChild = new Map<ParsedCertificate, Map<ParsedCertificate, boolean>>();
      for (let i = 0; i < room; i++) {
        const valid = results[i];
        if (valid === undefined) continue; // the pool call errored: the synchronous path decides
        const [child, issuer] = edges[i];
        let byIssuer = byChild.get(child);
        if (!byIssuer) byChild.set(child, (byIssuer = new Map()));
        byIssuer.set(issuer, valid === true);
      }
      answers.set(signatures, byChild);
      return signatures;
    });
  }

  /** One edge; never rejects, and gives its slot back however it ends. */
  private async settle([child, issuer]: SignatureEdge): Promise<boolean | undefined> {
    try {
      return await this.verify(child, issuer);
    } catch {
      return undefined;
    } finally {
      this.inFlight--;
    }
  }
}
