import type { ForwardedCertificate } from '../forwarded-certificate';
import { headerMalformed } from '../header.errors';
import { assertWithinBytes } from '../header.limits';
import { certificateValue } from '../header-value.normalizer';
import type { RawHeaderReader } from '../raw-header.reader';
import type { CertificateHeaderParser, ParserSettings } from './certificate-header.parser';
import { decodeByteSequenceItem, decodeByteSequenceLists } from './rfc9440.parser';

/**
 * Google Cloud Application Load Balancer mTLS custom headers (names chosen by the operator):
 * `{client_cert_leaf}` and `{client_cert_chain}` encoded as RFC 9440, and
 * `{client_cert_present}` = `true`/`false` (false means "no certificate": 401).
 * `{client_cert_chain_verified}` and `{client_cert_error}` are verdicts (see the gcp preset) and
 * `{client_cert_sha256_fingerprint}` (base64) is a claim header; both are read by the profile,
 * not here. In permissive mode GCP forwards certificates it did not validate.
 *
 * @example X-Client-Cert-Present: true
 * @example X-Client-Cert-Leaf: :MIIBqDCCAU6gAwIBAgIBBzAKBggqhkjOPQQDAjA6...:
 */
export class GcpParser implements CertificateHeaderParser {
  readonly format = 'gcp' as const;
  readonly headerNames: readonly string[];

  constructor(private readonly settings: ParserSettings) {
    const { cert, chain } = settings.names;
    this.headerNames = chain ? [cert, chain] : [cert];
  }

  parse(reader: RawHeaderReader): ForwardedCertificate | null {
    const { names, limits } = this.settings;
    if (names.present && this.presentSaysNo(reader.single(names.present))) return null;
    const raw = reader.single(names.cert);
    const chainValues = names.chain ? reader.all(names.chain) : [];
    assertWithinBytes([raw, ...chainValues], limits);
    const value = certificateValue(raw, false);
    if (value === null) return null;
    return {
      leaf: decodeByteSequenceItem(value, names.cert),
      chain: decodeByteSequenceLists(chainValues, limits, names.chain ?? ''),
    };
  }

  /** An absent present-header leaves the decision to the leaf header. */
  private presentSaysNo(value: string | undefined): boolean {
    if (value === undefined) return false;
    const normalized = value.trim().toLowerCase();
    if (normalized === 'false' || normalized === '') return true;
    if (normalized === 'true') return false;
    throw headerMalformed(`${this.settings.names.present} must be "true" or "false"`);
  }
}
