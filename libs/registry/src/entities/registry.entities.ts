import { AccountEntity } from './account.entity';
import { BindingEntity } from './binding.entity';
import { DeniedCertificateEntity } from './denied-certificate.entity';

/** Every entity of the registry, for the DataSource's `entities`. */
export const REGISTRY_ENTITIES = [AccountEntity, BindingEntity, DeniedCertificateEntity];
