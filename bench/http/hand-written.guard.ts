import { X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';

/**
 * What the hand-written guard trusts, loaded once at start-up: the root and the intermediate
 * (parsed once, their public keys extracted once) and the SHA-256 fingerprints of the enrolled
 * leaves, as node:crypto prints them (`AB:CD:…`), each mapped to its account name.
 */
export class HandWrittenTrust {
  readonly rootKey: KeyObject;
  readonly intermediateKey: KeyObject;

  constructor(
    readonly root: X509Certificate,
    readonly intermediate: X509Certificate,
    readonly enrolled: ReadonlyMap<string, string>,
  ) {
    this.rootKey = root.publicKey;
    this.intermediateKey = intermediate.publicKey;
  }

  /**
   * Reads the bench settings: `CLIENT_CERT_CA_FILES` and `CLIENT_CERT_INTERMEDIATE_FILES` (one
   * PEM each, as the bench writes them) and `BENCH_ENROLLED_FINGERPRINTS`, an optional file of
   * `<fingerprint256> <account>` lines.
   */
  static fromSettings(settings: Record<string, string>): HandWrittenTrust {
    const enrolled = new Map<string, string>();
    const file = settings.BENCH_ENROLLED_FINGERPRINTS;
    if (file) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const [fingerprint, account] = line.split(' ');
        if (fingerprint && account) enrolled.set(fingerprint, account);
      }
    }
    return new HandWrittenTrust(
      new X509Certificate(readFileSync(settings.CLIENT_CERT_CA_FILES)),
      new X509Certificate(readFileSync(settings.CLIENT_CERT_INTERMEDIATE_FILES)),
      enrolled,
    );
  }
}

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The guard a user writes by hand instead of using the module: the baseline of issue 14's
 * ratios, written the way a careful user would, with no cache. Per request: read the RFC 9440
 * `Client-Cert: :<base64 DER>:` header, `new X509Certificate`, verify the leaf with the
 * intermediate and the intermediate with the root, check both validity periods, EKU clientAuth
 * on the leaf, then look its SHA-256 fingerprint up in a Map of enrolled certificates.
 *
 * Deliberately omitted (what the module does and a typical hand-written guard does not, so the
 * comparison flatters this guard): trust in the request's source (any client may send the
 * header, no proxy CIDR check), revocation (CRL/OCSP), name constraints, certificate policies,
 * path building beyond one fixed intermediate, basicConstraints / keyUsage of the CAs, key size
 * and algorithm policy, critical-extension handling, the header's size limits, binding by
 * anything but the exact certificate (no SAN/subject/SPKI rules, so every re-issued certificate
 * needs re-enrolling), account state, logging and metrics. A plain Nest guard rather than a
 * passport-custom strategy: passport's per-request overhead would only make this baseline slower.
 */
@Injectable()
export class HandWrittenGuard implements CanActivate {
  constructor(private readonly trust: HandWrittenTrust) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const header = request.headers['client-cert'];
    if (typeof header !== 'string' || header.length < 3 || header[0] !== ':' || header[header.length - 1] !== ':') return false;
    const base64 = header.slice(1, -1);
    if (!BASE64.test(base64)) return false;
    let leaf: X509Certificate;
    try {
      leaf = new X509Certificate(Buffer.from(base64, 'base64'));
    } catch {
      return false;
    }
    const { intermediate, rootKey, intermediateKey, enrolled } = this.trust;
    // verify() is false, not a throw, on a wrong key; the intermediate is re-verified every time (no cache).
    if (!leaf.verify(intermediateKey) || !intermediate.verify(rootKey)) return false;
    const now = Date.now();
    for (const certificate of [leaf, intermediate]) {
      if (now < Date.parse(certificate.validFrom) || now > Date.parse(certificate.validTo)) return false;
    }
    if (!leaf.keyUsage?.includes(CLIENT_AUTH)) return false;
    return enrolled.has(leaf.fingerprint256);
  }
}
