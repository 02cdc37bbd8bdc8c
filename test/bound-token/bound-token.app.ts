import {
  CanActivate,
  Controller,
  ExecutionContext,
  Get,
  Inject,
  Injectable,
  Module,
  UnauthorizedException,
  UseGuards,
  type INestApplication,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { JwtModule, JwtService } from '@nestjs/jwt';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { CertificateBoundTokenGuard, ClientAccount, ClientCertAuthModule, ClientCertGuard, type CertificateBoundTokenOptions } from '@client-cert-auth/core';
import { ClientCertRegistryModule, parseDatabaseUrl } from '@client-cert-auth/registry';

/** What every token verifier here checks besides the signature. */
export const TOKEN_ISSUER = 'https://idp.test/realms/orders';
export const TOKEN_AUDIENCE = 'orders-api';
const TOKEN_PUBLIC_KEY = Symbol('TOKEN_PUBLIC_KEY');

/** passport-jwt, as the Nest docs set it up: `validate()` returns the payload, so it lands in `request.user`. */
@Injectable()
class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(TOKEN_PUBLIC_KEY) publicKeyPem: string) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: publicKeyPem,
      algorithms: ['ES256'],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
    });
  }

  validate(payload: Record<string, unknown>): Record<string, unknown> {
    return payload;
  }
}

/** The @nestjs/jwt recipe, with the claims kept under `request.auth.payload` instead of `user`. */
@Injectable()
class BearerJwtGuard implements CanActivate {
  constructor(private readonly jwt: JwtService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; auth?: unknown }>();
    const [scheme, token] = request.headers.authorization?.split(' ') ?? [];
    if (scheme !== 'Bearer' || !token) throw new UnauthorizedException();
    try {
      request.auth = { payload: await this.jwt.verifyAsync(token, { algorithms: ['ES256'], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE }) };
    } catch {
      throw new UnauthorizedException();
    }
    return true;
  }
}

/** Which token guard the bound routes use. */
export type TokenVerifier = 'passport-jwt' | 'nestjs-jwt';

export interface BoundTokenAppSettings {
  readonly adapter: 'express' | 'fastify';
  readonly verifier: TokenVerifier;
  readonly rootFile: string;
  readonly intermediateFile: string;
  readonly databaseFile: string;
  readonly tokenPublicKeyPem: string;
  readonly boundTokens?: CertificateBoundTokenOptions;
}

/**
 * An API where `/transfers` needs a certificate AND a token bound to it (RFC 8705), and
 * `/balance` needs both but not the binding (the pass/fail pair of the option).
 */
export async function createBoundTokenApp(settings: BoundTokenAppSettings): Promise<INestApplication> {
  const TokenGuard = settings.verifier === 'passport-jwt' ? AuthGuard('jwt') : BearerJwtGuard;

  @Controller()
  class PaymentsController {
    @Get('transfers')
    @UseGuards(ClientCertGuard, TokenGuard, CertificateBoundTokenGuard)
    transfers(@ClientAccount() account: ClientAccount) {
      return { account: account.name, bound: true };
    }

    @Get('balance')
    @UseGuards(ClientCertGuard, TokenGuard)
    balance(@ClientAccount() account: ClientAccount) {
      return { account: account.name, bound: false };
    }
  }

  @Module({
    imports: [
      ClientCertRegistryModule.forRoot({ database: parseDatabaseUrl(`sqlite:${settings.databaseFile}`) }),
      ClientCertAuthModule.forRoot({
        proxies: [{ name: 'waf', from: ['127.0.0.1/32', '::1/128'], format: 'rfc9440' }],
        trustAnchors: { files: [settings.rootFile], intermediateFiles: [settings.intermediateFile] },
        revocation: { mode: 'off' },
        boundTokens: settings.boundTokens,
      }),
      JwtModule.register({ publicKey: settings.tokenPublicKeyPem }),
    ],
    controllers: [PaymentsController],
    providers: [JwtStrategy, BearerJwtGuard, { provide: TOKEN_PUBLIC_KEY, useValue: settings.tokenPublicKeyPem }],
  })
  class BoundTokenAppModule {}

  const moduleRef = await Test.createTestingModule({ imports: [BoundTokenAppModule] }).compile();
  const app =
    settings.adapter === 'fastify' ? moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter()) : moduleRef.createNestApplication();
  app.useLogger(['error']);
  await app.init();
  if (settings.adapter === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  return app;
}
