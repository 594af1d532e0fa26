import type { TOutboxAdapter } from './types';

/**
 * The platform's own feed. Nothing to send: the feed row was written in the business transaction
 * (and live viewers were notified on commit), so the outbox row only records that it is done.
 */
export function createWebAdapter(): TOutboxAdapter {
  return {
    channel: 'web',
    async deliver() {
      return { outcome: 'delivered' };
    },
  };
}
