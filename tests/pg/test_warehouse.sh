#!/usr/bin/env bash
# The PostgreSQL warehouse (issue 7) against the private server of tests/pg/run:
#   migrate         db migrate applies 001 once; a second migrate is a no-op; a changed applied
#                   migration is refused; run --store on an unmigrated database fails, publishes nothing
#   readback        a stored run read back equals results.csv (every row, byte for byte), rejects.csv,
#                   quality.csv, and every accepted record (typed tables rec_<source>)
#   twice           the same run stored twice is one copy (stores = 2, same row counts)
#   kill            SIGKILL during the COPY (self-inflicted, and from outside while it stalls) and an
#                   injected failure leave no row of that run; the failed run publishes nothing
#   history         `zhongfu history` across two stored runs names the input that changed; the
#                   trend view gives each year's value from the run with the latest as-of date
#   pgsource        a `kind: postgres` source gives the same results.csv and the same quality counts
#                   as the same records in CSV, its sha256 is that of psql's COPY … CSV HEADER, and an
#                   unreachable source is an error for that source only
#   pgaudit         the archive keeps a postgres source's rows; audit rerun replays them (MATCH)
#                   after the department's table changed
#   roles           sql/roles.sql: the loader stores a run, the analyst reads results but cannot
#                   write nor read records, the department role serves a source read-only
#
# Environment from tests/pg/run: PGHOST PGPORT PGUSER PGDATABASE ZF_BIN ZF_ROOT ZF_TMP PSQL.
set -uo pipefail

root=${ZF_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${ZF_BIN:-$root/build/zhongfu}
psql=${PSQL:-psql}
data=$root/samples/yuyao
as_of=2026-06-30
work=${ZF_TMP:-$(mktemp -d)}/warehouse
rm -rf "$work"; mkdir -p "$work"
db=zf_wh_$$
store="host=$PGHOST port=$PGPORT dbname=$db"

pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ $# -gt 1 ] && printf '%s\n' "$2" | head -40 | sed 's/^/     /'; }
check() { local name=$1; shift; local out; if out=$("$@" 2>&1); then ok "$name"; else bad "$name" "$out"; fi; }

q()  { "$psql" -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }
qa() { "$psql" -X -q -v ON_ERROR_STOP=1 -d "$db" -At "$@"; }

[ -d "$data" ] || { echo "warehouse: $data is missing (make samples)"; exit 1; }
[ -x "$bin" ] || { echo "warehouse: $bin is missing"; exit 1; }
"$psql" -X -q -d postgres -c "create database $db" || exit 1

zrun() { # out-dir [options]: a run of the samples, quiet, without charts/workbooks/archive
    local out=$1; shift
    "$bin" run --plan yuyao --as-of "$as_of" --out "$out" --templates "$root/templates" \
        --no-charts --no-workbook --no-archive --quiet "$@"
}

# every table's row count, one line: nothing of a failed run may change it
fingerprint() {
    qa -c "select string_agg(t || '=' || n, ' ' order by t) from (
             select c.relname as t,
                    (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from %I', c.relname),
                                                         false, true, '')))[1]::text as n
             from pg_class c join pg_namespace s on s.oid = c.relnamespace
             where s.nspname = 'public' and c.relkind = 'r') x"
}

# ---- migrate --------------------------------------------------------------------------------
t_unmigrated() {
    local out; out=$(zrun "$work/unmigrated" --data "$data" --store "$store" 2>&1); local rc=$?
    [ $rc -eq 1 ] || { echo "exit $rc, wanted 1: $out"; return 1; }
    grep -q "db migrate" <<<"$out" || { echo "no hint to migrate: $out"; return 1; }
    [ ! -e "$work/unmigrated" ] || { echo "published although the store failed"; return 1; }
    [ ! -e "$work/unmigrated.accepted" ] || { echo "the accepted records were left behind"; return 1; }
}
t_migrate() {
    local out
    out=$("$bin" db migrate --store "$store" --sql "$root/sql/migrations") || return 1
    grep -q "applied 001_init.sql" <<<"$out" || { echo "first migrate: $out"; return 1; }
    local before; before=$(qa -c "select string_agg(table_name || '.' || column_name || ':' || data_type, ',' order by 1)
                                   from information_schema.columns where table_schema = 'public'")
    out=$("$bin" db migrate --store "$store" --sql "$root/sql/migrations") || return 1
    grep -q "up to date" <<<"$out" || { echo "second migrate: $out"; return 1; }
    local after; after=$(qa -c "select string_agg(table_name || '.' || column_name || ':' || data_type, ',' order by 1)
                                  from information_schema.columns where table_schema = 'public'")
    [ "$before" = "$after" ] || { echo "the second migrate changed the schema"; return 1; }
    local n_mig; n_mig=$(ls "$root"/sql/migrations/*.sql | wc -l)
    [ "$(qa -c 'select count(*) from schema_version')" = "$n_mig" ] || { echo "schema_version rows"; return 1; }
    "$bin" db status --store "$store" --sql "$root/sql/migrations" >/dev/null || { echo "db status not 0"; return 1; }
    # an applied migration that was edited is refused
    mkdir -p "$work/sql" && cp "$root"/sql/migrations/*.sql "$work/sql/" && echo "-- edited" >>"$work/sql/001_init.sql"
    out=$("$bin" db migrate --store "$store" --sql "$work/sql" 2>&1) && { echo "edited migration accepted"; return 1; }
    grep -q "different content" <<<"$out" || { echo "edited migration: $out"; return 1; }
    # the record tables of a plan, typed from the definitions
    "$bin" db migrate --store "$store" --sql "$root/sql/migrations" --plan yuyao --templates "$root/templates" \
        >/dev/null || return 1
    local types; types=$(qa -c "select string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', '
                                 order by a.attnum) from pg_attribute a
                                 where a.attrelid = 'rec_relief_households'::regclass and a.attnum > 0")
    [ "$types" = "run_id text, rec_no bigint, 户编号 text, 户主身份证号 text, 乡镇街道 text, 救助类别 text, 家庭人口 bigint, 纳入日期 date, 退出日期 date" ] \
        || { echo "rec_relief_households: $types"; return 1; }
    types=$(qa -c "select format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'rec_medical_settlements'::regclass
                   and attname = '医疗总费用'")
    [ "$types" = "numeric(18,2)" ] || { echo "amount column is $types"; return 1; }
}

# ---- a run stored and read back ------------------------------------------------------------
run_id_of() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["run_id"])' "$1/manifest.json"; }
t_readback() {
    zrun "$work/a" --data "$data" --store "$store" --export-accepted "$work/acc"; local rc=$?
    [ $rc -eq 0 ] || [ $rc -eq 3 ] || { echo "run exit $rc"; return 1; }
    local run1; run1=$(run_id_of "$work/a")
    [ -n "$run1" ] || { echo "no run id in manifest.json"; return 1; }
    [ "$(qa -c "select count(*) from runs where run_id = '$run1'")" = 1 ] || { echo "run $run1 not stored"; return 1; }
    # results: every row, byte for byte
    q -c "\copy (select plan, indicator, nullif(part, ''), year, region, numerator, denominator, nullif(value, ''),
                 nullif(target, ''), nullif(status, '') from results where run_id = '$run1' order by seq)
                 to '$work/back_results.csv' with (format csv, header true)" || return 1
    diff <(tail -n +2 "$work/a/results.csv") <(tail -n +2 "$work/back_results.csv") >"$work/d1" \
        || { echo "results differ:"; head "$work/d1"; return 1; }
    [ "$(wc -l <"$work/a/results.csv")" -gt 100 ] || { echo "results.csv is short"; return 1; }
    # rejects
    q -c "\copy (select source, file, line, column_name, nullif(value, ''), reason from rejects
                 where run_id = '$run1' order by seq) to '$work/back_rejects.csv' with (format csv)" || return 1
    diff <(tail -n +2 "$work/a/rejects.csv") "$work/back_rejects.csv" >"$work/d2" \
        || { echo "rejects differ:"; head "$work/d2"; return 1; }
    # inputs = quality.csv
    q -c "\copy (select source, nullif(file, ''), nullif(sha256, ''), rows_read, rows_accepted, rows_rejected, status
                 from run_inputs where run_id = '$run1') to '$work/back_quality.csv' with (format csv)" || return 1
    diff <(tail -n +2 "$work/a/quality.csv" | sort) <(sort "$work/back_quality.csv") >"$work/d3" \
        || { echo "inputs differ from quality.csv:"; head "$work/d3"; return 1; }
    # every accepted record of every source, typed, equals the typed export
    local f s cols n=0
    for f in "$work"/acc/*.csv; do
        s=$(basename "$f" .csv)
        cols=$(qa -c "select string_agg(case when data_type = 'boolean' then quote_ident(column_name) || '::text as '
                                             || quote_ident(column_name) else quote_ident(column_name) end, ', '
                                        order by ordinal_position)
                      from information_schema.columns where table_name = 'rec_$s' and column_name not in ('run_id', 'rec_no')")
        q -c "\copy (select $cols from rec_$s where run_id = '$run1' order by rec_no) to '$work/back_$s.csv'
                     with (format csv, header true)" || return 1
        cmp -s "$f" "$work/back_$s.csv" || { echo "records of $s differ:"; diff "$f" "$work/back_$s.csv" | head -6; return 1; }
        n=$((n + 1))
    done
    [ $n -ge 20 ] || { echo "only $n sources exported"; return 1; }
    # the typed columns compute: Σ of an amount column in SQL = Σ over the export
    local a b
    a=$(qa -c "select sum(\"医疗总费用\") from rec_medical_settlements where run_id = '$run1'")
    b=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "医疗总费用") c = i; next } { s += $c } END { printf "%.2f", s }' \
            "$work/acc/medical_settlements.csv")
    [ "$a" = "$b" ] || { echo "sum of 医疗总费用: sql $a, export $b"; return 1; }
    [ ! -e "$work/a.accepted" ] || { echo "the store's temporary records stayed"; return 1; }
}

t_twice() {
    local before; before=$(fingerprint)
    zrun "$work/a" --data "$data" --store "$store"; local rc=$?
    [ $rc -eq 0 ] || [ $rc -eq 3 ] || { echo "run exit $rc"; return 1; }
    local after; after=$(fingerprint)
    [ "$before" = "$after" ] || { echo "row counts changed: $before -> $after"; return 1; }
    local run1; run1=$(run_id_of "$work/a")
    [ "$(qa -c "select stores from runs where run_id = '$run1'")" = 2 ] || { echo "stores is not 2:"; qa -c "select run_id, stores, as_of from runs"; echo "run1=$run1"; return 1; }
    [ "$(qa -c "select count(*) from runs")" = 1 ] || { echo "more than one run"; return 1; }
}

# ---- kills and failures ----------------------------------------------------------------------
t_kill_self() {
    local before; before=$(fingerprint)
    ZF_WAREHOUSE_FAULT=kill zrun "$work/k" --data "$data" --as-of 2026-05-31 --store "$store" >/dev/null 2>&1
    local rc=$?
    [ $rc -eq 137 ] || { echo "exit $rc, wanted 137 (SIGKILL)"; return 1; }
    [ ! -e "$work/k" ] || { echo "published"; return 1; }
    [ "$(fingerprint)" = "$before" ] || { echo "rows were left: $(fingerprint)"; return 1; }
    [ "$(qa -c "select count(*) from runs where as_of = '2026-05-31'")" = 0 ] || { echo "a run row was left"; return 1; }
}
t_kill_outside() {
    local before; before=$(fingerprint)
    # exec: $! is zhongfu itself, not a subshell around it
    (export ZF_WAREHOUSE_FAULT=stall:60; exec "$bin" run --plan yuyao --as-of 2026-05-31 --out "$work/k" \
        --templates "$root/templates" --no-charts --no-workbook --no-archive --quiet --data "$data" \
        --store "$store" >/dev/null 2>&1) &
    local pid=$! i seen=0
    for i in $(seq 1 200); do   # until its COPY of records is under way
        if [ "$(qa -c "select count(*) from pg_stat_activity where application_name = 'zhongfu'
                        and datname = '$db' and query like 'COPY %rec_%'")" != 0 ]; then seen=1; break; fi
        sleep 0.1
    done
    [ $seen = 1 ] || { kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null; echo "never saw the COPY"; return 1; }
    # mid-load: other sessions see nothing of it
    [ "$(qa -c "select count(*) from runs where as_of = '2026-05-31'")" = 0 ] || { echo "uncommitted run visible"; return 1; }
    kill -9 $pid; wait $pid 2>/dev/null
    for i in $(seq 1 100); do   # the server notices the dead client and rolls back
        [ "$(qa -c "select count(*) from pg_stat_activity where application_name = 'zhongfu' and datname = '$db'")" = 0 ] && break
        sleep 0.1
    done
    [ "$(fingerprint)" = "$before" ] || { echo "rows were left: $(fingerprint)"; return 1; }
    # the lock went with it: the same run stores now
    zrun "$work/k" --data "$data" --as-of 2026-05-31 --store "$store"; local rc=$?
    [ $rc -eq 0 ] || [ $rc -eq 3 ] || { echo "the run after the kill: exit $rc"; return 1; }
    [ "$(qa -c "select count(*) from runs where as_of = '2026-05-31'")" = 1 ] || { echo "the run after the kill is not stored"; return 1; }
    [ "$(qa -c "select stores from runs where as_of = '2026-05-31'")" = 1 ] || { echo "stores is not 1"; return 1; }
}
t_fail() {
    local before; before=$(fingerprint)
    local old; old=$(sha256sum "$work/a/manifest.json")
    local out; out=$(ZF_WAREHOUSE_FAULT=fail zrun "$work/a" --data "$data" --as-of 2026-04-30 --store "$store" 2>&1)
    local rc=$?
    [ $rc -eq 1 ] || { echo "exit $rc, wanted 1: $out"; return 1; }
    grep -q "nothing was published" <<<"$out" || { echo "message: $out"; return 1; }
    [ "$(sha256sum "$work/a/manifest.json")" = "$old" ] || { echo "the previous outputs were replaced"; return 1; }
    [ "$(fingerprint)" = "$before" ] || { echo "rows were left: $(fingerprint)"; return 1; }
    [ ! -e "$work/a.accepted" ] || { echo "the temporary records stayed"; return 1; }
}

# ---- history -----------------------------------------------------------------------------------
t_history() {
    local d2=$work/data2
    rm -rf "$d2"; cp -r "$data" "$d2"
    sed -i '$d' "$d2/care_visits.csv"     # one visit less
    zrun "$work/b" --data "$d2" --as-of 2026-09-30 --store "$store"; local rc=$?
    [ $rc -eq 0 ] || [ $rc -eq 3 ] || { echo "second run exit $rc"; return 1; }
    local out; out=$("$bin" history --store "$store" --plan yuyao --indicator 7 --part 探访关爱率 --year 2026 --csv) \
        || { echo "history failed"; return 1; }
    # runs in order of as-of: 2026-05-31 (kill test), 2026-06-30, 2026-09-30
    [ "$(wc -l <<<"$out")" = 4 ] || { echo "history rows:"; echo "$out"; return 1; }
    local last; last=$(tail -1 <<<"$out")
    grep -q '^[0-9a-f]*,2026-09-30,2026,余姚市,探访关爱率,' <<<"$last" || { echo "last row: $last"; return 1; }
    grep -q '~care_visits.csv' <<<"$last" || { echo "the changed input is not named: $last"; return 1; }
    grep -q 'medical' <<<"$last" && { echo "an unchanged input is named: $last"; return 1; }
    grep -q '(first stored run)' <<<"$(sed -n 2p <<<"$out")" || { echo "first row: $(sed -n 2p <<<"$out")"; return 1; }
    # the values are those of the runs' results.csv
    local want; want=$(awk -F, '$2 == 7 && $3 == "探访关爱率" && $4 == 2026 && $5 == "余姚市" { print $8 }' "$work/b/results.csv")
    [ "$(cut -d, -f6 <<<"$last")" = "$want" ] || { echo "value $(cut -d, -f6 <<<"$last"), results.csv $want"; return 1; }
    "$bin" history --store "$store" --plan yuyao --indicator 7 >/dev/null || { echo "table output failed"; return 1; }
    "$bin" history --store "$store" --plan yuyao --indicator 99 >/dev/null 2>&1 && { echo "indicator 99 found"; return 1; }
    # the trend view: each year's value from the run with the latest as-of date
    local trend; trend=$(qa -c "select value || '|' || as_of from trend where plan = 'yuyao' and indicator = 7
                                 and part = '探访关爱率' and year = 2026 and region = '余姚市'")
    [ "$trend" = "$want|2026-09-30" ] || { echo "trend: $trend, wanted $want|2026-09-30"; return 1; }
    [ "$(qa -c "select count(*) from trend where plan = 'yuyao'")" = "$(($(wc -l <"$work/b/results.csv") - 1))" ] \
        || { echo "trend rows"; return 1; }
    [ "$(qa -c "select runs from trend_runs where plan = 'yuyao' and year = 2026")" -ge 2 ] || { echo "trend_runs"; return 1; }
    return 0
}

# ---- a postgres source --------------------------------------------------------------------------
# care_visits and relief_households loaded into tables of the test server, read by a query
load_source() { # source
    local s=$1 f=$data/$1.csv hdr cols names
    hdr=$(head -1 "$f" | sed 's/^\xEF\xBB\xBF//; s/\r$//')
    cols=$(awk -F, '{ for (i = 1; i <= NF; i++) printf "%s\"%s\" text", (i > 1 ? ", " : ""), $i }' <<<"$hdr")
    names=$(awk -F, '{ for (i = 1; i <= NF; i++) printf "%s\"%s\"", (i > 1 ? ", " : ""), $i }' <<<"$hdr")
    q -c "create table dept_$s (ord bigserial primary key, $cols)" \
      -c "\copy dept_$s ($names) from '$f' with (format csv, header true)"
}
pg_templates() { # dir conninfo: a copy of templates/ where two sources are queries
    rm -rf "$1"; cp -r "$root/templates" "$1"
    python3 - "$1/sources/yuyao.json" "$2" <<'EOF'
import json, sys
path, conninfo = sys.argv[1], sys.argv[2]
d = json.load(open(path, encoding="utf-8"))
for s in d["sources"]:
    if s["id"] in ("care_visits", "relief_households"):
        s["kind"] = "postgres"
        s["conninfo"] = conninfo
        s["query"] = "SELECT * FROM dept_%s ORDER BY ord" % s["id"]
json.dump(d, open(path, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
EOF
}
t_pgsource() {
    load_source care_visits || return 1
    load_source relief_households || return 1
    pg_templates "$work/tpl" "$store" || return 1
    "$bin" run --plan yuyao --data "$data" --out "$work/viacsv" --as-of $as_of --templates "$root/templates" \
        --no-charts --no-workbook --no-archive --quiet
    "$bin" run --plan yuyao --data "$data" --out "$work/viapg" --as-of $as_of --templates "$work/tpl" \
        --no-charts --no-workbook --no-archive --quiet --store "$store"; local rc=$?
    [ $rc -eq 0 ] || [ $rc -eq 3 ] || { echo "run with postgres sources: exit $rc"; return 1; }
    cmp "$work/viacsv/results.csv" "$work/viapg/results.csv" || { diff "$work/viacsv/results.csv" "$work/viapg/results.csv" | head; return 1; }
    # the same accounting: every source's rows read / accepted / rejected and status
    diff <(cut -d, -f1,4- "$work/viacsv/quality.csv") <(cut -d, -f1,4- "$work/viapg/quality.csv") \
        || { echo "quality counts differ"; return 1; }
    grep -q '^care_visits,postgres:care_visits,[0-9a-f]\{64\},20947,' "$work/viapg/quality.csv" \
        || { grep care_visits "$work/viapg/quality.csv"; return 1; }
    # the sha256 is that of the rows' canonical text, as psql's COPY prints it
    local want; want=$(q -c "\copy (SELECT * FROM dept_care_visits ORDER BY ord) to stdout with (format csv, header true)" | sha256sum | cut -c1-64)
    grep -q "^care_visits,postgres:care_visits,$want," "$work/viapg/quality.csv" || { echo "sha256 is not $want"; return 1; }
    # the same rejects, with the row number as line (= the CSV line - 1 here: no quoted line breaks)
    diff <(awk -F, -v OFS=, 'NR > 1 && ($1 == "care_visits" || $1 == "relief_households") { $2 = ""; $3 = $3 - 1; print }' "$work/viacsv/rejects.csv") \
         <(awk -F, -v OFS=, 'NR > 1 && ($1 == "care_visits" || $1 == "relief_households") { $2 = ""; print }' "$work/viapg/rejects.csv") \
        || { echo "rejects differ"; return 1; }
    # stored with its inputs
    [ "$(qa -c "select rows_accepted from run_inputs where file = 'postgres:care_visits'")" = 20904 ] \
        || { echo "run_inputs of the postgres source"; return 1; }
    # an unreachable source fails that source only
    pg_templates "$work/tpl-down" "host=$PGHOST port=1 dbname=nosuch connect_timeout=3" || return 1
    "$bin" run --plan yuyao --data "$data" --out "$work/down" --as-of $as_of --templates "$work/tpl-down" \
        --no-charts --no-workbook --no-archive --quiet; rc=$?
    [ $rc -eq 3 ] || { echo "unreachable source: exit $rc, wanted 3"; return 1; }
    grep -q '^care_visits,postgres:care_visits,,0,0,0,error' "$work/down/quality.csv" \
        || { grep care_visits "$work/down/quality.csv"; return 1; }
    # a query that writes is refused (the session is read-only)
    rm -rf "$work/tpl-w"; cp -r "$work/tpl" "$work/tpl-w"
    sed -i 's/SELECT \* FROM dept_care_visits ORDER BY ord/WITH d AS (DELETE FROM dept_care_visits RETURNING *) SELECT * FROM d/' \
        "$work/tpl-w/sources/yuyao.json"
    "$bin" run --plan yuyao --data "$data" --out "$work/w" --as-of $as_of --templates "$work/tpl-w" \
        --no-charts --no-workbook --no-archive --quiet >/dev/null 2>&1
    [ "$(qa -c 'select count(*) from dept_care_visits')" = 20947 ] || { echo "the query deleted rows"; return 1; }
    grep -q '^care_visits,postgres:care_visits,.*,error' "$work/w/quality.csv" || { echo "the writing query was not an error"; return 1; }
}

# the archive keeps a postgres source's rows: audit rerun replays them after the server changed
t_pgaudit() {
    pg_templates "$work/tpl-a" "$store" || return 1
    "$bin" run --plan yuyao --data "$data" --out "$work/arun" --as-of $as_of --templates "$work/tpl-a" \
        --no-charts --no-workbook --archive "$work/archive" --quiet; local rc=$?
    [ $rc -eq 0 ] || [ $rc -eq 3 ] || { echo "archived run: exit $rc"; return 1; }
    local want; want=$(grep '^care_visits,postgres:care_visits,' "$work/arun/quality.csv" | cut -d, -f3)
    [ -f "$work/archive/objects/${want:0:2}/$want" ] || { echo "the rows of postgres:care_visits are not archived"; return 1; }
    [ -z "$(ls -A "$work/archive/spool")" ] || { echo "spool files left: $(ls "$work/archive/spool")"; return 1; }
    # the department's table changes afterwards; the audit must not see it
    q -c "create table dept_care_visits_kept as select * from dept_care_visits where ord % 3 = 0" \
      -c "delete from dept_care_visits where ord % 3 = 0" || return 1
    local out; out=$("$bin" audit rerun --manifest "$work/arun/manifest.json" --archive "$work/archive" \
        --keep "$work/arerun" 2>&1); rc=$?
    [ $rc -eq 0 ] || { echo "audit rerun: exit $rc"; echo "$out"; return 1; }
    grep -q '^MATCH' <<<"$out" || { echo "$out"; return 1; }
    cmp "$work/arun/rejects.csv" "$work/arerun/out/rejects.csv" || return 1
    # while a fresh run sees the changed table
    "$bin" run --plan yuyao --data "$data" --out "$work/arun2" --as-of $as_of --templates "$work/tpl-a" \
        --no-charts --no-workbook --no-archive --quiet
    ! cmp -s "$work/arun/results.csv" "$work/arun2/results.csv" || { echo "the table change did not show"; return 1; }
    q -c "insert into dept_care_visits select * from dept_care_visits_kept" -c "drop table dept_care_visits_kept"
}

# ---- roles --------------------------------------------------------------------------------------
t_roles() {
    q -f "$root/sql/roles.sql" >/dev/null || return 1
    q -f "$root/sql/roles.sql" >/dev/null || { echo "roles.sql is not re-runnable"; return 1; }
    # the loader stores a run (records tables exist: it needs no DDL)
    zrun "$work/loader" --data "$data" --as-of 2026-03-31 --store "$store user=zf_loader"; local rc=$?
    [ $rc -eq 0 ] || [ $rc -eq 3 ] || { echo "loader: exit $rc"; return 1; }
    [ "$(qa -c "select stored_by from runs where as_of = '2026-03-31'")" = zf_loader ] || { echo "not stored by zf_loader"; return 1; }
    # the analyst reads results, cannot write, cannot read personal records
    local as_analyst=("$psql" -X -q -At -d "$db" -U zf_analyst)
    [ "$("${as_analyst[@]}" -c 'select count(*) > 0 from results')" = t ] || { echo "analyst cannot read results"; return 1; }
    "${as_analyst[@]}" -c "delete from results" >/dev/null 2>&1 && { echo "analyst could delete"; return 1; }
    "${as_analyst[@]}" -c "select count(*) from rec_relief_households" >/dev/null 2>&1 && { echo "analyst read records"; return 1; }
    # the department role serves a source
    q -c "grant select on dept_care_visits, dept_relief_households to zf_dept_ro" || return 1
    pg_templates "$work/tpl-ro" "$store user=zf_dept_ro" || return 1
    "$bin" run --plan yuyao --data "$data" --out "$work/ro" --as-of $as_of --templates "$work/tpl-ro" \
        --no-charts --no-workbook --no-archive --quiet; rc=$?
    [ $rc -eq 0 ] || [ $rc -eq 3 ] || { echo "dept role: exit $rc"; return 1; }
    cmp -s "$work/viacsv/results.csv" "$work/ro/results.csv" || { echo "results via zf_dept_ro differ"; return 1; }
}

# ---- the unit test's server-side half (tests/unit/test_warehouse.c skips it without a server) ---
t_unit() {
    local u; u=$(dirname "$bin")/tests/test_warehouse
    [ -x "$u" ] || { echo "note: $u is not built (make $u); not run"; return 0; }
    local out; out=$("$u" 2>&1) || { echo "$out"; return 1; }
    grep -q SKIPPED <<<"$out" && { echo "$out"; return 1; }
    return 0
}

check "postgres reader: cells, NULLs, headers, canonical sha256, one statement, errors" t_unit
check "run --store on an unmigrated warehouse fails, publishes nothing" t_unmigrated
check "db migrate: applied once, then a no-op; edited migration refused; typed record tables" t_migrate
check "a stored run reads back as results.csv, rejects.csv, quality.csv and the records" t_readback
check "the same run stored twice is one copy" t_twice
check "SIGKILL during the COPY (self) leaves no row" t_kill_self
check "SIGKILL from outside while the COPY stalls leaves no row; the next store works" t_kill_outside
check "an injected failure fails the run: nothing stored, nothing published" t_fail
check "history names the changed inputs" t_history
check "a postgres source gives the same results and accounting as its CSV" t_pgsource
check "audit rerun replays a postgres source from the archive after the table changed" t_pgaudit
check "roles: loader writes, analyst reads results only, department role serves a source" t_roles

"$psql" -X -q -d postgres -c "drop database $db" >/dev/null 2>&1
echo "warehouse: $pass passed, $fail failed"
[ $fail -eq 0 ]
