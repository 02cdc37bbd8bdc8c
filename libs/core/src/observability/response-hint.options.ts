/** What refusals tell the client. Bodies stay generic (status, code) whatever is set here. */
export interface ResponseHintOptions {
  /**
   * On 401 (no certificate / untrusted source), send `Client-Cert-Expected: <header names>` with
   * the certificate header name(s) the configured profiles read. Fixed at bootstrap from the
   * configuration: nothing from the request is echoed.
   * @default true
   * @example false // do not disclose renamed header names
   */
  expectedHeaderHint?: boolean;
}
