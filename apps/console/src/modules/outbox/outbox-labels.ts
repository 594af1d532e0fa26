import type { TOutboxMessage, TRole } from '@cunwu/contract';

/** A delivery status. */
export type TOutboxStatus = TOutboxMessage['status'];
/** An outbound channel. */
export type TOutboxChannel = TOutboxMessage['channel'];

/** Tag colour of each status: waiting grey, in flight blue, done green, failing orange, given up red. */
export const STATUS_TAG_TYPES: Record<TOutboxStatus, 'info' | 'primary' | 'success' | 'warning' | 'danger'> = {
  pending: 'info',
  sending: 'primary',
  delivered: 'success',
  failed: 'warning',
  dead: 'danger',
};

/** Accent colour of each status card. */
export const STATUS_ACCENTS: Record<TOutboxStatus, string> = {
  pending: '#64748b',
  sending: '#1d4ed8',
  delivered: '#047857',
  failed: '#b45309',
  dead: '#b91c1c',
};

/** Tag colour of each channel. */
export const CHANNEL_TAG_TYPES: Record<TOutboxChannel, 'primary' | 'warning' | 'info'> = {
  wecom: 'primary',
  web: 'warning',
  sms: 'info',
};

/** Statuses an official may send again by hand. */
export const RETRYABLE_STATUSES: readonly TOutboxStatus[] = ['failed', 'dead'];

/** May open the outbox page (`outbox.read`). */
export const OUTBOX_READ_ROLES: readonly TRole[] = ['group_admin', 'village_cadre', 'town_officer', 'county_officer', 'city_officer', 'admin'];
/** May retry a message (`outbox.retry`). */
export const OUTBOX_RETRY_ROLES: readonly TRole[] = ['group_admin', 'village_cadre', 'admin'];
