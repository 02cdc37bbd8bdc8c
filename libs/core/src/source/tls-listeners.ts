import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { ClientCertError } from '../errors/client-cert.error';
import type { ForwardedCertificate } from '../header/forwarded-certificate';
import type { ForwardedRequest, RequestConnection } from '../header/forwarded-request';
import type { ExtractedCertificate } from '../header/header-profile.extractor';
import { certificateMissing } from '../header/header.errors';
import { RawHeaderReader } from '../header/raw-header.reader';
import type { TlsProfileOptions } from '../options/tls-profile.options';
import { readPeerCertificate } from './tls-peer.reader';
import type { WarmKey } from './warm-key.builder';

/** A `source: 'tls'` profile resolved once at bootstrap. */
export interface CompiledTlsProfile {
  readonly name: string;
  readonly ports: readonly number[];
  readonly maxCertificates: number;
  /** Its warm-key profile index: after every header profile's, so keys of the two kinds never match. */
  readonly index: number;
}

/** What one connection's certificate gave, kept for the connection's life (its certificate cannot change: see `read`). */
interface ConnectionPeer {
  readonly extracted: ExtractedCertificate;
  readonly warmKey: WarmKey;
}

const NAME = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Validates one TLS profile. Every error names the profile and the fix.
 * @throws Error
 */
export function compileTlsProfile(options: TlsProfileOptions, index: number, maxCertificates: number): CompiledTlsProfile {
  if (typeof options.name !== 'string' || !NAME.test(options.name)) {
    throw new Error(`Proxy profile name ${JSON.stringify(options.name)} must be 1-64 letters, digits, ".", "_" or "-"`);
  }
  const where = `TLS profile "${options.name}"`;
  const ports = options.ports;
  if (!Array.isArray(ports) || ports.length === 0 || ports.some((port) => !Number.isInteger(port) || port < 1 || port > 65535)) {
    throw new Error(`${where}: "ports" must list the local port(s) of its HTTPS listener(s), whole numbers from 1 to 65535, e.g. ports: [8443]`);
  }
  for (const key of ['from', 'format', 'preset', 'headers', 'verdicts', 'trustedHops', 'hopsFrom', 'sharedSecret', 'hmac', 'xfccElementFromEnd']) {
    if (key in options) {
      throw new Error(
        `${where}: "${key}" is a header profile's option; a TLS profile reads no header. Remove it, or make this a header profile (no "source").`,
      );
    }
  }
  const max = options.limits?.maxCertificates ?? maxCertificates;
  if (!Number.isInteger(max) || max < 1 || max > 32) throw new Error(`${where}: limits.maxCertificates must be a whole number from 1 to 32`);
  return Object.freeze({ name: options.name, ports: Object.freeze([...ports]), maxCertificates: max, index });
}

function isTlsSocket(socket: ForwardedRequest['socket']): socket is TLSSocket & RequestConnection {
  return socket?.encrypted === true && typeof (socket as Partial<TLSSocket>).getPeerCertificate === 'function';
}

/** The exact identity of a certificate and chain: SHA-256 over each DER with its length. */
function certificateDigest(certificate: ForwardedCertificate): Buffer {
  const hash = createHash('sha256');
  for (const der of [certificate.leaf, ...certificate.chain]) hash.update(`${der.length}:`).update(der);
  return hash.digest();
}

/**
 * Steps 1 and 2 for direct mTLS: the local port a request arrived on picks a TLS profile (or
 * none: then the header profiles decide), and the certificate comes from that connection only.
 * No header is read, so no header can stand in for the certificate.
 *
 * One connection keeps one certificate: on the first request it is read (and renegotiation,
 * the only way a TLS 1.2 client could present another one later, is switched off for the
 * connection), so a keep-alive connection pays a WeakMap lookup per request, and the warm path
 * then finds its result by the certificate's digest, shared by every connection that presents
 * the same certificate and chain.
 */
export class TlsListeners {
  readonly profiles: readonly CompiledTlsProfile[];
  private readonly byPort = new Map<number, CompiledTlsProfile>();
  /** Per connection, dropped with it. */
  private readonly peers = new WeakMap<TLSSocket, ConnectionPeer>();

  /**
   * @param firstIndex warm-key index of the first profile (the number of header profiles).
   * @param certificateHeaderNames what header profiles read (lower-case): named in the log when
   *   a request without a certificate carries one, never read.
   * @throws Error a bad profile, or a port two profiles claim.
   */
  constructor(
    options: readonly TlsProfileOptions[],
    firstIndex: number,
    maxCertificates: number,
    private readonly certificateHeaderNames: readonly string[],
  ) {
    this.profiles = options.map((profile, i) => compileTlsProfile(profile, firstIndex + i, maxCertificates));
    for (const profile of this.profiles) {
      for (const port of profile.ports) {
        const other = this.byPort.get(port);
        if (other) throw new Error(`TLS profiles "${other.name}" and "${profile.name}" both list port ${port}; a listener has one profile`);
        this.byPort.set(port, profile);
      }
    }
  }

  /** The TLS profile that owns the port the request arrived on, or `undefined` (a header profile's request). */
  profileFor(request: ForwardedRequest): CompiledTlsProfile | undefined {
    const port = request.socket?.localPort;
    return port === undefined ? undefined : this.byPort.get(port);
  }

  /** The warm-path key of a connection whose certificate was read already; `undefined`: take the slow path. */
  warmKey(request: ForwardedRequest): WarmKey | undefined {
    const socket = request.socket;
    return isTlsSocket(socket) ? this.peers.get(socket)?.warmKey : undefined;
  }

  /**
   * The connection's certificate, for a request on `profile`'s port.
   * @throws ClientCertError SOURCE_UNTRUSTED (not a TLS connection), CERT_MISSING, CERT_POLICY
   */
  extract(profile: CompiledTlsProfile, request: ForwardedRequest): ExtractedCertificate {
    const socket = request.socket;
    if (!isTlsSocket(socket)) {
      // A plain-HTTP listener on a TLS profile's port: a configuration mistake, refused (fail closed).
      throw new ClientCertError(
        'SOURCE_UNTRUSTED',
        `port ${String(socket?.localPort)} belongs to TLS profile "${profile.name}" but this connection is not TLS`,
        {
          profile: profile.name,
          remoteAddress: request.remoteAddress ?? null,
        },
      );
    }
    const known = this.peers.get(socket);
    if (known) return known.extracted;
    const certificate = readPeerCertificate(socket, profile.maxCertificates, profile.name);
    if (!certificate) {
      const reader = new RawHeaderReader(request.rawHeaders);
      // Never read here; named in the log, since a certificate header on a TLS listener is a spoof attempt.
      const spoofed = this.certificateHeaderNames.filter((name) => reader.has(name));
      throw certificateMissing(`The TLS client sent no certificate to profile "${profile.name}"`, {
        profile: profile.name,
        ...(spoofed.length > 0 ? { spoofedHeaders: spoofed } : {}),
      });
    }
    socket.disableRenegotiation();
    const extracted: ExtractedCertificate = { profile: profile.name, format: 'tls', certificate };
    const digest = certificateDigest(certificate);
    const warmKey: WarmKey = {
      key: digest.readUInt32BE(0) & 0x3fffffff,
      profile: profile.index,
      address: socket.remoteAddress ?? '',
      headers: [':tls', digest.toString('hex')],
    };
    this.peers.set(socket, { extracted, warmKey });
    return extracted;
  }
}
