#!/usr/bin/env bash
# Known answers for sql/crosscheck/yuyao.sql alone (no zhongfu involved): a hand-made export of
# accepted records (tests/fixtures/crosscheck, 8 of the 25 sources) and rows computed by hand
# from the spec: boundaries on R, exits on R, orphans, 10-digit rounding (carry, tie, tiny
# values), zero denominators, growth with a missing year, milestones reported after R, missing
# sources.  Run by tests/pg/run.
set -uo pipefail
root=${ZF_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
psql=${PSQL:-psql}
w=${ZF_TMP:-$(mktemp -d)}/crosscheck_sql
mkdir -p "$w"

"$psql" -X -q -v ON_ERROR_STOP=1 -v as_of=2026-06-30 -v acc="$root/tests/fixtures/crosscheck" \
    -f "$root/sql/crosscheck/yuyao.sql" || { echo "yuyao.sql failed"; exit 1; }
"$psql" -X -q -v ON_ERROR_STOP=1 -c "\copy (select plan,indicator,part,year,region,numerator,denominator,value,target,status from xc.results order by ord) to '$w/sql.csv' with (format csv, header true)" \
    || exit 1

fail=0
rows=$(($(wc -l <"$w/sql.csv") - 1))
[ "$rows" -eq 1120 ] || { echo "expected 1120 rows (2023-2026), got $rows"; fail=1; }
[ "$(head -1 "$w/sql.csv")" = "plan,indicator,part,year,region,numerator,denominator,value,target,status" ] \
    || { echo "wrong header: $(head -1 "$w/sql.csv")"; fail=1; }

while IFS= read -r want; do
    [ -z "$want" ] && continue
    if ! grep -qFx -- "$want" "$w/sql.csv"; then
        key=$(echo "$want" | cut -d, -f1-5)
        echo "expected: $want"
        echo "     got: $(grep -F -- "$key," "$w/sql.csv" | head -1)"
        fail=1
    fi
done <<'EOF'
yuyao,1,,2023,余姚市,,,实现,实现,达标
yuyao,1,,2024,余姚市,,,实现,实现,达标
yuyao,1,,2025,余姚市,,,,实现,无数据
yuyao,6,,2026,余姚市,,,,达成,无数据
yuyao,2,,2024,余姚市,,,20,17,达标
yuyao,2,,2025,余姚市,,,18,18,达标
yuyao,2,,2026,余姚市,,,18,>18,进行中
yuyao,3,,2024,余姚市,,,,100%,无数据
yuyao,7,探访关爱率,2024,四明山镇,2,2,1.000000000,100%,未达标
yuyao,7,幸福清单送达率,2024,四明山镇,1,2,0.5000000000,100%,未达标
yuyao,7,探访关爱率,2024,余姚市,2,2,1.000000000,100%,未达标
yuyao,7,探访关爱率,2025,四明山镇,0,1,0.000000000,100%,未达标
yuyao,7,幸福清单送达率,2025,四明山镇,1,1,1.000000000,100%,未达标
yuyao,7,探访关爱率,2024,凤山街道,0,0,,100%,无数据
yuyao,9,,2024,大岚镇,999999999.99,1000000000.00,1.000000000,83%,达标
yuyao,9,,2024,鹿亭乡,123456789.05,1000000000.00,0.1234567891,83%,未达标
yuyao,9,,2024,余姚市,1123456789.04,2000000000.00,0.5617283945,83%,未达标
yuyao,9,,2024,凤山街道,0.00,0.00,,83%,无数据
yuyao,10,,2025,鹿亭乡,10.00,0.00,,70%,无数据
yuyao,15,,2023,余姚市,1.00,15000000.00,0.00000006666666667,﹤0.9%,达标
yuyao,15,,2024,余姚市,0.01,16000000.00,0.0000000006250000000,﹤0.9%,达标
yuyao,15,,2025,余姚市,135000.00,15000000.00,0.009000000000,﹤0.9%,未达标
yuyao,15,,2026,余姚市,0.00,,,﹤0.9%,无数据
yuyao,17,,2023,余姚市,,,,12%,无数据
yuyao,17,,2024,余姚市,,,0.000000000,10%,未达标
yuyao,17,,2024,鹿亭乡,,,0.000000000,10%,未达标
yuyao,17,,2024,大岚镇,,,,10%,无数据
yuyao,17,,2025,大岚镇,,,-0.1666666667,10%,未达标
yuyao,17,,2025,余姚市,,,-0.1666666667,10%,未达标
yuyao,19,,2024,余姚市,,,,24,无数据
yuyao,20,,2024,余姚市,,,,60,无数据
yuyao,20,,2024,鹿亭乡,,,,,
yuyao,23,,2024,鹿亭乡,,,,100%,无数据
EOF
[ $fail -eq 0 ] && echo "crosscheck_sql: $rows rows, all known answers hold"
exit $fail
