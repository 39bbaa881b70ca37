/* record.c — the code and the Chinese label of every reason a record is refused and of
 * every kind of row that is not a record (zf_record.h).  The codes are the spec's and are
 * written to the CSVs; the labels are what people read. */
#include "zf_record.h"

#include <stdio.h>

static const char *const reason_codes[ZF_REASON_COUNT] = {
    [ZF_REASON_NONE] = "",
    [ZF_REASON_MISSING_REQUIRED] = "missing_required",
    [ZF_REASON_BAD_DATE] = "bad_date",
    [ZF_REASON_DATE_OUT_OF_RANGE] = "date_out_of_range",
    [ZF_REASON_BAD_AMOUNT] = "bad_amount",
    [ZF_REASON_NEGATIVE_AMOUNT] = "negative_amount",
    [ZF_REASON_BAD_INTEGER] = "bad_integer",
    [ZF_REASON_OUT_OF_RANGE] = "out_of_range",
    [ZF_REASON_BAD_YES_NO] = "bad_yes_no",
    [ZF_REASON_BAD_ID] = "bad_id",
    [ZF_REASON_BAD_ID_CHECKSUM] = "bad_id_checksum",
    [ZF_REASON_BAD_CREDIT_CODE] = "bad_credit_code",
    [ZF_REASON_UNKNOWN_ENUM] = "unknown_enum",
    [ZF_REASON_UNKNOWN_REGION] = "unknown_region",
    [ZF_REASON_INCONSISTENT_AMOUNTS] = "inconsistent_amounts",
    [ZF_REASON_DUPLICATE_KEY] = "duplicate_key",
    [ZF_REASON_BAD_DECIMAL] = "bad_decimal",
};

const char *zf_reason_code(zf_reason r)
{
    return (unsigned)r < ZF_REASON_COUNT ? reason_codes[r] : "unknown_reason";
}

static const char *const reason_labels[ZF_REASON_COUNT] = {
    [ZF_REASON_NONE] = "",
    [ZF_REASON_MISSING_REQUIRED] = "必填项为空",
    [ZF_REASON_BAD_DATE] = "日期无法识别",
    [ZF_REASON_DATE_OUT_OF_RANGE] = "日期超出有效范围",
    [ZF_REASON_BAD_AMOUNT] = "金额格式错误",
    [ZF_REASON_NEGATIVE_AMOUNT] = "金额为负数",
    [ZF_REASON_BAD_INTEGER] = "整数格式错误",
    [ZF_REASON_OUT_OF_RANGE] = "数值超出允许范围",
    [ZF_REASON_BAD_YES_NO] = "是/否取值错误",
    [ZF_REASON_BAD_ID] = "身份证号格式错误",
    [ZF_REASON_BAD_ID_CHECKSUM] = "身份证号校验位错误",
    [ZF_REASON_BAD_CREDIT_CODE] = "统一社会信用代码错误",
    [ZF_REASON_UNKNOWN_ENUM] = "取值不在规定选项内",
    [ZF_REASON_UNKNOWN_REGION] = "乡镇街道不在区划表中",
    [ZF_REASON_INCONSISTENT_AMOUNTS] = "金额之间互相矛盾",
    [ZF_REASON_DUPLICATE_KEY] = "编号重复",
    [ZF_REASON_BAD_DECIMAL] = "小数格式错误",
};

const char *zf_reason_label(zf_reason r)
{
    return (unsigned)r < ZF_REASON_COUNT ? reason_labels[r] : "未知原因";
}

const char *zf_reason_both(zf_reason r, char *buf, size_t size)
{
    snprintf(buf, size, "%s (%s)", zf_reason_label(r), zf_reason_code(r));
    return buf;
}

/* Appends s to buf (of size) at *used, as far as it goes. */
static void put(char *buf, size_t size, size_t *used, const char *s)
{
    if (*used >= size)
        return;
    int n = snprintf(buf + *used, size - *used, "%s", s);
    *used = n < 0 ? size : *used + (size_t)n < size ? *used + (size_t)n : size - 1;
}

const char *zf_reason_hint(zf_reason r, const zf_column *col, int max_year, const char *top_region,
                           char *buf, size_t size)
{
    size_t used = 0;
    char num[96];
    buf[0] = '\0';
    if (r == ZF_REASON_UNKNOWN_ENUM && col && col->n_vocab) {
        put(buf, size, &used, "允许的取值：");
        for (size_t i = 0; i < col->n_vocab; i++) {
            put(buf, size, &used, i ? "、" : "");
            put(buf, size, &used, col->vocab[i]);
        }
    } else if (r == ZF_REASON_DATE_OUT_OF_RANGE) {
        snprintf(num, sizeof num, "有效范围：%d-01-01 至 %d-12-31", ZF_DATE_MIN_YEAR, max_year);
        put(buf, size, &used, num);
    } else if (r == ZF_REASON_OUT_OF_RANGE && col && (col->has_min || col->has_max)) {
        put(buf, size, &used, "有效范围：");
        if (col->has_min) {
            snprintf(num, sizeof num, "不小于 %lld", (long long)col->min);
            put(buf, size, &used, num);
        }
        if (col->has_max) {
            snprintf(num, sizeof num, "%s不大于 %lld", col->has_min ? "，" : "", (long long)col->max);
            put(buf, size, &used, num);
        }
    } else if (r == ZF_REASON_BAD_YES_NO) {
        put(buf, size, &used, "允许的取值：是、否（或 Y/N、1/0、yes/no、true/false）");
    } else if (r == ZF_REASON_UNKNOWN_REGION && top_region) {
        snprintf(num, sizeof num, "允许的取值：%s的下级地区（见区划表）", top_region);
        put(buf, size, &used, num);
    }
    return buf;
}

static const char *const kind_names[ZF_ROW_KINDS] = {"记录", "表头以上的标题行", "空行", "合计行", "说明行"};
static const char *const kind_codes[ZF_ROW_KINDS] = {"record", "title", "blank", "total", "note"};

const char *zf_row_kind_name(zf_row_kind k)
{
    return k < ZF_ROW_KINDS ? kind_names[k] : "";
}

const char *zf_row_kind_code(zf_row_kind k)
{
    return k < ZF_ROW_KINDS ? kind_codes[k] : "";
}
