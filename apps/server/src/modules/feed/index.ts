export { postPlatformNotice, postLedgerCheckpointNotice, feedChannel, type TPlatformNotice } from './feed.service';
export { feedRoutes } from './feed.routes';
