import { SetMetadata } from '@nestjs/common';
import { SKIP_CLIENT_CERT_KEY } from './metadata.keys';

/**
 * Lets one route of a guarded controller (or a globally guarded app) through without a client
 * certificate, e.g. a health check. Explicit on purpose: nothing is public by accident.
 *
 * @example
 * @SkipClientCert()
 * @Get('health') health() {}
 */
export const SkipClientCert = () => SetMetadata(SKIP_CLIENT_CERT_KEY, true);
