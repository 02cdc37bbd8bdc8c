import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ClientCertAuthOptions } from './options/client-cert-auth.options';

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } = new ConfigurableModuleBuilder<ClientCertAuthOptions>()
  .setClassMethodName('forRoot')
  .setExtras(
    {
      /**
       * Register the guard's dependencies globally, so `@UseGuards(ClientCertGuard)` works in
       * every module without re-importing this one.
       * @default true
       */
      isGlobal: true,
    },
    (definition, extras) => ({ ...definition, global: extras.isGlobal }),
  )
  .build();
