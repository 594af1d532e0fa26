export { importRegions, getRegion, ancestorCodes } from './regions.service';
export { readRegionFile } from './regions.import';
export { regionsRoutes } from './regions.routes';
