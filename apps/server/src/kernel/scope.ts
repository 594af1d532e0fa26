import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { TScope } from './policy';

/**
 * `column LIKE prefix || '%'` for every prefix of the scope, OR-ed; an empty scope matches nothing.
 * Repo functions put this in every WHERE so that a missing check fails closed.
 */
export function inScope<DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, column: string, scope: TScope): Expression<SqlBool> {
  if (scope.prefixes.length === 0) return sql<SqlBool>`false`;
  const ref = sql.ref(column);
  return eb.or(scope.prefixes.map((prefix) => sql<SqlBool>`${ref} LIKE ${prefix + '%'}`));
}

/** The same scope filter as a raw SQL fragment, for `sql` templates in repo files. */
export function scopeSql(column: string, scope: TScope) {
  if (scope.prefixes.length === 0) return sql<SqlBool>`false`;
  const ref = sql.ref(column);
  return sql<SqlBool>`(${sql.join(scope.prefixes.map((prefix) => sql`${ref} LIKE ${prefix + '%'}`), sql` OR `)})`;
}
