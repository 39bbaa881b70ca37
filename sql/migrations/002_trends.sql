-- 002: reports drawn from the warehouse — the trend of every indicator across all stored years.
--
-- trend: for each (plan, indicator, part, year, region) the row of the stored run with the
-- latest as-of date (a closed year is normally last computed by the first run after its end;
-- an audit re-run of the same as-of date changes nothing).  Ties on as-of: the run stored last.
-- trend_runs: how many stored runs computed each plan year, and the as-of dates they span,
-- so an analyst sees how often a value was revised.

CREATE VIEW trend AS
SELECT DISTINCT ON (r.plan, r.indicator, r.part, r.year, r.region)
       r.plan, r.indicator, r.part, r.year, r.region,
       r.numerator, r.denominator, r.value, r.value_numeric, r.target, r.status,
       r.run_id, ru.as_of
FROM results r
JOIN runs ru USING (run_id)
ORDER BY r.plan, r.indicator, r.part, r.year, r.region, ru.as_of DESC, ru.stored_at DESC, r.run_id;

CREATE VIEW trend_runs AS
SELECT r.plan, r.year, count(DISTINCT r.run_id) AS runs,
       min(ru.as_of) AS first_as_of, max(ru.as_of) AS last_as_of
FROM results r
JOIN runs ru USING (run_id)
GROUP BY r.plan, r.year;
