#!/usr/bin/env bash
# Cross-check: zhongfu's results.csv against the independent SQL computation
# (sql/crosscheck/yuyao.sql) over the records zhongfu accepted, row by row, every column.
#
# Run by tests/pg/run (PGHOST/PGUSER/PGDATABASE, ZF_BIN, ZF_ROOT, ZF_TMP set).
#   ZF_XC_DATA   data directory     (default: samples/yuyao)
#   ZF_XC_AS_OF  as-of date(s)      (default: "2026-06-30 2025-12-31": the samples' date, and
#                                    the same records seen at the end of a closed year)
set -uo pipefail

root=${ZF_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${ZF_BIN:-$root/build/zhongfu}
psql=${PSQL:-psql}
data=${ZF_XC_DATA:-$root/samples/yuyao}
as_ofs=${ZF_XC_AS_OF:-2026-06-30 2025-12-31}
work=${ZF_TMP:-$(mktemp -d)}/crosscheck
sql=$root/sql/crosscheck/yuyao.sql

q() { "$psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

[ -d "$data" ] || { echo "crosscheck: data directory $data is missing"; exit 1; }
[ -x "$bin" ] || { echo "crosscheck: $bin is missing"; exit 1; }

failed=0
for as_of in $as_ofs; do
    w=$work/$as_of
    rm -rf "$w"; mkdir -p "$w"
    echo "== crosscheck of $data at as-of $as_of"

    # 1. zhongfu: results.csv and the accepted records.
    "$bin" run --plan yuyao --data "$data" --out "$w/out" --as-of "$as_of" --templates "$root/templates" \
        --no-charts --no-workbook --quiet --export-accepted "$w/acc" >"$w/run.log" 2>&1
    rc=$?
    if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
        echo "crosscheck: zhongfu run failed with exit status $rc:"; cat "$w/run.log"
        failed=1; continue
    fi
    if [ ! -f "$w/out/results.csv" ] || [ ! -d "$w/acc" ]; then
        echo "crosscheck: zhongfu wrote no results.csv or no --export-accepted directory"
        failed=1; continue
    fi

    # 2. The SQL computation over the accepted records, exported as CSV.
    if ! q -v as_of="$as_of" -v acc="$w/acc" -f "$sql" >"$w/sql.log" 2>&1; then
        echo "crosscheck: $sql failed:"; cat "$w/sql.log"
        failed=1; continue
    fi
    q -c "\copy (select plan,indicator,part,year,region,numerator,denominator,value,target,status from xc.results order by ord) to '$w/sql_results.csv' with (format csv, header true)" \
        || { echo "crosscheck: exporting the SQL result failed"; failed=1; continue; }

    # The export holds exactly the accepted records that quality.csv counts.
    bad=$(cd "$w/out" && q -At <<'SQL'
create temp table quality (source text, file text, sha256 text, rows_read bigint,
    rows_accepted bigint, rows_rejected bigint, status text);
\copy quality from 'quality.csv' with (format csv, header true)
create temp table exported (source text, n bigint);
do $$ declare s text; n bigint; begin
    for s in select distinct source from quality loop
        if to_regclass('xc.' || quote_ident(s)) is not null then
            execute format('select count(*) from xc.%I', s) into n;
            insert into exported values (s, n);
        end if;
    end loop; end $$;
select format('%s: quality.csv accepts %s records, the export has %s', q.source, q.acc,
              coalesce(e.n::text, 'no table'))
from (select source, sum(rows_accepted) as acc from quality group by source) q
left join exported e using (source)
where e.n is distinct from q.acc and not (q.acc = 0 and e.n is null);
SQL
    )
    if [ -n "$bad" ]; then
        echo "crosscheck: as-of $as_of: the accepted-records export disagrees with quality.csv:"
        echo "$bad" | sed 's/^/  /'
        failed=1
    fi

    # 3. Compare.  Identical files: done (same rows, same values, same order).
    rows=$(($(wc -l <"$w/sql_results.csv") - 1))
    if cmp -s "$w/out/results.csv" "$w/sql_results.csv"; then
        echo "crosscheck: as-of $as_of: $rows rows compared, 0 mismatches"
        continue
    fi

    # Otherwise: row by row on the key (indicator, part, year, region), every column exact;
    # a value that differs only within 1e-9 relative is still listed (as a formatting mismatch).
    # (\copy takes literal file names: copy the two files into place under fixed names)
    cp "$w/out/results.csv" "$w/cmp_zf.csv"; cp "$w/sql_results.csv" "$w/cmp_sql.csv"
    (cd "$w" && q -v as_of="$as_of" >"$w/compare.txt" 2>&1 <<'SQL'
\pset footer off
\pset null ''
set client_min_messages = warning;
drop table if exists cmp_zf, cmp_sql;
create table cmp_zf (plan text, indicator text, part text, year text, region text, numerator text,
    denominator text, value text, target text, status text);
create table cmp_sql (like cmp_zf);
\copy cmp_zf from 'cmp_zf.csv' with (format csv, header true)
\copy cmp_sql from 'cmp_sql.csv' with (format csv, header true)
create function pg_temp.num(t text) returns numeric language sql immutable as $$
    select case when t ~ '^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$' then t::numeric end $$;
\echo 'Differing rows (zhongfu = results.csv, sql = sql/crosscheck/yuyao.sql):'
select coalesce(z.indicator, s.indicator) as ind, coalesce(z.part, s.part) as part,
       coalesce(z.year, s.year) as year, coalesce(z.region, s.region) as region,
       case when z.indicator is null then '(missing)' else concat_ws(' | ', 'n=' || coalesce(z.numerator,''),
            'd=' || coalesce(z.denominator,''), 'v=' || coalesce(z.value,''), 't=' || coalesce(z.target,''),
            's=' || coalesce(z.status,'')) end as zhongfu,
       case when s.indicator is null then '(missing)' else concat_ws(' | ', 'n=' || coalesce(s.numerator,''),
            'd=' || coalesce(s.denominator,''), 'v=' || coalesce(s.value,''), 't=' || coalesce(s.target,''),
            's=' || coalesce(s.status,'')) end as sql,
       case when z.value is distinct from s.value
             and abs(pg_temp.num(z.value) - pg_temp.num(s.value))
                 <= 1e-9 * greatest(abs(pg_temp.num(z.value)), abs(pg_temp.num(s.value)))
            then 'value equal within 1e-9' else '' end as note
from cmp_zf z full join cmp_sql s
  on z.plan = s.plan and z.indicator = s.indicator and z.part is not distinct from s.part
 and z.year = s.year and z.region = s.region
where z is distinct from s
order by coalesce(z.indicator, s.indicator)::int, 2, 3, 4;
select count(*) filter (where z is distinct from s) as mismatches,
       count(*) filter (where z.indicator is null) as only_in_sql,
       count(*) filter (where s.indicator is null) as only_in_zhongfu,
       count(*) as rows_compared
from cmp_zf z full join cmp_sql s
  on z.plan = s.plan and z.indicator = s.indicator and z.part is not distinct from s.part
 and z.year = s.year and z.region = s.region
\gset
\echo crosscheck: as-of :as_of: :rows_compared rows compared, :mismatches mismatches, :only_in_zhongfu only in results.csv, :only_in_sql only in the SQL result
SQL
    ) || { echo "crosscheck: the comparison query failed:"; cat "$w/compare.txt"; failed=1; continue; }
    cat "$w/compare.txt"
    if sort "$w/out/results.csv" | cmp -s - <(sort "$w/sql_results.csv"); then
        echo "crosscheck: as-of $as_of: same rows, but results.csv is not in the order of outputs.md"
        echo "  (indicator, part, year, then region: top region first, towns in reference order)"
        diff <(cut -d, -f2-5 "$w/out/results.csv") <(cut -d, -f2-5 "$w/sql_results.csv") | head -20
    fi
    failed=1
done
exit $failed
