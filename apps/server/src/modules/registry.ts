import type { TApp } from '../kernel/app-types';
import type { TJobDefinition } from '../kernel/jobs';
import type { TServices } from '../kernel/services';
import { appealsJobs, appealsRoutes, syncWorkCalendar } from './appeals';
import { authRoutes } from './auth';
import { ledgerJobs, ledgerRoutes } from './ledger';
import { regionsRoutes } from './regions';
import { systemRoutes } from './system';
import { usersRoutes } from './users';
import { chatPostsRoutes } from './chat-posts';
import { groupsRoutes } from './groups';
import { householdsRoutes } from './households';
import { feedRoutes } from './feed';
import { outboxJobs, outboxRoutes } from './outbox';
import { importsJobs, importsRoutes } from './imports';
import { open311Routes } from './open311';
import { disclosuresJobs, disclosuresRoutes, syncDisclosureCatalog } from './disclosures';
import { financeRoutes } from './finance';
// @registry:imports

/** Every module's routes, registered under /api/v1 (one place, so nothing is forgotten). */
export function registerModuleRoutes(api: TApp, services: TServices): void {
  systemRoutes(api, services);
  authRoutes(api, services);
  regionsRoutes(api, services);
  usersRoutes(api, services);
  ledgerRoutes(api, services);
  householdsRoutes(api, services);
  groupsRoutes(api, services);
  chatPostsRoutes(api, services);
  appealsRoutes(api, services);
  outboxRoutes(api, services);
  feedRoutes(api, services);
  importsRoutes(api, services);
  disclosuresRoutes(api, services);
  financeRoutes(api, services);
  // @registry:routes
}

/** Routes outside /api/v1 that outside systems rely on (e.g. the Open311 GeoReport v2 façade). */
export function registerRootRoutes(app: TApp, services: TServices): void {
  void app;
  void services;
  open311Routes(app, services);
  // @registry:root
}

/** Every module's background jobs. */
export function moduleJobs(services: TServices): TJobDefinition[] {
  return [
    ...ledgerJobs(services),
    ...appealsJobs(services),
    ...outboxJobs(services),
    ...importsJobs(services),
    ...disclosuresJobs(services),
    // @registry:jobs
  ];
}

/** Reference data modules keep in step with the files shipped in apps/server/seed (idempotent, at every start). */
export async function syncReferenceData(services: TServices): Promise<void> {
  await services.db.transaction().execute((tx) => syncWorkCalendar(tx));
  await services.db.transaction().execute((tx) => syncDisclosureCatalog(tx));
}
