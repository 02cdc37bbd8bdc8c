import { Controller, Get, UseGuards } from '@nestjs/common';
import { CertificateBoundTokenGuard, ClientAccount, ClientCert, ClientCertGuard, type ClientCertPrincipal } from '@client-cert-auth/core';
import { AccessTokenGuard } from './access-token.guard';

/**
 * A route that needs both a client certificate and an access token bound to it (RFC 8705):
 * `cnf["x5t#S256"]` of the token must be the certificate's SHA-256 thumbprint, else 401
 * TOKEN_NOT_BOUND. The guards run in the order listed: certificate, token, binding. It serves
 * both listeners: the forwarded certificate on the header listener, the connection's on TLS_PORT.
 */
@Controller('bound')
@UseGuards(ClientCertGuard, AccessTokenGuard, CertificateBoundTokenGuard)
export class BoundOrdersController {
  @Get('whoami')
  whoami(@ClientCert() cert: ClientCertPrincipal, @ClientAccount() account: ClientAccount): { account: string; subject: string; thumbprint: string } {
    return { account: account.name, subject: cert.subject, thumbprint: Buffer.from(cert.fingerprintSha256, 'hex').toString('base64url') };
  }
}
