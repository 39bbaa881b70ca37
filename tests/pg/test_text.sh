#!/usr/bin/env bash
# Hostile text stored in the warehouse (issue 23): a copy of the samples whose shelters file
# has a GBK name (shelters.2026 + C4 EA + .csv, finding 5) and a 301-byte 乡镇街道 of 'a' and
# 100 × 凤 (finding 4).  `run --store` must store the run — it failed on the half 凤 of the
# 255-byte cut — with the value cut between characters and the name shown as \xC4\xEA,
# as in rejects.csv and quality.csv.
#
# Run by tests/pg/run (PGHOST/PGUSER/PGDATABASE, ZF_BIN, ZF_ROOT, ZF_TMP set).
set -uo pipefail

root=${ZF_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${ZF_BIN:-$root/build/zhongfu}
psql=${PSQL:-psql}
work=${ZF_TMP:-$(mktemp -d)}/text
rm -rf "$work"; mkdir -p "$work"
db=zf_text_$$
store="host=$PGHOST port=$PGPORT dbname=$db"
qa() { "$psql" -X -q -v ON_ERROR_STOP=1 -d "$db" -At "$@"; }

"$psql" -X -q -d postgres -c "create database $db" || exit 1
trap '"$psql" -X -q -d postgres -c "drop database $db" >/dev/null 2>&1' EXIT
"$bin" db migrate --store "$store" --sql "$root/sql/migrations" --plan yuyao --templates "$root/templates" \
    >/dev/null || { echo "text: db migrate failed"; exit 1; }

cp -r "$root/samples/yuyao" "$work/data"
python3 - "$work/data" <<'PY' || exit 1
import os, sys
d = sys.argv[1]
lines = open(d + "/shelters.csv", encoding="utf-8").read().split("\n")
f = lines[1].split(","); f[1] = "a" + "凤" * 100; lines[1] = ",".join(f)
open(d + "/shelters.csv", "w", encoding="utf-8").write("\n".join(lines))
os.rename(d + "/shelters.csv", d.encode() + b"/shelters.2026\xc4\xea.csv")
PY

"$bin" run --plan yuyao --data "$work/data" --out "$work/out" --as-of 2026-06-30 --templates "$root/templates" \
    --no-charts --no-workbook --no-archive --quiet --store "$store" >"$work/run.log" 2>&1
rc=$?
# a rejected cell is no missing input, and 2026's annual figures are not due yet: 0 (issue 16)
[ $rc -eq 0 ] || { echo "text: run --store exit $rc, wanted 0:"; cat "$work/run.log"; exit 1; }

shown='shelters.2026\xC4\xEA.csv'
want="a$(python3 -c 'print("凤" * 84, end="")')"
got=$(qa -c "select value from rejects where source = 'shelters' and line = 2")
[ "$got" = "$want" ] || { echo "text: stored value is '$got', wanted '$want'"; exit 1; }
got=$(qa -c "select count(*) from rejects where source = 'shelters' and file = '$shown'")
[ "$got" -ge 3 ] || { echo "text: $got rejects stored under $shown"; exit 1; }
got=$(qa -c "select count(*) from run_inputs where file = '$shown' and rows_read > 0")
[ "$got" = 1 ] || { echo "text: run_inputs does not name $shown"; exit 1; }
echo "text: stored"
