import { ClientCertErrorCode } from '../errors/client-cert-error-code';
import { ClientCertError } from '../errors/client-cert.error';
import { socketRefusalOf, toWsException, wsCloseCodeFor } from './socket.refusal';

describe('WebSocket refusals', () => {
  it.each([
    ['CERT_MISSING', 4401],
    ['SOURCE_UNTRUSTED', 4401],
    ['HEADER_MALFORMED', 4400],
    ['IDENTITY_UNKNOWN', 4403],
    ['CERT_REVOKED', 4403],
    ['ROLE_MISSING', 4403],
    ['REGISTRY_UNAVAILABLE', 4503],
    ['AUTH_INTERNAL_ERROR', 4503],
  ] as const)('closes a connection refused with %s with %i', (code, closeCode) => {
    expect(wsCloseCodeFor(code)).toBe(closeCode);
  });

  it('gives every code a close code in the private range 4000-4999 that applications may use', () => {
    for (const code of Object.values(ClientCertErrorCode)) expect(wsCloseCodeFor(code)).toBeGreaterThanOrEqual(4400);
    for (const code of Object.values(ClientCertErrorCode)) expect(wsCloseCodeFor(code)).toBeLessThan(5000);
  });

  it('carries the HTTP body of the code, and a WsException with it for handler refusals', () => {
    const error = new ClientCertError('ROLE_MISSING', 'needs orders:read');
    expect(socketRefusalOf(error)).toEqual({ statusCode: 403, error: 'Forbidden', code: 'ROLE_MISSING' });
    const exception = toWsException(error) as Error & { getError(): unknown };
    expect(exception.constructor.name).toBe('WsException');
    expect(exception.getError()).toEqual({ statusCode: 403, error: 'Forbidden', code: 'ROLE_MISSING' });
  });
});
