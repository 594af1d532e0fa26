import { createSmsAdapter } from './sms';
import type { TChannel, TOutboxAdapter } from './types';
import { createWebAdapter } from './web';
import { createWecomAdapter } from './wecom';

export type { TChannel, TClaimedMessage, TDeliveryContext, TDeliveryResult, TOutboxAdapter } from './types';
export { createWecomAdapter, wecomMessage } from './wecom';

/** Adapters by channel. */
export type TAdapters = Record<TChannel, TOutboxAdapter>;

let defaults: TAdapters | null = null;

/** The process-wide adapters (one instance, so the robot's rate limit is shared by every run). */
export function defaultAdapters(): TAdapters {
  defaults ??= { web: createWebAdapter(), wecom: createWecomAdapter(), sms: createSmsAdapter() };
  return defaults;
}
