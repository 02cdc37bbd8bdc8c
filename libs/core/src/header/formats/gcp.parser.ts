import type { ForwardedCertificate } from '../forwarded-certificate';
import { headerMalformed } from '../header.errors';
import type { RawHeaderReader } from '../raw-header.reader';
import type { CertificateHeaderParser, ParserSettings } from './certificate-header.parser';
import { Rfc9440Parser } from './rfc9440.parser';

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
  /** Leaf and chain are RFC 9440 values: the same parser reads them. */
  private readonly rfc9440: Rfc9440Parser;

  constructor(private readonly settings: ParserSettings) {
    this.rfc9440 = new Rfc9440Parser(settings);
    this.headerNames = this.rfc9440.headerNames;
  }

  parse(reader: RawHeaderReader): ForwardedCertificate | null {
    const { present } = this.settings.names;
    if (present && this.presentSaysNo(reader.single(present))) return null;
    return this.rfc9440.parse(reader);
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
