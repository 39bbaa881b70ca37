#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "zf_defs.h"

static const char sources_help[] =
    "usage: zhongfu sources [--plan PLAN] [--templates DIR] [SOURCE]\n"
    "\n"
    "The departmental sources a plan reads: for each, its file stem, department, key and\n"
    "columns with type, required/optional and vocabulary.  With SOURCE, only that one.\n";

static void show_source(const zf_source *s)
{
    printf("%s — %s (%s)\n  key:", s->id, s->title ? s->title : "", s->unit ? s->unit : "");
    for (size_t k = 0; k < s->n_key; k++)
        printf("%s%s", k ? " + " : " ", s->columns[s->key[k]].name);
    if (s->encoding && strcmp(s->encoding, "auto"))
        printf("   encoding: %s", s->encoding);
    putchar('\n');
    for (size_t c = 0; c < s->n_columns; c++) {
        const zf_column *col = &s->columns[c];
        printf("  ");
        zf_cli_pad(stdout, col->name, 28);
        printf(" %-12s %-8s", zf_coltype_name(col->type), col->required ? "required" : "optional");
        if (col->has_min)
            printf(" >= %lld", (long long)col->min);
        if (col->has_max)
            printf(" <= %lld", (long long)col->max);
        for (size_t v = 0; v < col->n_vocab; v++)
            printf("%s%s", v ? ", " : " {", col->vocab[v]);
        if (col->n_vocab)
            putchar('}');
        if (col->personal)
            printf(" [personal: masked]");
        putchar('\n');
    }
    for (size_t k = 0; k < s->n_checks; k++) {
        const zf_record_check *ch = &s->checks[k];
        printf("  check:");
        for (size_t i = 0; i < ch->n_left; i++)
            printf("%s%s", i ? " + " : " ", s->columns[ch->left[i]].name);
        printf(" <=");
        for (size_t i = 0; i < ch->n_right; i++)
            printf("%s%s", i ? " + " : " ", s->columns[ch->right[i]].name);
        putchar('\n');
    }
    putchar('\n');
}

int zf_cmd_sources(int argc, char **argv)
{
    static const struct option opts[] = {{"plan", required_argument, 0, 'p'},
                                         {"templates", required_argument, 0, 't'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *plan = "yuyao", *templates = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "p:t:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p': plan = optarg; break;
        case 't': templates = optarg; break;
        case 'h': fputs(sources_help, stdout); return ZF_EXIT_OK;
        default: return zf_cli_usage("sources", sources_help, NULL);
        }
    }
    if (argc - optind > 1)
        return zf_cli_usage("sources", sources_help, "one SOURCE at most");
    char tbuf[4096];
    templates = zf_cli_templates(templates, tbuf, sizeof tbuf);
    if (!zf_cli_plan_known(templates, plan))
        return zf_cli_unknown_plan("sources", templates, plan);
    zf_defs *defs = NULL;
    zf_error err;
    zf_error_clear(&err);
    if (zf_defs_load(&defs, templates, plan, &err) != ZF_OK) {
        zf_cli_error("sources", &err);
        return ZF_EXIT_FAILURE;
    }
    int rc = ZF_EXIT_OK;
    if (optind < argc) {
        int s = zf_sources_find(&defs->sources, argv[optind]);
        if (s < 0) {
            fprintf(stderr, "zhongfu sources: no source '%s' in plan %s\n", argv[optind], plan);
            rc = ZF_EXIT_USAGE;
        } else {
            show_source(&defs->sources.sources[s]);
        }
    } else {
        for (size_t s = 0; s < defs->sources.n_sources; s++)
            show_source(&defs->sources.sources[s]);
    }
    zf_defs_free(defs);
    return rc;
}
