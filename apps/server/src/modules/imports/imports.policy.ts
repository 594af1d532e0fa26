import { regionPrefix } from '@cunwu/contract';
import { collapsePrefixes, type TActor } from '../../kernel/policy';

/**
 * Who may read an import job: the official who uploaded it, or a platform admin whose scope covers
 * the whole scope of the job. Everyone else gets 404, so job ids reveal nothing.
 */
export function importJobReader(actor: TActor): { userId: string; adminPrefixes: string[] } {
  const adminPrefixes = collapsePrefixes(actor.roles.filter((r) => r.role === 'admin').map((r) => regionPrefix(r.regionCode)));
  return { userId: actor.userId, adminPrefixes };
}
