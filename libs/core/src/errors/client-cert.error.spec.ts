import { HttpException } from '@nestjs/common';
import { exceptionFor } from '../guards/http-error.mapper';
import { ClientCertError, isClientCertError } from './client-cert.error';
import { ClientCertErrorCode } from './client-cert-error-code';

describe('refusals without stack traces', () => {
  it('builds a ClientCertError with its code, message and details but no stack frames', () => {
    const error = new ClientCertError('CERT_UNTRUSTED', 'no issuer of leaf found', { profile: 'waf' });
    expect(isClientCertError(error)).toBe(true);
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.code, error.message, error.details]).toEqual([
      'ClientCertError',
      'CERT_UNTRUSTED',
      'no issuer of leaf found',
      { profile: 'waf' },
    ]);
    expect(error.stack).toBe('ClientCertError: no issuer of leaf found');
  });

  it('builds the HTTP exception of a refusal without stack frames, with the same status and body', () => {
    const exception = exceptionFor(ClientCertErrorCode.CERT_UNTRUSTED);
    expect(exception).toBeInstanceOf(HttpException);
    expect(exception.getStatus()).toBe(403);
    expect(exception.getResponse()).toEqual({ statusCode: 403, error: 'Forbidden', code: 'CERT_UNTRUSTED' });
    expect(exception.stack?.split('\n')).toHaveLength(1);
  });

  it('leaves the process-wide stack trace limit as it found it', () => {
    const before = Error.stackTraceLimit;
    new ClientCertError('CERT_MISSING', 'x');
    exceptionFor(ClientCertErrorCode.CERT_MISSING);
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('other errors keep theirs').stack!.split('\n').length).toBeGreaterThan(1);
  });
});
