#include "zf_run.h"

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

int32_t zf_run_reference(const zf_run *run, size_t year_index)
{
    int32_t end = zf_days_from_civil(run->defs->plan.years[year_index], 12, 31);
    return run->as_of < end ? run->as_of : end;
}

bool zf_run_year_open(const zf_run *run, size_t year_index)
{
    return run->as_of < zf_days_from_civil(run->defs->plan.years[year_index], 12, 31);
}

const char *zf_result_value_text(const zf_result *r, char *buf, size_t size)
{
    if (!r->has_value) {
        snprintf(buf, size, "%s", "");
        return buf;
    }
    switch (r->kind) {
    case ZF_VALUE_RATE:
        return zf_frac_sig(r->value, 10, buf, size);
    case ZF_VALUE_AMOUNT:
        return zf_frac_fixed(r->value, 2, buf, size);
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
        zf_frac pct = {r->value.n * 100, r->value.d};
        /* below 1% one decimal hides the difference that matters (﹤0.9%) */
        zf_frac one = {1, 1}, minus_one = {-1, 1};
        bool small = zf_frac_cmp(pct, one) < 0 && zf_frac_cmp(pct, minus_one) > 0;
        zf_frac_fixed(pct, small ? 2 : 1, tmp, sizeof tmp);
        snprintf(buf, size, "%s%%", tmp);
        return buf;
    }
    case ZF_VALUE_AMOUNT: {
        zf_frac cents = {r->value.n * 100, r->value.d};
        zf_frac_fixed(cents, 0, tmp, sizeof tmp);
        long long fen = 0;
        sscanf(tmp, "%lld", &fen);
        return zf_decimal_grouped(fen, 2, buf, size);
    }
    default:   /* counts and words read the same for people and machines */
        return zf_result_value_text(r, buf, size);
    }
}
