import { useRoute, useRouter } from 'vue-router';

/** Changes to the address's query: a value sets a key, undefined or '' removes it. */
export type TQueryChanges = Record<string, string | undefined>;

/**
 * Page state kept in the address (filters, region, month, tab), so a reload or a shared link shows
 * the same page: read one parameter, write some back.
 */
export function useRouteQuery() {
  const route = useRoute();
  const router = useRouter();

  /** A query parameter as text; '' when it is absent or repeated. */
  function queryString(key: string): string {
    const value = route.query[key];
    return typeof value === 'string' ? value : '';
  }

  function merged(changes: TQueryChanges): Record<string, string> {
    const query: Record<string, string> = {};
    for (const [key, value] of Object.entries({ ...route.query, ...changes })) {
      if (typeof value === 'string' && value !== '') query[key] = value;
    }
    return query;
  }

  /** Change the query in place (filters): the back button leaves the page rather than undoing a filter. */
  function replaceQuery(changes: TQueryChanges): void {
    void router.replace({ query: merged(changes) });
  }

  /** Change the query with a history entry (drilling down), so the back button climbs back up. */
  function pushQuery(changes: TQueryChanges): void {
    void router.push({ query: merged(changes) });
  }

  return { queryString, replaceQuery, pushQuery };
}
