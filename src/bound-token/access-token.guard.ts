import { readFileSync } from 'node:fs';
import { CanActivate, ExecutionContext, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';

/** Signature algorithms accepted for access tokens (asymmetric only: the sample holds no shared secret). */
const ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256'] as const;

/**
 * The sample's access-token check, standing in for passport-jwt or your OAuth library: verifies
 * the Bearer token's signature with the OAuth server's public key
 * (`CLIENT_CERT_BOUND_TOKENS_PUBLIC_KEY_FILE`), its expiry, and, when set, its issuer
 * (`CLIENT_CERT_BOUND_TOKENS_ISSUER`) and audience (`CLIENT_CERT_BOUND_TOKENS_AUDIENCE`); then
 * leaves the claims in `request.user`, where `CertificateBoundTokenGuard` reads them by default.
 * Without the key file the bound-token route does not exist (404).
 */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  private readonly jwt?: JwtService;
  private readonly issuer?: string;
  private readonly audience?: string;

  constructor(config: ConfigService) {
    const keyFile = config.get<string>('CLIENT_CERT_BOUND_TOKENS_PUBLIC_KEY_FILE');
    if (!keyFile) return;
    this.jwt = new JwtService({ publicKey: readFileSync(keyFile, 'utf8') });
    this.issuer = config.get<string>('CLIENT_CERT_BOUND_TOKENS_ISSUER') || undefined;
    this.audience = config.get<string>('CLIENT_CERT_BOUND_TOKENS_AUDIENCE') || undefined;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.jwt) throw new NotFoundException('Set CLIENT_CERT_BOUND_TOKENS_PUBLIC_KEY_FILE to serve the bound-token route');
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; user?: unknown }>();
    const [scheme, token] = request.headers.authorization?.split(' ') ?? [];
    if (scheme !== 'Bearer' || !token) throw new UnauthorizedException('A Bearer access token is required');
    try {
      request.user = await this.jwt.verifyAsync(token, { algorithms: [...ALGORITHMS], issuer: this.issuer, audience: this.audience });
    } catch {
      throw new UnauthorizedException('The access token is not valid');
    }
    return true;
  }
}
