-- Independent computation of the 27 Yuyao "弱有众扶" indicators, in plain SQL.
--
-- Written from the specification (docs of the plan: indicators-yuyao.md, outputs.md,
-- sources.md), not from the C engine, so that the two computations check each other.
--
-- Input: the accepted (validated) records that `zhongfu run ... --export-accepted ACC` writes,
-- one ACC/<source>.csv per source, header = Chinese column names, typed values
-- (YYYY-MM-DD, amounts with 2 decimals, true/false, integers, text; empty = NULL).
--
--   psql -X -v ON_ERROR_STOP=1 -v as_of=2026-06-30 -v acc=/path/to/ACC -f sql/crosscheck/yuyao.sql
--
-- Result: table xc.results with exactly the columns of results.csv
--   plan,indicator,part,year,region,numerator,denominator,value,target,status
-- (all text, formatted like results.csv; empty = NULL) and column ord = the order of
-- results.csv (indicator, part, year, region: top region first, towns in reference order).
-- Export it with
--   \copy (select plan,indicator,part,year,region,numerator,denominator,value,target,status
--          from xc.results order by ord) to 'sql_results.csv' with (format csv, header true)
--
-- Everything lives in schema xc, which is dropped and re-created.

\set ON_ERROR_STOP 1
\if :{?as_of}
\else
  do $$ begin raise exception 'yuyao.sql: set the as-of date: psql -v as_of=YYYY-MM-DD'; end $$;
\endif
\if :{?acc}
\else
  do $$ begin raise exception 'yuyao.sql: set the accepted-records directory: psql -v acc=DIR'; end $$;
\endif

set client_min_messages = warning;
drop schema if exists xc cascade;
create schema xc;
set search_path = xc;

-- ---------------------------------------------------------------------------------------------
-- The sources (sources.md): one table per source, typed columns with the Chinese headers.
-- ---------------------------------------------------------------------------------------------
create table relief_households ("户编号" text, "户主身份证号" text, "乡镇街道" text, "救助类别" text,
    "家庭人口" bigint, "纳入日期" date, "退出日期" date);
create table care_visits ("记录编号" text, "户编号" text, "类型" text, "日期" date);
create table verification_requests ("委托编号" text, "户编号" text, "查询类别" text, "委托日期" date,
    "反馈日期" date, "反馈单位" text);
create table assistance_standards ("标准类别" text, "月标准(元)" numeric(18,2), "执行日期" date);
create table milestones ("指标编号" bigint, "年度" bigint, "状态" text, "填报单位" text, "佐证材料" text,
    "填报日期" date);
create table joint_service_items ("事项编码" text, "事项名称" text, "上线日期" date, "停办日期" date);
create table employment_assistance ("身份证号" text, "乡镇街道" text, "年度" bigint, "就业意愿" boolean,
    "就业能力" boolean, "帮扶日期" date);
create table medical_settlements ("结算编号" text, "身份证号" text, "乡镇街道" text, "人员类别" text,
    "就诊类型" text, "结算日期" date, "医疗总费用" numeric(18,2), "政策范围内费用" numeric(18,2),
    "基本医保支付" numeric(18,2), "大病保险支付" numeric(18,2), "医疗救助支付" numeric(18,2));
create table emergency_aid_applications ("申请编号" text, "申请日期" date, "办理方式" text);
create table student_aid ("学籍号" text, "身份证号" text, "乡镇街道" text, "学年" bigint, "认定困难" boolean,
    "资助金额" numeric(18,2));
create table housing_applications ("申请编号" text, "户编号" text, "乡镇街道" text, "家庭类别" text,
    "申请日期" date, "审核结果" text, "保障日期" date);
create table dilapidated_houses ("房屋编号" text, "户编号" text, "乡镇街道" text, "认定日期" date,
    "改造完成日期" date);
create table disaster_losses ("灾情编号" text, "灾种" text, "发生日期" date, "直接经济损失(万元)" numeric(18,2));
create table gdp ("年度" bigint, "地区生产总值(亿元)" numeric(18,2));
create table shelters ("场所编号" text, "乡镇街道" text, "建成日期" date, "规范化验收日期" date, "撤销日期" date);
create table low_income_farmers ("户编号" text, "乡镇街道" text, "年度" bigint, "家庭人口" bigint,
    "家庭可支配收入(元)" numeric(18,2));
create table charities ("统一社会信用代码" text, "名称" text, "认定日期" date, "注销日期" date);
create table shanju_households ("户编号" text, "乡镇街道" text, "竣工日期" date);
create table union_hardship_workers ("职工档案号" text, "年度" bigint, "帮扶资金(元)" numeric(18,2));
create table union_family_graduates ("身份证号" text, "毕业年度" bigint, "就业状态" text);
create table disability_homes ("名称" text, "乡镇街道" text, "建成日期" date);
create table disabled_graduates ("身份证号" text, "毕业年度" bigint, "就业意愿" boolean, "就业状态" text);
create table red_cross_projects ("项目编号" text, "项目名称" text, "立项日期" date, "结项日期" date);
create table insurance_enrollment ("年度" bigint, "商业补充医疗保险参保人数" bigint, "基本医保参保人数" bigint);
create table electricity_discounts ("户编号" text, "用电户号" text, "年度" bigint, "符合条件" boolean,
    "享受优惠" boolean);

-- Which sources were exported at all (a source whose file is missing is "no data", not "zero").
create table loaded (source text primary key);

-- Load ACC/<source>.csv when it exists (\copy takes its file name literally: work in ACC).
\set QUIET on
\cd :acc
\set present `test -f relief_households.csv && echo 1 || echo 0`
\if :present
\copy relief_households from 'relief_households.csv' with (format csv, header true)
insert into loaded values ('relief_households');
\endif
\set present `test -f care_visits.csv && echo 1 || echo 0`
\if :present
\copy care_visits from 'care_visits.csv' with (format csv, header true)
insert into loaded values ('care_visits');
\endif
\set present `test -f verification_requests.csv && echo 1 || echo 0`
\if :present
\copy verification_requests from 'verification_requests.csv' with (format csv, header true)
insert into loaded values ('verification_requests');
\endif
\set present `test -f assistance_standards.csv && echo 1 || echo 0`
\if :present
\copy assistance_standards from 'assistance_standards.csv' with (format csv, header true)
insert into loaded values ('assistance_standards');
\endif
\set present `test -f milestones.csv && echo 1 || echo 0`
\if :present
\copy milestones from 'milestones.csv' with (format csv, header true)
insert into loaded values ('milestones');
\endif
\set present `test -f joint_service_items.csv && echo 1 || echo 0`
\if :present
\copy joint_service_items from 'joint_service_items.csv' with (format csv, header true)
insert into loaded values ('joint_service_items');
\endif
\set present `test -f employment_assistance.csv && echo 1 || echo 0`
\if :present
\copy employment_assistance from 'employment_assistance.csv' with (format csv, header true)
insert into loaded values ('employment_assistance');
\endif
\set present `test -f medical_settlements.csv && echo 1 || echo 0`
\if :present
\copy medical_settlements from 'medical_settlements.csv' with (format csv, header true)
insert into loaded values ('medical_settlements');
\endif
\set present `test -f emergency_aid_applications.csv && echo 1 || echo 0`
\if :present
\copy emergency_aid_applications from 'emergency_aid_applications.csv' with (format csv, header true)
insert into loaded values ('emergency_aid_applications');
\endif
\set present `test -f student_aid.csv && echo 1 || echo 0`
\if :present
\copy student_aid from 'student_aid.csv' with (format csv, header true)
insert into loaded values ('student_aid');
\endif
\set present `test -f housing_applications.csv && echo 1 || echo 0`
\if :present
\copy housing_applications from 'housing_applications.csv' with (format csv, header true)
insert into loaded values ('housing_applications');
\endif
\set present `test -f dilapidated_houses.csv && echo 1 || echo 0`
\if :present
\copy dilapidated_houses from 'dilapidated_houses.csv' with (format csv, header true)
insert into loaded values ('dilapidated_houses');
\endif
\set present `test -f disaster_losses.csv && echo 1 || echo 0`
\if :present
\copy disaster_losses from 'disaster_losses.csv' with (format csv, header true)
insert into loaded values ('disaster_losses');
\endif
\set present `test -f gdp.csv && echo 1 || echo 0`
\if :present
\copy gdp from 'gdp.csv' with (format csv, header true)
insert into loaded values ('gdp');
\endif
\set present `test -f shelters.csv && echo 1 || echo 0`
\if :present
\copy shelters from 'shelters.csv' with (format csv, header true)
insert into loaded values ('shelters');
\endif
\set present `test -f low_income_farmers.csv && echo 1 || echo 0`
\if :present
\copy low_income_farmers from 'low_income_farmers.csv' with (format csv, header true)
insert into loaded values ('low_income_farmers');
\endif
\set present `test -f charities.csv && echo 1 || echo 0`
\if :present
\copy charities from 'charities.csv' with (format csv, header true)
insert into loaded values ('charities');
\endif
\set present `test -f shanju_households.csv && echo 1 || echo 0`
\if :present
\copy shanju_households from 'shanju_households.csv' with (format csv, header true)
insert into loaded values ('shanju_households');
\endif
\set present `test -f union_hardship_workers.csv && echo 1 || echo 0`
\if :present
\copy union_hardship_workers from 'union_hardship_workers.csv' with (format csv, header true)
insert into loaded values ('union_hardship_workers');
\endif
\set present `test -f union_family_graduates.csv && echo 1 || echo 0`
\if :present
\copy union_family_graduates from 'union_family_graduates.csv' with (format csv, header true)
insert into loaded values ('union_family_graduates');
\endif
\set present `test -f disability_homes.csv && echo 1 || echo 0`
\if :present
\copy disability_homes from 'disability_homes.csv' with (format csv, header true)
insert into loaded values ('disability_homes');
\endif
\set present `test -f disabled_graduates.csv && echo 1 || echo 0`
\if :present
\copy disabled_graduates from 'disabled_graduates.csv' with (format csv, header true)
insert into loaded values ('disabled_graduates');
\endif
\set present `test -f red_cross_projects.csv && echo 1 || echo 0`
\if :present
\copy red_cross_projects from 'red_cross_projects.csv' with (format csv, header true)
insert into loaded values ('red_cross_projects');
\endif
\set present `test -f insurance_enrollment.csv && echo 1 || echo 0`
\if :present
\copy insurance_enrollment from 'insurance_enrollment.csv' with (format csv, header true)
insert into loaded values ('insurance_enrollment');
\endif
\set present `test -f electricity_discounts.csv && echo 1 || echo 0`
\if :present
\copy electricity_discounts from 'electricity_discounts.csv' with (format csv, header true)
insert into loaded values ('electricity_discounts');
\endif
\set QUIET off

analyze;

-- ---------------------------------------------------------------------------------------------
-- Reference data: run parameters, years, regions, targets.
-- ---------------------------------------------------------------------------------------------
create table params as select (:'as_of')::date as as_of;

-- Plan years 2023..2027 up to the as-of year; R = least(Y-12-31, as-of); y0 = Y-01-01.
create table years as
select y::int as y, make_date(y, 1, 1) as y0,
       least(make_date(y, 12, 31), p.as_of) as r,
       (p.as_of < make_date(y, 12, 31)) as ytd
from params p, generate_series(2023, least(2027, extract(year from p.as_of)::int)) as y;

-- The region reference (sources.md): the city first, then its 21 towns/streets in order.
create table towns (ord int primary key, town text unique);
insert into towns values
 (1,'凤山街道'),(2,'兰江街道'),(3,'梨洲街道'),(4,'阳明街道'),(5,'低塘街道'),(6,'朗霞街道'),(7,'临山镇'),
 (8,'黄家埠镇'),(9,'小曹娥镇'),(10,'泗门镇'),(11,'马渚镇'),(12,'牟山镇'),(13,'丈亭镇'),(14,'三七市镇'),
 (15,'河姆渡镇'),(16,'大隐镇'),(17,'陆埠镇'),(18,'梁弄镇'),(19,'大岚镇'),(20,'四明山镇'),(21,'鹿亭乡');
create table regions as
select 0 as ord, '余姚市'::text as region, null::text as town
union all select ord, town, town from towns;

-- The published targets (indicators-yuyao.md), 27 x 5 cells, as written.
create table targets (indicator int, y int, target text, primary key (indicator, y));
insert into targets
select i, 2022 + k, t[k]
from (values
 (1,  array['实现','实现','实现','实现','实现']),
 (2,  array['16','17','18','>18','>18']),
 (3,  array['100%','100%','100%','100%','100%']),
 (4,  array['100%','100%','100%','100%','100%']),
 (5,  array['14700','15400','16000','16500','17000']),
 (6,  array['达成','达成','达成','达成','达成']),
 (7,  array['100%','100%','100%','100%','100%']),
 (8,  array['100%','100%','100%','100%','100%']),
 (9,  array['82%','83%','85%','87%','90%']),
 (10, array['66%','68%','70%','70%','70%']),
 (11, array['10%','40%','80%','85%','90%']),
 (12, array['100%','100%','100%','100%','100%']),
 (13, array['100%','100%','100%','100%','100%']),
 (14, array['100%','100%','100%','100%','100%']),
 (15, array['﹤0.9%','﹤0.9%','﹤0.9%','﹤0.9%','﹤0.9%']),
 (16, array['74%','82%','90%','95%','100%']),
 (17, array['12%','10%','10%','10%','10%']),
 (18, array['16170','16940','17600','18150','18700']),
 (19, array['18','24','30','35','40']),
 (20, array['60','60','60','60','60']),
 (21, array['100%','100%','100%','100%','100%']),
 (22, array['80%','82%','85%','87%','90%']),
 (23, array['100%','100%','100%','100%','100%']),
 (24, array['100%','100%','100%','100%','100%']),
 (25, array['3','3','3','3','3']),
 (26, array['50%','50%','50%','50%','50%']),
 (27, array['100%','100%','100%','100%','100%'])
) as v(i, t), generate_series(1, 5) as k;

-- Indicator kinds and which are broken down by town (outputs.md).
create table kinds (indicator int primary key, kind text, by_town bool, source text[]);
insert into kinds values
 (1,'milestone',false,'{milestones}'), (2,'count',false,'{joint_service_items}'),
 (3,'rate',false,'{verification_requests}'), (4,'rate',false,'{verification_requests}'),
 (5,'amount',false,'{assistance_standards}'), (6,'milestone',false,'{milestones}'),
 (7,'rate',true,'{relief_households,care_visits}'), (8,'rate',true,'{employment_assistance}'),
 (9,'rate',true,'{medical_settlements}'), (10,'rate',true,'{medical_settlements}'),
 (11,'rate',false,'{emergency_aid_applications}'), (12,'rate',true,'{student_aid}'),
 (13,'rate',true,'{housing_applications}'), (14,'rate',true,'{dilapidated_houses}'),
 (15,'rate',false,'{disaster_losses}'), (16,'rate',true,'{shelters}'),
 (17,'growth',true,'{low_income_farmers}'), (18,'amount',false,'{assistance_standards}'),
 (19,'count',false,'{charities}'), (20,'count',true,'{shanju_households}'),
 (21,'rate',false,'{union_hardship_workers}'), (22,'rate',false,'{union_family_graduates}'),
 (23,'rate',true,'{disability_homes}'), (24,'rate',false,'{disabled_graduates}'),
 (25,'count',false,'{red_cross_projects}'), (26,'rate',false,'{insurance_enrollment}'),
 (27,'rate',false,'{electricity_discounts}');

-- The rows results.csv must have: (indicator, part, year, region).
create table grid as
select k.indicator, p.part, p.pord, yr.y, rg.region, rg.ord as rord
from kinds k
cross join years yr
join regions rg on rg.town is null or k.by_town
join lateral (select null::text as part, 0 as pord where k.indicator <> 7
              union all select '探访关爱率', 1 where k.indicator = 7
              union all select '幸福清单送达率', 2 where k.indicator = 7) p on true;

-- ---------------------------------------------------------------------------------------------
-- The computation: one row per (indicator, part, year, region) that has anything to say.
--   num, den: numerator and denominator of a rate (NULL where the indicator has none);
--   val: the numeric value (rates: NULL when den = 0); word: a milestone's status word.
-- City rows and town rows come from the same records through grouping sets; a region
-- absent here has no records (handled when the grid is filled in below).
-- ---------------------------------------------------------------------------------------------
create table calc (indicator int, part text, y int, region text, num numeric, den numeric,
                   val numeric, word text);

-- Helper: '余姚市' for the city grouping set, else the town.
create function reg(is_city int, town text) returns text language sql immutable
as $$ select case when is_city = 1 then '余姚市' else town end $$;

-- 1, 6 milestones: the latest report (填报日期 <= R) for the year.
insert into calc (indicator, y, region, word)
select distinct on (m."指标编号", yr.y) m."指标编号", yr.y, '余姚市', m."状态"
from milestones m join years yr on m."年度" = yr.y and m."填报日期" <= yr.r
where m."指标编号" in (1, 6)
order by m."指标编号", yr.y, m."填报日期" desc;

-- 2 joint service items active at R.
insert into calc (indicator, y, region, val)
select 2, yr.y, '余姚市', count(j."事项编码")
from years yr left join joint_service_items j
  on j."上线日期" <= yr.r and (j."停办日期" is null or j."停办日期" > yr.r)
group by yr.y;

-- 3, 4 verification requests: 委托日期 in Y; answered when 反馈日期 <= R.
insert into calc (indicator, y, region, num, den)
select c.i, yr.y, '余姚市',
       count(v."委托编号") filter (where v."反馈日期" is not null and v."反馈日期" <= yr.r),
       count(v."委托编号")
from years yr cross join (values (3, '个人所得税'), (4, '银行存款')) as c(i, cat)
left join verification_requests v
  on v."查询类别" = c.cat and v."委托日期" between yr.y0 and yr.r
group by c.i, yr.y;

-- 5, 18 standards: the latest 执行日期 <= R, monthly x 12.
insert into calc (indicator, y, region, val)
select distinct on (c.i, yr.y) c.i, yr.y, '余姚市', s."月标准(元)" * 12
from years yr cross join (values (5, '最低生活保障'), (18, '困难退役军人生活援助')) as c(i, cat)
join assistance_standards s on s."标准类别" = c.cat and s."执行日期" <= yr.r
order by c.i, yr.y, s."执行日期" desc;

-- 7 care visits: households active at R; visited (per type) in Y. Visits of households not
-- in the register never join, so orphans count nowhere.
insert into calc (indicator, part, y, region, num, den)
select 7, c.part, yr.y, reg(grouping(h."乡镇街道"), h."乡镇街道"),
       count(*) filter (where exists (
           select 1 from care_visits v
           where v."户编号" = h."户编号" and v."类型" = c.typ and v."日期" between yr.y0 and yr.r)),
       count(*)
from years yr
join relief_households h on h."纳入日期" <= yr.r and (h."退出日期" is null or h."退出日期" > yr.r)
cross join (values ('探访关爱率', '探访关爱'), ('幸福清单送达率', '幸福清单送达')) as c(part, typ)
group by c.part, yr.y, grouping sets ((), (h."乡镇街道"));

-- 8 employment help: 年度 = Y, willing and able; helped when 帮扶日期 <= R.
insert into calc (indicator, y, region, num, den)
select 8, yr.y, reg(grouping(e."乡镇街道"), e."乡镇街道"),
       count(*) filter (where e."帮扶日期" is not null and e."帮扶日期" <= yr.r), count(*)
from years yr join employment_assistance e
  on e."年度" = yr.y and e."就业意愿" and e."就业能力"
group by yr.y, grouping sets ((), (e."乡镇街道"));

-- 9 medical coverage: 结算日期 in Y, 人员类别 <> 其他.
insert into calc (indicator, y, region, num, den)
select 9, yr.y, reg(grouping(m."乡镇街道"), m."乡镇街道"),
       sum(m."基本医保支付" + m."大病保险支付" + m."医疗救助支付"), sum(m."医疗总费用")
from years yr join medical_settlements m
  on m."结算日期" between yr.y0 and yr.r and m."人员类别" <> '其他'
group by yr.y, grouping sets ((), (m."乡镇街道"));

-- 10 medical aid share: 低保/特困, 门诊慢特病/住院.
insert into calc (indicator, y, region, num, den)
select 10, yr.y, reg(grouping(m."乡镇街道"), m."乡镇街道"),
       sum(m."医疗救助支付"), sum(m."政策范围内费用" - m."基本医保支付" - m."大病保险支付")
from years yr join medical_settlements m
  on m."结算日期" between yr.y0 and yr.r and m."人员类别" in ('低保', '特困')
 and m."就诊类型" in ('门诊慢特病', '住院')
group by yr.y, grouping sets ((), (m."乡镇街道"));

-- 11 emergency aid handled fully online: 申请日期 in Y.
insert into calc (indicator, y, region, num, den)
select 11, yr.y, '余姚市', count(a."申请编号") filter (where a."办理方式" = '全流程网上'),
       count(a."申请编号")
from years yr left join emergency_aid_applications a on a."申请日期" between yr.y0 and yr.r
group by yr.y;

-- 12 student aid: 学年 = Y, 认定困难; aided when 资助金额 > 0.
insert into calc (indicator, y, region, num, den)
select 12, yr.y, reg(grouping(s."乡镇街道"), s."乡镇街道"),
       count(*) filter (where s."资助金额" > 0), count(*)
from years yr join student_aid s on s."学年" = yr.y and s."认定困难"
group by yr.y, grouping sets ((), (s."乡镇街道"));

-- 13 housing: 申请日期 in Y, 低保/低保边缘/低收入, 符合; guaranteed when 保障日期 <= R.
insert into calc (indicator, y, region, num, den)
select 13, yr.y, reg(grouping(h."乡镇街道"), h."乡镇街道"),
       count(*) filter (where h."保障日期" is not null and h."保障日期" <= yr.r), count(*)
from years yr join housing_applications h
  on h."申请日期" between yr.y0 and yr.r and h."家庭类别" in ('低保', '低保边缘', '低收入')
 and h."审核结果" = '符合'
group by yr.y, grouping sets ((), (h."乡镇街道"));

-- 14 dilapidated houses: 认定日期 in Y; renovated when 改造完成日期 <= R.
insert into calc (indicator, y, region, num, den)
select 14, yr.y, reg(grouping(d."乡镇街道"), d."乡镇街道"),
       count(*) filter (where d."改造完成日期" is not null and d."改造完成日期" <= yr.r), count(*)
from years yr join dilapidated_houses d on d."认定日期" between yr.y0 and yr.r
group by yr.y, grouping sets ((), (d."乡镇街道"));

-- 15 disaster losses (万元) over GDP (亿元) x 10000; GDP missing: no value, the sum still shown.
insert into calc (indicator, y, region, num, den)
select 15, yr.y, '余姚市',
       coalesce((select sum(l."直接经济损失(万元)") from disaster_losses l
                 where l."发生日期" between yr.y0 and yr.r), 0.00),
       (select sum(g."地区生产总值(亿元)") * 10000 from gdp g where g."年度" = yr.y)
from years yr
where exists (select 1 from loaded where source = 'disaster_losses');

-- 16 shelters active at R; to standard when 规范化验收日期 <= R.
insert into calc (indicator, y, region, num, den)
select 16, yr.y, reg(grouping(s."乡镇街道"), s."乡镇街道"),
       count(*) filter (where s."规范化验收日期" is not null and s."规范化验收日期" <= yr.r), count(*)
from years yr join shelters s
  on s."建成日期" <= yr.r and (s."撤销日期" is null or s."撤销日期" > yr.r)
group by yr.y, grouping sets ((), (s."乡镇街道"));

-- 17 growth of per-capita income: pc(y) = Σ income / Σ persons over 年度 = y;
-- value = pc(Y) / pc(Y-1) - 1, exactly: (inc_Y * pop_Y-1) / (pop_Y * inc_Y-1) - 1.
create table farm_pc as
select f."年度" as y, reg(grouping(f."乡镇街道"), f."乡镇街道") as region,
       sum(f."家庭可支配收入(元)") as inc, sum(f."家庭人口") as pop
from low_income_farmers f
group by f."年度", grouping sets ((), (f."乡镇街道"));
insert into calc (indicator, y, region, val)
select 17, yr.y, c.region,
       case when p.inc <> 0 then (c.inc * p.pop)::numeric(60,30) / (c.pop * p.inc) - 1 end
from years yr
join farm_pc c on c.y = yr.y
join farm_pc p on p.y = yr.y - 1 and p.region = c.region;

-- 19 charities active at R.
insert into calc (indicator, y, region, val)
select 19, yr.y, '余姚市', count(c."统一社会信用代码")
from years yr left join charities c
  on c."认定日期" <= yr.r and (c."注销日期" is null or c."注销日期" > yr.r)
group by yr.y;

-- 20 善居: distinct households with 竣工日期 in Y (a town without records: 0).
insert into calc (indicator, y, region, val)
select 20, yr.y, reg(grouping(s."乡镇街道"), s."乡镇街道"), count(distinct s."户编号")
from years yr join shanju_households s on s."竣工日期" between yr.y0 and yr.r
group by yr.y, grouping sets ((), (s."乡镇街道"));

-- 21 hardship workers: 年度 = Y; funded when 帮扶资金 > 0.
insert into calc (indicator, y, region, num, den)
select 21, yr.y, '余姚市', count(u."职工档案号") filter (where u."帮扶资金(元)" > 0),
       count(u."职工档案号")
from years yr left join union_hardship_workers u on u."年度" = yr.y
group by yr.y;

-- 22 graduates of hardship worker families: 毕业年度 = Y; 已就业.
insert into calc (indicator, y, region, num, den)
select 22, yr.y, '余姚市', count(g."身份证号") filter (where g."就业状态" = '已就业'),
       count(g."身份证号")
from years yr left join union_family_graduates g on g."毕业年度" = yr.y
group by yr.y;

-- 23 towns with a 残疾人之家 built by R, over the towns of the region.
insert into calc (indicator, y, region, num, den)
select 23, yr.y, rg.region,
       (select count(*) from towns t
        where (rg.town is null or t.town = rg.town)
          and exists (select 1 from disability_homes d
                      where d."乡镇街道" = t.town and d."建成日期" <= yr.r)),
       (select count(*) from towns t where rg.town is null or t.town = rg.town)
from years yr cross join regions rg
where exists (select 1 from loaded where source = 'disability_homes');

-- 24 disabled graduates: 毕业年度 = Y, willing; 已就业.
insert into calc (indicator, y, region, num, den)
select 24, yr.y, '余姚市', count(g."身份证号") filter (where g."就业状态" = '已就业'),
       count(g."身份证号")
from years yr left join disabled_graduates g on g."毕业年度" = yr.y and g."就业意愿"
group by yr.y;

-- 25 red cross projects active during Y.
insert into calc (indicator, y, region, val)
select 25, yr.y, '余姚市', count(p."项目编号")
from years yr left join red_cross_projects p
  on p."立项日期" <= yr.r and (p."结项日期" is null or p."结项日期" >= yr.y0)
group by yr.y;

-- 26 insurance: reported totals of 年度 = Y.
insert into calc (indicator, y, region, num, den)
select 26, yr.y, '余姚市', sum(e."商业补充医疗保险参保人数"), sum(e."基本医保参保人数")
from years yr left join insurance_enrollment e on e."年度" = yr.y
group by yr.y;

-- 27 electricity discount: 年度 = Y, eligible; 享受优惠.
insert into calc (indicator, y, region, num, den)
select 27, yr.y, '余姚市', count(e."户编号") filter (where e."享受优惠"), count(e."户编号")
from years yr left join electricity_discounts e on e."年度" = yr.y and e."符合条件"
group by yr.y;

-- Rates: value = numerator / denominator, no value when the denominator is 0 or missing.
update calc set val = num::numeric(60,30) / den
where den is not null and den <> 0 and val is null and num is not null;

-- ---------------------------------------------------------------------------------------------
-- Formatting and status.
-- ---------------------------------------------------------------------------------------------
-- A rate as a decimal fraction rounded to 10 significant digits, trailing zeros kept
-- (0.8312345678, 1.000000000, 0.003123456789, 0.000000000).
create function sig10(v numeric) returns text language plpgsql immutable as $$
declare e int; r numeric;
begin
    if v is null then return null; end if;
    if v = 0 then return '0.000000000'; end if;
    e := floor(log(abs(v)))::int;
    if abs(v) >= power(10::numeric, e + 1) then e := e + 1; end if;
    if abs(v) < power(10::numeric, e) then e := e - 1; end if;
    r := round(v, 9 - e);
    if abs(r) >= power(10::numeric, e + 1) then r := round(v, 8 - e); end if;
    return r::text;
end $$;

-- An amount or a sum of amounts with its two decimals.
create function to_char_2(v numeric) returns text language sql immutable
as $$ select round(v, 2)::text $$;

-- Is value v (or word w) meeting the published target t?
create function meets(v numeric, w text, t text) returns bool language plpgsql immutable as $$
declare s text := t; pct bool := false; cmp text := '>='; n numeric;
begin
    if t in ('实现', '达成') then return w = t; end if;
    if v is null then return null; end if;
    if left(s, 1) = '>' then cmp := '>'; s := substr(s, 2);
    elsif left(s, 1) in ('<', '﹤') then cmp := '<'; s := substr(s, 2); end if;
    if right(s, 1) = '%' then pct := true; s := left(s, -1); end if;
    n := s::numeric;
    if pct then n := n / 100; end if;
    return case cmp when '>' then v > n when '<' then v < n else v >= n end;
end $$;

create table results as
with filled as (
    select g.indicator, g.part, g.pord, g.y, g.region, g.rord, k.kind, k.by_town,
           yr.ytd, t.target, c.num, c.den, c.val, c.word,
           -- a source present when all its files were exported
           (select bool_and(s in (select source from loaded)) from unnest(k.source) s) as have
    from grid g
    join kinds k using (indicator)
    join years yr using (y)
    join targets t on t.indicator = g.indicator and t.y = g.y
    left join calc c on c.indicator = g.indicator and c.y = g.y and c.region = g.region
                    and c.part is not distinct from g.part
), shown as (
    -- a source not exported: nothing; a town without records: a count is 0, a rate 0 / 0
    select f.*,
           case when not have then null
                when kind = 'count' then coalesce(val, 0) else val end as v,
           case when not have then null
                when kind = 'rate' and c_missing and indicator <> 26 then 0 else num end as n,
           case when not have then null
                when kind = 'rate' and c_missing and indicator <> 26 then 0 else den end as d
    from (select *, (num is null and den is null and val is null and word is null) as c_missing
          from filled) f
), judged as (
    select s.*,
           (kind = 'count' and region <> '余姚市') as city_only,
           case when kind = 'milestone' then word is not null else v is not null end as has_value
    from shown s
), pass as (
    select j.*, meets(j.v, j.word, j.target) as met from judged j
)
select 'yuyao'::text as plan,
       indicator::text as indicator,
       part,
       y::text as year,
       region,
       case when indicator in (9, 10, 15) then to_char_2(n) else n::bigint::text end as numerator,
       case when indicator in (9, 10, 15) then to_char_2(d) else d::bigint::text end as denominator,
       case kind when 'milestone' then word
                 when 'count' then v::bigint::text
                 when 'amount' then to_char_2(v)
                 else sig10(v) end as value,
       case when city_only then null else target end as target,
       case when city_only then null
            -- 7: both parts must be met; each part row carries the indicator's verdict
            when indicator = 7 then
                 case when not ytd and bool_or(met = false) over w then '未达标'
                      when bool_or(not has_value) over w then '无数据'
                      when ytd then '进行中'
                      else '达标' end
            when not has_value then '无数据'
            when ytd then '进行中'
            when met then '达标' else '未达标' end as status,
       row_number() over (order by indicator, pord, y, rord) as ord
from pass
window w as (partition by indicator, y, region);
