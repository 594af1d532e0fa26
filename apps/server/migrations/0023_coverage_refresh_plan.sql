-- migrate:up
-- The coverage recount works on a handful of villages at a time; with a generic plan the planner chose
-- hash joins over the whole households and group_members tables, so bulk imports slowed as the city
-- grew (8k → 3k rows/s by 330k rows). Index lookups per village are always right here.
ALTER FUNCTION refresh_village_coverage(text[]) SET enable_hashjoin = off;
ALTER FUNCTION refresh_village_coverage(text[]) SET enable_mergejoin = off;
ALTER FUNCTION refresh_village_coverage(text[]) SET enable_seqscan = off;

-- migrate:down
ALTER FUNCTION refresh_village_coverage(text[]) RESET ALL;
