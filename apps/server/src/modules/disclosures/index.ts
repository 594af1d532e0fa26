export { disclosuresRoutes } from './disclosures.routes';
export { disclosuresJobs } from './disclosures.jobs';
export { syncDisclosureCatalog, getCatalog, CATALOG_SEED } from './disclosures.catalog';
export { createDisclosure, updateDisclosure, submitDisclosure, reviewDisclosure, publishDisclosure, correctDisclosure, getDisclosure, listVillageDisclosures } from './disclosures.service';
export { complianceReport, complianceWindow, announceOverdueDisclosures } from './disclosures.compliance';
export { PUBLISH_GATES, type TPublishGate } from './disclosures.hooks';
export { needsReview, REVIEWED_ITEMS } from './disclosures.machine';
export { periodLabel } from './disclosures.present';
