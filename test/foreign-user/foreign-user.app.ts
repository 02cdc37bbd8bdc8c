import { type CanActivate, Controller, type ExecutionContext, Get, Injectable, Module, Req, UseGuards } from '@nestjs/common';
import { ClientAccount, ClientCert, ClientCertAuthModule, clientCertOf, type ClientCertPrincipal } from '@client-cert-auth/core';
import { ClientCertRegistryModule } from '@client-cert-auth/registry';

/**
 * Another authentication scheme of the app (a JWT guard, say) that leaves its own payload in
 * `request.user`, a payload that happens to have `principal` and `account` keys.
 */
@Injectable()
class JwtLikeGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ user?: unknown }>();
    request.user = {
      principal: { subject: 'CN=admin,O=Forged', fingerprintSha256: '00'.repeat(32) },
      account: { id: 'admin', name: 'admin', status: 'active', roles: ['orders:write', 'admin'] },
    };
    return true;
  }
}

/** Routes guarded by something else than the client-certificate guards. */
@Controller('jwt')
@UseGuards(JwtLikeGuard)
export class JwtRoutesController {
  @Get('cert')
  cert(@ClientCert() cert: ClientCertPrincipal) {
    return { subject: cert.subject };
  }

  @Get('account')
  account(@ClientAccount() account: ClientAccount) {
    return { account: account.name };
  }

  /** `clientCertOf()` read the way an interceptor or exception filter of the app would. */
  @Get('of')
  of(@Req() request: object) {
    return { found: clientCertOf(request) !== undefined };
  }
}

/** The module's own wiring, plus the foreign guard's routes. */
@Module({})
export class ForeignUserAppModule {
  static register(caFile: string, databasePath: string) {
    return {
      module: ForeignUserAppModule,
      imports: [
        ClientCertRegistryModule.forRoot({ database: { type: 'sqlite' as const, path: databasePath } }),
        ClientCertAuthModule.forRoot({
          proxies: [{ name: 'waf', from: ['127.0.0.1/32', '::1/128'], format: 'rfc9440' }],
          trustAnchors: { files: [caFile] },
          revocation: { mode: 'off' },
        }),
      ],
      controllers: [JwtRoutesController],
    };
  }
}
