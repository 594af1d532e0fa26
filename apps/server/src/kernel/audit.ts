import type { TTx } from './db';

/** Who did it, from where: carried from the request into every audited write. */
export interface TAuditContext {
  actorId: string | null;
  requestId: string | null;
  ip: string | null;
}

/** One audit event. */
export interface TAuditEvent {
  action: string;
  entityType: string;
  entityId?: string | null;
  regionCode?: string | null;
  details?: Record<string, unknown>;
}

/** Append an audit event inside the caller's transaction. Never put personal data in `details`. */
export async function recordAudit(tx: TTx, ctx: TAuditContext, event: TAuditEvent): Promise<void> {
  await tx
    .insertInto('auditEvents')
    .values({
      actorId: ctx.actorId,
      requestId: ctx.requestId,
      ip: ctx.ip,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId ?? null,
      regionCode: event.regionCode ?? null,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}
