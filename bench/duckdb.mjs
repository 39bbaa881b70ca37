// duckdb.mjs — the 27 Yuyao indicators computed by DuckDB (@duckdb/node-api) from the clean
// typed CSVs that `zhongfu run --export-accepted ACC` writes, as a baseline for bench/run.
//
//   node bench/duckdb.mjs ACC AS_OF OUT.csv [THREADS]
//
// The tables and the aggregations are the port of sql/crosscheck/yuyao.sql to DuckDB's
// dialect (same tables, same filters, same groupings); the last step — turning the sums into
// the text of results.csv (10 significant digits, targets, statuses) — is done here with
// exact BigInt fractions, since DuckDB's DECIMAL stops at 38 digits and its division is
// floating point.  OUT.csv has the columns and row order of results.csv.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const [acc, asOf, outPath, threads] = process.argv.slice(2);
if (!acc || !/^\d{4}-\d{2}-\d{2}$/.test(asOf || '') || !outPath) {
  console.error('usage: node bench/duckdb.mjs ACC AS_OF OUT.csv [THREADS]');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pgSql = readFileSync(join(root, 'sql/crosscheck/yuyao.sql'), 'utf8');

// ---- the source tables: the same DDL as the PostgreSQL cross-check --------------------------
const ddl = [...pgSql.matchAll(/^create table ([a-z_]+) \(("[^;]*?)\);/gms)].map((m) => ({ name: m[1], sql: m[0] }));
const sources = ddl.map((d) => d.name);

const instance = await DuckDBInstance.create(':memory:', threads ? { threads: String(threads) } : {});
const db = await instance.connect();
const run = (sql) => db.run(sql);
const rows = async (sql) => (await db.runAndReadAll(sql)).getRowObjectsJson();

const loaded = new Set();
for (const d of ddl) {
  await run(d.sql);
  const file = join(acc, `${d.name}.csv`);
  if (existsSync(file)) {
    await run(`copy ${d.name} from '${file.replace(/'/g, "''")}' (format csv, header true)`);
    loaded.add(d.name);
  }
}

// ---- years, regions ---------------------------------------------------------------------------
const asOfYear = Number(asOf.slice(0, 4));
const years = [];
for (let y = 2023; y <= Math.min(2027, asOfYear); y++) years.push(y);
await run(`create table years as select y, make_date(y, 1, 1) as y0,
             least(make_date(y, 12, 31), date '${asOf}') as r, (date '${asOf}' < make_date(y, 12, 31)) as ytd
           from (values ${years.map((y) => `(${y})`).join(',')}) t(y)`);
const towns = ['凤山街道', '兰江街道', '梨洲街道', '阳明街道', '低塘街道', '朗霞街道', '临山镇', '黄家埠镇', '小曹娥镇',
  '泗门镇', '马渚镇', '牟山镇', '丈亭镇', '三七市镇', '河姆渡镇', '大隐镇', '陆埠镇', '梁弄镇', '大岚镇', '四明山镇', '鹿亭乡'];
await run(`create table towns as select * from (values ${towns.map((t, i) => `(${i + 1}, '${t}')`).join(',')}) t(ord, town)`);
await run(`create table regions as select 0 as ord, '余姚市' as region, null::varchar as town
           union all select ord, town, town from towns`);
await run(`create macro reg(is_city, town) as case when is_city = 1 then '余姚市' else town end`);

// ---- the computation (sql/crosscheck/yuyao.sql, in DuckDB) ----------------------------------
// calc: indicator, part, y, region, num, den (rates), val (counts, amounts), word (milestones),
// gnum/gden (growth: pc(Y)/pc(Y-1) = gnum/gden).  Numbers as exact decimal text.
const calc = `
select m."指标编号" as indicator, null as part, yr.y, '余姚市' as region, null as num, null as den, null as val,
       arg_max(m."状态", m."填报日期") as word, null as gnum, null as gden
from milestones m join years yr on m."年度" = yr.y and m."填报日期" <= yr.r
where m."指标编号" in (1, 6) group by m."指标编号", yr.y
union all
select 2, null, yr.y, '余姚市', null, null, count(j."事项编码"), null, null, null
from years yr left join joint_service_items j
  on j."上线日期" <= yr.r and (j."停办日期" is null or j."停办日期" > yr.r)
group by yr.y
union all
select c.i, null, yr.y, '余姚市',
       count(v."委托编号") filter (where v."反馈日期" is not null and v."反馈日期" <= yr.r), count(v."委托编号"),
       null, null, null, null
from years yr cross join (values (3, '个人所得税'), (4, '银行存款')) as c(i, cat)
left join verification_requests v on v."查询类别" = c.cat and v."委托日期" between yr.y0 and yr.r
group by c.i, yr.y
union all
select c.i, null, yr.y, '余姚市', null, null, arg_max(s."月标准(元)" * 12, s."执行日期"), null, null, null
from years yr cross join (values (5, '最低生活保障'), (18, '困难退役军人生活援助')) as c(i, cat)
join assistance_standards s on s."标准类别" = c.cat and s."执行日期" <= yr.r
group by c.i, yr.y
union all
(with visited as (
    select distinct v."户编号" as hh, v."类型" as typ, yr.y
    from care_visits v join years yr on v."日期" between yr.y0 and yr.r
    where v."类型" in ('探访关爱', '幸福清单送达'))
 select 7, c.part, yr.y, reg(grouping(h."乡镇街道"), h."乡镇街道"),
        count(vi.hh), count(*), null, null, null, null
 from years yr
 join relief_households h on h."纳入日期" <= yr.r and (h."退出日期" is null or h."退出日期" > yr.r)
 cross join (values ('探访关爱率', '探访关爱'), ('幸福清单送达率', '幸福清单送达')) as c(part, typ)
 left join visited vi on vi.hh = h."户编号" and vi.typ = c.typ and vi.y = yr.y
 group by c.part, yr.y, grouping sets ((), (h."乡镇街道")))
union all
select 8, null, yr.y, reg(grouping(e."乡镇街道"), e."乡镇街道"),
       count(*) filter (where e."帮扶日期" is not null and e."帮扶日期" <= yr.r), count(*), null, null, null, null
from years yr join employment_assistance e on e."年度" = yr.y and e."就业意愿" and e."就业能力"
group by yr.y, grouping sets ((), (e."乡镇街道"))
union all
select 9, null, yr.y, reg(grouping(m."乡镇街道"), m."乡镇街道"),
       sum(m."基本医保支付" + m."大病保险支付" + m."医疗救助支付"), sum(m."医疗总费用"), null, null, null, null
from years yr join medical_settlements m on m."结算日期" between yr.y0 and yr.r and m."人员类别" <> '其他'
group by yr.y, grouping sets ((), (m."乡镇街道"))
union all
select 10, null, yr.y, reg(grouping(m."乡镇街道"), m."乡镇街道"),
       sum(m."医疗救助支付"), sum(m."政策范围内费用" - m."基本医保支付" - m."大病保险支付"), null, null, null, null
from years yr join medical_settlements m
  on m."结算日期" between yr.y0 and yr.r and m."人员类别" in ('低保', '特困') and m."就诊类型" in ('门诊慢特病', '住院')
group by yr.y, grouping sets ((), (m."乡镇街道"))
union all
select 11, null, yr.y, '余姚市', count(a."申请编号") filter (where a."办理方式" = '全流程网上'), count(a."申请编号"),
       null, null, null, null
from years yr left join emergency_aid_applications a on a."申请日期" between yr.y0 and yr.r
group by yr.y
union all
select 12, null, yr.y, reg(grouping(s."乡镇街道"), s."乡镇街道"), count(*) filter (where s."资助金额" > 0), count(*),
       null, null, null, null
from years yr join student_aid s on s."学年" = yr.y and s."认定困难"
group by yr.y, grouping sets ((), (s."乡镇街道"))
union all
select 13, null, yr.y, reg(grouping(h."乡镇街道"), h."乡镇街道"),
       count(*) filter (where h."保障日期" is not null and h."保障日期" <= yr.r), count(*), null, null, null, null
from years yr join housing_applications h
  on h."申请日期" between yr.y0 and yr.r and h."家庭类别" in ('低保', '低保边缘', '低收入') and h."审核结果" = '符合'
group by yr.y, grouping sets ((), (h."乡镇街道"))
union all
select 14, null, yr.y, reg(grouping(d."乡镇街道"), d."乡镇街道"),
       count(*) filter (where d."改造完成日期" is not null and d."改造完成日期" <= yr.r), count(*), null, null, null, null
from years yr join dilapidated_houses d on d."认定日期" between yr.y0 and yr.r
group by yr.y, grouping sets ((), (d."乡镇街道"))
union all
select 15, null, yr.y, '余姚市',
       coalesce((select sum(l."直接经济损失(万元)") from disaster_losses l where l."发生日期" between yr.y0 and yr.r), 0.00),
       (select sum(g."地区生产总值(亿元)") * 10000 from gdp g where g."年度" = yr.y), null, null, null, null
from years yr where ${loaded.has('disaster_losses') ? 'true' : 'false'}
union all
select 16, null, yr.y, reg(grouping(s."乡镇街道"), s."乡镇街道"),
       count(*) filter (where s."规范化验收日期" is not null and s."规范化验收日期" <= yr.r), count(*), null, null, null, null
from years yr join shelters s on s."建成日期" <= yr.r and (s."撤销日期" is null or s."撤销日期" > yr.r)
group by yr.y, grouping sets ((), (s."乡镇街道"))
union all
(with farm_pc as (
    select f."年度" as y, reg(grouping(f."乡镇街道"), f."乡镇街道") as region,
           sum(f."家庭可支配收入(元)") as inc, sum(f."家庭人口") as pop
    from low_income_farmers f group by f."年度", grouping sets ((), (f."乡镇街道")))
 select 17, null, yr.y, c.region, null, null, null, null,
        case when p.inc <> 0 then c.inc * p.pop end, case when p.inc <> 0 then c.pop * p.inc end
 from years yr join farm_pc c on c.y = yr.y join farm_pc p on p.y = yr.y - 1 and p.region = c.region)
union all
select 19, null, yr.y, '余姚市', null, null, count(c."统一社会信用代码"), null, null, null
from years yr left join charities c on c."认定日期" <= yr.r and (c."注销日期" is null or c."注销日期" > yr.r)
group by yr.y
union all
select 20, null, yr.y, reg(grouping(s."乡镇街道"), s."乡镇街道"), null, null, count(distinct s."户编号"), null, null, null
from years yr join shanju_households s on s."竣工日期" between yr.y0 and yr.r
group by yr.y, grouping sets ((), (s."乡镇街道"))
union all
select 21, null, yr.y, '余姚市', count(u."职工档案号") filter (where u."帮扶资金(元)" > 0), count(u."职工档案号"),
       null, null, null, null
from years yr left join union_hardship_workers u on u."年度" = yr.y group by yr.y
union all
select 22, null, yr.y, '余姚市', count(g."身份证号") filter (where g."就业状态" = '已就业'), count(g."身份证号"),
       null, null, null, null
from years yr left join union_family_graduates g on g."毕业年度" = yr.y group by yr.y
union all
select 23, null, yr.y, rg.region,
       (select count(*) from towns t where (rg.town is null or t.town = rg.town)
          and exists (select 1 from disability_homes d where d."乡镇街道" = t.town and d."建成日期" <= yr.r)),
       (select count(*) from towns t where rg.town is null or t.town = rg.town), null, null, null, null
from years yr cross join regions rg where ${loaded.has('disability_homes') ? 'true' : 'false'}
union all
select 24, null, yr.y, '余姚市', count(g."身份证号") filter (where g."就业状态" = '已就业'), count(g."身份证号"),
       null, null, null, null
from years yr left join disabled_graduates g on g."毕业年度" = yr.y and g."就业意愿" group by yr.y
union all
select 25, null, yr.y, '余姚市', null, null, count(p."项目编号"), null, null, null
from years yr left join red_cross_projects p on p."立项日期" <= yr.r and (p."结项日期" is null or p."结项日期" >= yr.y0)
group by yr.y
union all
select 26, null, yr.y, '余姚市', sum(e."商业补充医疗保险参保人数"), sum(e."基本医保参保人数"), null, null, null, null
from years yr left join insurance_enrollment e on e."年度" = yr.y group by yr.y
union all
select 27, null, yr.y, '余姚市', count(e."户编号") filter (where e."享受优惠"), count(e."户编号"), null, null, null, null
from years yr left join electricity_discounts e on e."年度" = yr.y and e."符合条件" group by yr.y`;
const got = await rows(`select indicator::varchar as i, part, y::varchar as y, region, num::varchar as num,
  den::varchar as den, val::varchar as val, word, gnum::varchar as gnum, gden::varchar as gden from (${calc})`);
const cell = new Map(got.map((r) => [`${r.i}|${r.part ?? ''}|${r.y}|${r.region}`, r]));

// ---- exact fractions and the text of results.csv ----------------------------------------------
const frac = (t) => {   // decimal text → {n, d}
  if (t === null || t === undefined) return null;
  const neg = t.startsWith('-'), s = neg ? t.slice(1) : t, [a, b = ''] = s.split('.');
  const n = BigInt(a + b) * (neg ? -1n : 1n);
  return { n, d: 10n ** BigInt(b.length) };
};
const div = (a, b) => (a && b && b.n !== 0n ? norm({ n: a.n * b.d, d: a.d * b.n }) : null);
const norm = (f) => (f.d < 0n ? { n: -f.n, d: -f.d } : f);
const cmp = (a, b) => { const x = a.n * b.d, y = b.n * a.d; return x < y ? -1 : x > y ? 1 : 0; };
const abs = (f) => ({ n: f.n < 0n ? -f.n : f.n, d: f.d });
const pow10 = (e) => (e >= 0 ? { n: 10n ** BigInt(e), d: 1n } : { n: 1n, d: 10n ** BigInt(-e) });
// round f to k decimals (k may be negative), half away from zero, as text with max(k, 0) decimals
const roundText = (f, k) => {
  const scale = k >= 0 ? 10n ** BigInt(k) : 1n, unit = k >= 0 ? 1n : 10n ** BigInt(-k);
  const neg = f.n < 0n, n = neg ? -f.n : f.n;
  const q = n * scale, den = f.d * unit;
  let r = (2n * q + den) / (2n * den);           // round half up on |f|
  r *= unit;
  let s = r.toString();
  if (k > 0) { s = s.padStart(k + 1, '0'); s = `${s.slice(0, -k)}.${s.slice(-k)}`; }
  return (neg && r !== 0n ? '-' : '') + s;
};
const sig10 = (f) => {
  if (!f) return '';
  if (f.n === 0n) return '0.000000000';
  const a = abs(f);
  let e = a.n.toString().length - a.d.toString().length;
  while (cmp(a, pow10(e)) < 0) e--;
  while (cmp(a, pow10(e + 1)) >= 0) e++;
  const t = roundText(f, 9 - e);
  return cmp(abs(frac(t)), pow10(e + 1)) >= 0 ? roundText(f, 8 - e) : t;
};
const meets = (v, w, t) => {
  if (t === '实现' || t === '达成') return w === null ? null : w === t;
  if (!v) return null;
  let s = t, op = '>=', pct = false;
  if (s[0] === '>') { op = '>'; s = s.slice(1); } else if (s[0] === '<' || s[0] === '﹤') { op = '<'; s = s.slice(1); }
  if (s.endsWith('%')) { pct = true; s = s.slice(0, -1); }
  let n = frac(s);
  if (pct) n = { n: n.n, d: n.d * 100n };
  const c = cmp(v, n);
  return op === '>' ? c > 0 : op === '<' ? c < 0 : c >= 0;
};

// targets and kinds, read from the cross-check SQL so that both baselines share them
const targets = new Map();
for (const m of pgSql.matchAll(/\((\d+),\s+array\[([^\]]*)\]\)/g))
  m[2].split(',').forEach((t, k) => targets.set(`${m[1]}|${2023 + k}`, t.trim().replace(/^'|'$/g, '')));
const kinds = [...pgSql.matchAll(/\((\d+),'(\w+)',(true|false),'\{([^}]*)\}'\)/g)]
  .map((m) => ({ i: Number(m[1]), kind: m[2], byTown: m[3] === 'true', src: m[4].split(',') }));

const out = ['plan,indicator,part,year,region,numerator,denominator,value,target,status'];
const csv = (s) => (s === null || s === undefined ? '' : /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const bigintText = (f) => (f ? roundText(f, 0) : '');
for (const k of kinds.sort((a, b) => a.i - b.i)) {
  const parts = k.i === 7 ? ['探访关爱率', '幸福清单送达率'] : [null];
  const have = k.src.every((s) => loaded.has(s));
  for (const part of parts) {
    for (const y of years) {
      const ytd = asOf < `${y}-12-31`;
      const regs = k.byTown ? ['余姚市', ...towns] : ['余姚市'];
      for (const region of regs) {
        const row = (p) => {
          const c = cell.get(`${k.i}|${p ?? ''}|${y}|${region}`);
          const missing = !c || (c.num === null && c.den === null && c.val === null && c.word === null && c.gnum === null);
          let num = c ? frac(c.num) : null, den = c ? frac(c.den) : null, val = c ? frac(c.val) : null;
          const word = c ? c.word : null;
          if (k.kind === 'growth' && c && c.gnum !== null) val = div(frac(c.gnum), frac(c.gden)), val = val && { n: val.n - val.d, d: val.d };
          if (k.kind === 'rate' && val === null && num && den && den.n !== 0n) val = div(num, den);
          let v = !have ? null : k.kind === 'count' ? (val ?? { n: 0n, d: 1n }) : val;
          if (have && k.kind === 'rate' && missing && k.i !== 26) num = den = { n: 0n, d: 1n };
          if (!have) num = den = null;
          const hasValue = k.kind === 'milestone' ? word !== null : v !== null;
          const target = targets.get(`${k.i}|${y}`);
          return { num, den, v, word, hasValue, target, met: meets(v, word, target) };
        };
        const r = row(part);
        const cityOnly = k.kind === 'count' && region !== '余姚市';
        let status;
        if (cityOnly) status = '';
        else if (k.i === 7) {
          const both = parts.map(row);
          status = !ytd && both.some((b) => b.met === false) ? '未达标'
            : both.some((b) => !b.hasValue) ? '无数据' : ytd ? '进行中' : '达标';
        } else status = !r.hasValue ? '无数据' : ytd ? '进行中' : r.met ? '达标' : '未达标';
        const two = [9, 10, 15].includes(k.i);
        const value = k.kind === 'milestone' ? r.word : !r.v ? '' : k.kind === 'count' ? bigintText(r.v)
          : k.kind === 'amount' ? roundText(r.v, 2) : sig10(r.v);
        out.push(['yuyao', String(k.i), part, String(y), region,
          r.num ? (two ? roundText(r.num, 2) : bigintText(r.num)) : '',
          r.den ? (two ? roundText(r.den, 2) : bigintText(r.den)) : '',
          value, cityOnly ? '' : r.target, status].map(csv).join(','));
      }
    }
  }
}
writeFileSync(outPath, out.join('\n') + '\n');
console.error(`duckdb: ${sources.length} tables, ${loaded.size} loaded, ${out.length - 1} result rows`);
