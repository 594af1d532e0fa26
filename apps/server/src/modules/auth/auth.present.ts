import { maskPhone, regionPrefix, type TMe } from '@cunwu/contract';
import type { TActor } from '../../kernel/policy';

/** `GET /me`: the user, his roles with region names, and his distinct scopes widest first. */
export function presentMe(
  actor: TActor,
  profile: { id: string; kind: string; name: string; login: string | null; phone: string | null },
  regionNames: Map<string, string>,
  csrfToken: string | null,
): TMe {
  const scopes = [...new Set(actor.roles.map((r) => r.regionCode))]
    .sort((a, b) => regionPrefix(a).length - regionPrefix(b).length || a.localeCompare(b))
    .map((code) => ({ code, name: regionNames.get(code) ?? code }));
  return {
    user: {
      id: profile.id,
      kind: profile.kind === 'villager' ? 'villager' : 'official',
      name: profile.name,
      login: profile.login,
      phoneMasked: profile.phone ? maskPhone(profile.phone) : null,
    },
    roles: actor.roles.map((r) => ({ id: r.id, role: r.role, regionCode: r.regionCode, regionName: regionNames.get(r.regionCode) ?? r.regionCode })),
    scopes,
    csrfToken,
  };
}
