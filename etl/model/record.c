/* record.c — the code and the Chinese label of every reason a record is refused and of
 * every kind of row that is not a record (zf_record.h).  The codes are the spec's and are
 * written to the CSVs; the labels are what people read. */
#include "zf_record.h"

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
