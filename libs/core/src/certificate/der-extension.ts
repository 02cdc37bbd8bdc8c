import type { CertificateExtension } from './parsed-certificate';
import { type Asn1, bytesOf } from './asn1.reader';

/**
 * One extension. Its extnValue bytes are sliced from the certificate's DER on first read:
 * validation reads only `oid` and `critical`, and a Buffer view costs an allocation.
 */
export class DerExtension implements CertificateExtension {
  readonly #node: Asn1;
  #value: Buffer | undefined;

  constructor(
    readonly oid: string,
    readonly critical: boolean,
    node: Asn1,
  ) {
    this.#node = node;
  }

  /** The extnValue contents (the DER inside the OCTET STRING), a view into the certificate's DER. */
  get value(): Buffer {
    return (this.#value ??= bytesOf(this.#node, 'extnValue'));
  }
}
