import { resolveServiceConfig } from './service-config';

/** The service this build talks to (fixed at build time by `WXT_EXPRESSAI_*`). */
export const SERVICE = resolveServiceConfig(import.meta.env as Record<string, string | undefined>);
