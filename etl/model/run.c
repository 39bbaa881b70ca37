/* run.c — the small questions every writer asks of a run: outcome labels, reference
 * dates, and a row's value as machines and as people read it. */
#include "zf_run.h"

#include "zf_calendar.h"
#include "zf_display.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *const outcome_labels[ZF_OUTCOME_COUNT] = {
    [ZF_OUTCOME_NONE] = "",
    [ZF_OUTCOME_MET] = "达标",
    [ZF_OUTCOME_NOT_MET] = "未达标",
    [ZF_OUTCOME_NO_DATA] = "无数据",
    [ZF_OUTCOME_IN_PROGRESS] = "进行中",
};

const char *zf_outcome_label(zf_outcome o)
{
    return (unsigned)o < ZF_OUTCOME_COUNT ? outcome_labels[o] : "";
}

const char *zf_provisional_label(zf_outcome outcome, zf_outcome provisional)
{
    if (outcome != ZF_OUTCOME_IN_PROGRESS)
        return "";
    if (provisional == ZF_OUTCOME_MET)
        return "预计达标";
    return provisional == ZF_OUTCOME_NOT_MET ? "预计未达标" : "";
}

int32_t zf_run_reference(const zf_run *run, size_t year_index)
{
    int32_t end = zf_days_from_civil(run->defs->plan.years[year_index], 12, 31);
    return run->as_of < end ? run->as_of : end;
}

bool zf_run_year_open(const zf_run *run, size_t year_index)
{
    return run->as_of < zf_days_from_civil(run->defs->plan.years[year_index], 12, 31);
}

zf_outcome zf_result_own_outcome(const zf_result *r)
{
    return r->combined ? r->part_outcome : r->outcome;
}

zf_outcome zf_result_own_provisional(const zf_result *r)
{
    return r->combined ? r->part_provisional : r->provisional;
}

/* Which verdict wins when parts are combined; as evaluate combines them. */
static int severity(zf_outcome o)
{
    static const int rank[ZF_OUTCOME_COUNT] = {
        [ZF_OUTCOME_NONE] = 0, [ZF_OUTCOME_MET] = 1, [ZF_OUTCOME_IN_PROGRESS] = 2,
        [ZF_OUTCOME_NO_DATA] = 3, [ZF_OUTCOME_NOT_MET] = 4};
    return (unsigned)o < ZF_OUTCOME_COUNT ? rank[o] : 0;
}

zf_outcome zf_run_indicator_outcome(const zf_run *run, size_t indicator, size_t year, int region)
{
    zf_outcome o = ZF_OUTCOME_NONE;
    bool found = false;
    for (size_t i = 0; i < run->n_results; i++) {
        const zf_result *r = &run->results[i];
        if (r->indicator != indicator || r->year != year || r->region != region)
            continue;
        zf_outcome own = zf_result_own_outcome(r);
        if (!found || severity(own) > severity(o))
            o = own;
        found = true;
    }
    /* an indicator the run has no row for was not computed: nothing to show but 无数据 */
    return found ? o : ZF_OUTCOME_NO_DATA;
}

size_t zf_run_tally(const zf_run *run, size_t year, size_t count[ZF_OUTCOME_COUNT])
{
    for (size_t k = 0; k < ZF_OUTCOME_COUNT; k++)
        count[k] = 0;
    size_t n = run->defs->plan.n_indicators;
    for (size_t i = 0; i < n; i++)
        count[zf_run_indicator_outcome(run, i, year, 0)]++;
    return n;
}

const char *zf_policy_label(const zf_run *run, const zf_policy_result *p, char *buf, size_t size)
{
    const zf_policy_rule *rule = &run->defs->plan.policies[p->rule];
    const char *region = run->defs->regions.regions[p->region].name;
    if (!rule->per_region || p->n_checked == 0)
        snprintf(buf, size, "%s", rule->title);
    else if (p->n_failed)
        snprintf(buf, size, "%s（%s；%zu个地区中%zu个不符合）", rule->title, region, p->n_checked, p->n_failed);
    else
        snprintf(buf, size, "%s（%zu个地区均符合，值为%s）", rule->title, p->n_checked, region);
    return buf;
}

const char *zf_result_value_text(const zf_result *r, char *buf, size_t size)
{
    if (!r->has_value) {
        snprintf(buf, size, "%s", "");
        return buf;
    }
    switch (r->kind) {
    case ZF_VALUE_RATE: {
        /* 10 significant digits, or more when they would round onto the target
           (0.99999999999 against 100%): machines and auditors read this one */
        zf_frac_sig(r->value, 10, buf, size);
        const char *dot = strchr(buf, '.');
        int have = dot ? (int)strlen(dot + 1) : 0;
        const zf_target *t = r->target;
        if (t && t->cell && t->op != ZF_TARGET_WORD) {
            /* up to 18 decimals: products of zf_frac_cmp stay within 128 bits */
            int need = zf_display_places_max(r->value, (zf_frac){t->num, t->den ? t->den : 1}, have, 18);
            if (need > have)
                zf_frac_fixed(r->value, need, buf, size);
        }
        return buf;
    }
    case ZF_VALUE_AMOUNT:
        /* a ratio kept as an amount (Dazhou 3: 1.2975 against 1.3) is not written 1.30 */
        return zf_frac_fixed(r->value, zf_result_places(r), buf, size);
    case ZF_VALUE_COUNT:
        return zf_frac_fixed(r->value, 0, buf, size);
    case ZF_VALUE_WORD:
        snprintf(buf, size, "%s", r->word ? r->word : "");
        return buf;
    }
    buf[0] = '\0';
    return buf;
}

const char *zf_result_value_display(const zf_result *r, char *buf, size_t size)
{
    if (!r->has_value) {
        snprintf(buf, size, "%s", "—");
        return buf;
    }
    char tmp[64];
    switch (r->kind) {
    case ZF_VALUE_RATE: {
        /* as many digits as keep it off its target (zf_display.h): never 10.0% for 9.994% */
        zf_frac pct = {r->value.n * 100, r->value.d};
        zf_frac_fixed(pct, zf_result_places(r), tmp, sizeof tmp);
        snprintf(buf, size, "%s%%", tmp);
        return buf;
    }
    case ZF_VALUE_AMOUNT: {
        int places = zf_result_places(r);
        zf_i128 scale = 1;
        for (int i = 0; i < places; i++)
            scale *= 10;
        /* the grouped text is made from an int64: a huge amount keeps fewer extra digits */
        zf_i128 whole = r->value.d ? r->value.n / r->value.d : 0;
        if (whole < 0)
            whole = -whole;
        while (places > 2 && whole * scale > (zf_i128)INT64_MAX / 10) {
            places--;
            scale /= 10;
        }
        zf_frac scaled = {r->value.n * scale, r->value.d};
        zf_frac_fixed(scaled, 0, tmp, sizeof tmp);
        long long units = 0;
        sscanf(tmp, "%lld", &units);
        return zf_decimal_grouped(units, places, buf, size);
    }
    default:   /* counts and words read the same for people and machines */
        return zf_result_value_text(r, buf, size);
    }
}
