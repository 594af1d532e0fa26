export { enqueueOutbound, enqueueOutboundMany, enqueueForGroup, enqueueForGroups, OUTBOX_DUE_CHANNEL } from './outbox.service';
export { deliverDueMessages, backoffMs, type TDeliveryReport } from './outbox.delivery';
export { defaultAdapters, createWecomAdapter, wecomMessage, type TAdapters } from './adapters';
export type { TEnqueueInput, TGroupNotice, TOutboundGroup, TOutboundPayload } from './outbox.types';
export { outboxRoutes } from './outbox.routes';
export { outboxJobs } from './outbox.jobs';
