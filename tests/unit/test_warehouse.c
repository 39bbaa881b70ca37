/* test_warehouse.c — the parts of the warehouse and of the postgres source that need no data:
 * column typing, and (when a PostgreSQL server is reachable through PGHOST etc., as under
 * tests/pg/run) the postgres reader's cells, NULLs, header matching and canonical-text hash.
 * The real warehouse tests are tests/pg/test_warehouse.sh. */
#include "zf_test.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "zf_defs.h"
#include "zf_pgsource.h"
#include "zf_sha256.h"
#include "zf_warehouse.h"

static void test_sql_types(void **state)
{
    (void)state;
    assert_string_equal(zf_warehouse_sql_type(ZF_COL_DATE), "date");
    assert_string_equal(zf_warehouse_sql_type(ZF_COL_AMOUNT), "numeric(18,2)");
    assert_string_equal(zf_warehouse_sql_type(ZF_COL_INTEGER), "bigint");
    assert_string_equal(zf_warehouse_sql_type(ZF_COL_YESNO), "boolean");
    assert_string_equal(zf_warehouse_sql_type(ZF_COL_DECIMAL), "numeric(24,6)");
    assert_string_equal(zf_warehouse_sql_type(ZF_COL_TEXT), "text");
    assert_string_equal(zf_warehouse_sql_type(ZF_COL_CITIZEN_ID), "text");
    assert_string_equal(zf_warehouse_sql_type(ZF_COL_REGION), "text");
    assert_string_equal(zf_warehouse_sql_type(ZF_COL_ENUM), "text");
}

/* every source of the Yuyao definitions gets a table name and columns PostgreSQL keeps whole */
static void test_yuyao_tables(void **state)
{
    (void)state;
    zf_defs *defs = NULL;
    zf_error err;
    assert_int_equal(zf_defs_load(&defs, ZF_TEMPLATES, "yuyao", &err), ZF_OK);
    for (size_t s = 0; s < defs->sources.n_sources; s++) {
        const zf_source *src = &defs->sources.sources[s];
        char table[128];
        zf_warehouse_record_table(src, table, sizeof table);
        assert_int_equal(strncmp(table, "rec_", 4), 0);
        assert_string_equal(table + 4, src->id);
        assert_true(strlen(table) <= 63);
        for (size_t c = 0; c < src->n_columns; c++)
            assert_true(strlen(src->columns[c].name) <= 63);
    }
    zf_defs_free(defs);
}

static void test_unreachable(void **state)
{
    (void)state;
    const char *cols[] = {"x"};
    zf_reader_opts o = {ZF_FORMAT_AUTO, NULL, cols, 1, false, 0};
    zf_reader *r = NULL;
    zf_error err;
    zf_error_clear(&err);
    zf_status st = zf_reader_open_pg(&r, "postgres:t", "host=/nonexistent/zf port=1 connect_timeout=2",
                                     "SELECT 1 AS x", &o, NULL, &err);
    assert_int_equal(st, ZF_ERR_EXTERNAL);
    assert_null(r);
    assert_string_equal(err.file, "postgres:t");
    assert_non_null(strstr(err.message, "cannot connect"));
}

static bool server(void)
{
    if (!getenv("PGHOST"))
        return false;
    PGconn *c = PQconnectdb("connect_timeout=3");
    bool ok = PQstatus(c) == CONNECTION_OK;
    PQfinish(c);
    return ok;
}

static void test_rows(void **state)
{
    (void)state;
    if (!server()) {
        skip();
        return;
    }
    const char *cols[] = {"w", "x", "nope", "z", "户编号"};
    zf_reader_opts o = {ZF_FORMAT_AUTO, NULL, cols, 5, false, 0};
    zf_reader *r = NULL;
    zf_error err;
    zf_error_clear(&err);
    const char *query = "SELECT 'a,b' AS x, NULL::text AS y, ''::text AS z, 'q\"q' AS w, E'l\\nl' AS v,"
                        " ' \u3000HH1\u3000 ' AS \"户编号\" UNION ALL"
                        " SELECT 'c', 'd', NULL, NULL, '', NULL";
    char spool_path[] = "/tmp/zf-test-spool.XXXXXX";
    const int fd = mkstemp(spool_path);
    assert_true(fd >= 0);
    FILE *spool = fdopen(fd, "w");
    assert_non_null(spool);
    assert_int_equal(zf_reader_open_pg(&r, "postgres:t", "env", query, &o, spool, &err), ZF_OK);
    assert_true(zf_reader_is_pg(r));
    assert_true(zf_reader_has_column(r, 0));
    assert_true(zf_reader_has_column(r, 1));
    assert_false(zf_reader_has_column(r, 2));
    assert_true(zf_reader_has_column(r, 3));
    assert_true(zf_reader_has_column(r, 4));
    zf_cell cells[5];
    long line = 0;
    bool more = false;
    assert_int_equal(zf_reader_next(r, cells, &line, &more, &err), ZF_OK);
    assert_true(more);
    assert_int_equal(line, 1);
    assert_int_equal(cells[0].len, 3);
    assert_memory_equal(cells[0].ptr, "q\"q", 3);
    assert_memory_equal(cells[1].ptr, "a,b", 3);
    assert_int_equal(cells[2].len, 0);
    assert_int_equal(cells[3].len, 0);
    assert_int_equal(cells[4].len, 3);   /* trimmed of ASCII and full-width spaces */
    assert_memory_equal(cells[4].ptr, "HH1", 3);
    assert_int_equal(zf_reader_next(r, cells, &line, &more, &err), ZF_OK);
    assert_true(more);
    assert_int_equal(line, 2);
    assert_int_equal(cells[3].len, 0);   /* NULL = empty */
    assert_int_equal(zf_reader_next(r, cells, &line, &more, &err), ZF_OK);
    assert_false(more);
    /* what COPY (query) TO STDOUT WITH (FORMAT csv, HEADER) prints */
    const char *text = "x,y,z,w,v,户编号\n"
                       "\"a,b\",,\"\",\"q\"\"q\",\"l\nl\", \u3000HH1\u3000 \n"
                       "c,d,,,\"\",\n";
    char want[65], got[65];
    uint64_t size = 0;
    assert_int_equal(zf_sha256_buffer(text, strlen(text), want), ZF_OK);
    zf_reader_pg_digest(r, got, &size);
    assert_string_equal(got, want);
    assert_int_equal(size, strlen(text));
    zf_reader_free(r);
    /* the spool is that text, and read back as CSV (audit rerun) it gives the same cells */
    assert_int_equal(fclose(spool), 0);
    char kept[256] = "";
    FILE *f = fopen(spool_path, "r");
    assert_int_equal(fread(kept, 1, sizeof kept - 1, f), strlen(text));
    fclose(f);
    assert_string_equal(kept, text);
    const zf_reader_opts as_csv = {ZF_FORMAT_CSV, "utf-8", cols, 5, false, 0};
    assert_int_equal(zf_reader_open(&r, spool_path, &as_csv, &err), ZF_OK);
    assert_false(zf_reader_has_column(r, 2));
    assert_int_equal(zf_reader_next(r, cells, &line, &more, &err), ZF_OK);
    assert_true(more);
    assert_memory_equal(cells[0].ptr, "q\"q", 3);
    assert_memory_equal(cells[1].ptr, "a,b", 3);
    assert_int_equal(cells[3].len, 0);
    assert_int_equal(cells[4].len, 3);
    assert_memory_equal(cells[4].ptr, "HH1", 3);
    assert_int_equal(zf_reader_next(r, cells, &line, &more, &err), ZF_OK);
    assert_true(more);
    assert_int_equal(line, 4);   /* a line number: the first row held a line break */
    assert_int_equal(cells[0].len, 0);
    assert_memory_equal(cells[1].ptr, "c", 1);
    assert_int_equal(cells[3].len, 0);
    assert_int_equal(zf_reader_next(r, cells, &line, &more, &err), ZF_OK);
    assert_false(more);
    zf_reader_free(r);
    unlink(spool_path);
}

static void test_one_statement(void **state)
{
    (void)state;
    if (!server()) {
        skip();
        return;
    }
    const char *cols[] = {"x"};
    zf_reader_opts o = {ZF_FORMAT_AUTO, NULL, cols, 1, false, 0};
    zf_reader *r = NULL;
    zf_error err;
    zf_error_clear(&err);
    assert_int_equal(zf_reader_open_pg(&r, "postgres:t", "", "SELECT 1 AS x; SELECT 2 AS x", &o, NULL, &err),
                     ZF_ERR_EXTERNAL);
    assert_null(r);
    /* a failure after some rows ends the source with an error, the rows before were delivered */
    assert_int_equal(zf_reader_open_pg(&r, "postgres:t", "", "SELECT (10 / (3 - g))::text AS x FROM generate_series(1, 5) g",
                                       &o, NULL, &err),
                     ZF_OK);
    zf_cell cell;
    long line;
    bool more = true;
    int rows = 0;
    zf_status st = ZF_OK;
    while (more && (st = zf_reader_next(r, &cell, &line, &more, &err)) == ZF_OK)
        rows += more;
    assert_int_equal(st, ZF_ERR_EXTERNAL);
    assert_true(rows <= 2);
    assert_non_null(strstr(err.message, "division by zero"));
    zf_reader_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sql_types),     cmocka_unit_test(test_yuyao_tables),
        cmocka_unit_test(test_unreachable),   cmocka_unit_test(test_rows),
        cmocka_unit_test(test_one_statement),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
