// '@client-cert-auth/core/health': terminus health checks, which need the optional peer @nestjs/terminus.
import { requireOptionalPeer } from '../errors/optional-peer.loader';

requireOptionalPeer(require, '@nestjs/terminus', 'Health checks of @client-cert-auth/core (@client-cert-auth/core/health)');

export { ClientCertHealthIndicator } from '../observability/client-cert.health-indicator';
export { summarizeRevocation, type RevocationHealthPolicy, type RevocationHealthSummary } from '../observability/revocation-health.summary';
