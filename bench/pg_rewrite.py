#!/usr/bin/env python3
"""pg_rewrite.py — sql/crosscheck/yuyao.sql as a PostgreSQL user would run it at scale.

    pg_rewrite.py IN.sql OUT.sql

The cross-check computes indicator 7 with a correlated EXISTS per household, year and part:
right for the sample data, but a nested loop over care_visits for every household at scale
10 (it ran for more than 12 minutes).  Here that statement becomes a join with the distinct
visited (household, type, year) — the same rows, the same result, the plan anyone would
write for millions of visits (bench/duckdb.mjs does the same).  Everything else is unchanged."""
import sys

START = "-- 7 care visits"
END = "-- 8 employment help"
JOIN = """-- 7 care visits (bench: a join with the visited households instead of EXISTS per row)
insert into calc (indicator, part, y, region, num, den)
with visited as (
    select distinct v."户编号" as hh, v."类型" as typ, yr.y
    from care_visits v join years yr on v."日期" between yr.y0 and yr.r
    where v."类型" in ('探访关爱', '幸福清单送达'))
select 7, c.part, yr.y, reg(grouping(h."乡镇街道"), h."乡镇街道"), count(vi.hh), count(*)
from years yr
join relief_households h on h."纳入日期" <= yr.r and (h."退出日期" is null or h."退出日期" > yr.r)
cross join (values ('探访关爱率', '探访关爱'), ('幸福清单送达率', '幸福清单送达')) as c(part, typ)
left join visited vi on vi.hh = h."户编号" and vi.typ = c.typ and vi.y = yr.y
group by c.part, yr.y, grouping sets ((), (h."乡镇街道"));

"""

text = open(sys.argv[1], encoding="utf-8").read()
a, b = text.index(START), text.index(END)
open(sys.argv[2], "w", encoding="utf-8").write(text[:a] + JOIN + text[b:])
