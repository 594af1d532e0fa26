import type { TApp } from '../kernel/app-types';
import type { TJobDefinition } from '../kernel/jobs';
import type { TServices } from '../kernel/services';
import { authRoutes } from './auth';
import { ledgerJobs, ledgerRoutes } from './ledger';
import { regionsRoutes } from './regions';
import { systemRoutes } from './system';
import { usersRoutes } from './users';
// @registry:imports

/** Every module's routes, registered under /api/v1 (one place, so nothing is forgotten). */
export function registerModuleRoutes(api: TApp, services: TServices): void {
  systemRoutes(api, services);
  authRoutes(api, services);
  regionsRoutes(api, services);
  usersRoutes(api, services);
  ledgerRoutes(api, services);
  // @registry:routes
}

/** Every module's background jobs. */
export function moduleJobs(services: TServices): TJobDefinition[] {
  return [
    ...ledgerJobs(services),
    // @registry:jobs
  ];
}
