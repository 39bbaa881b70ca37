/* cli.c — what the subcommands share: where the templates are, dates, terminal widths,
 * and how a usage error or an unknown plan is told (one line, a hint, exit 2). */
#include "cli.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "zf_error.h"
#include "zf_value.h"

#ifndef ZF_DATADIR
#define ZF_DATADIR "/usr/local/share/zhongfu"
#endif

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *zf_cli_data_dir(const char *option, const char *env_name, const char *rel, char *buf,
                            size_t size)
{
    if (option)
        return option;
    const char *env = getenv(env_name);
    if (env && *env)
        return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            /* build/zhongfu in a checkout, or bin/zhongfu of an installation */
            const char *tries[] = {"..", "../share/zhongfu"};
            for (size_t i = 0; i < 2; i++)
                if (snprintf(buf, size, "%s/%s/%s", exe, tries[i], rel) < (int)size && is_dir(buf))
                    return buf;
        }
    }
    snprintf(buf, size, "%s/%s", ZF_DATADIR, rel);
    return buf;
}

const char *zf_cli_templates(const char *option, char *buf, size_t size)
{
    return zf_cli_data_dir(option, "ZHONGFU_TEMPLATES", "templates", buf, size);
}

bool zf_cli_parse_date(const char *s, int32_t *days)
{
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || !zf_date_valid(y, m, d))
        return false;
    *days = zf_days_from_civil(y, m, d);
    return true;
}

int32_t zf_cli_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    return zf_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int zf_cli_width(const char *s)
{
    int w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        unsigned cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
        for (int i = 1; i < len && p[i]; i++)
            cp = (cp << 6) | (p[i] & 0x3F);
        /* East Asian wide: CJK, full-width forms, Hangul */
        bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                    (cp >= 0xFE30 && cp <= 0xFE6F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                    (cp >= 0xFFE0 && cp <= 0xFFE6);
        w += wide ? 2 : 1;
        for (int i = 0; i < len && *p; i++)
            p++;
    }
    return w;
}

void zf_cli_pad(FILE *f, const char *s, int width)
{
    fputs(s, f);
    for (int w = zf_cli_width(s); w < width; w++)
        fputc(' ', f);
}

void zf_cli_error(const char *what, const zf_error *err)
{
    char buf[2048];
    fprintf(stderr, "zhongfu: %s%s%s\n", what ? what : "", what ? ": " : "",
            zf_error_format(err, buf, sizeof buf));
}

int zf_cli_usage(const char *cmd, const char *help, const char *what)
{
    /* one line and a hint: the whole help scrolled the actual mistake off the screen */
    if (what)
        fprintf(stderr, "zhongfu %s: %s\n", cmd, what);
    size_t n = strcspn(help, "\n");
    fprintf(stderr, "%.*s\n", (int)n, help);
    fprintf(stderr, "(zhongfu %s --help: every option)\n", cmd);
    return ZF_EXIT_USAGE;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t zf_cli_plan_names(const char *templates, char **names, size_t cap)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/plans", templates);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && n < cap) {
        size_t len = strlen(de->d_name);
        if (len > 5 && de->d_name[0] != '.' && !strcmp(de->d_name + len - 5, ".json")) {
            names[n] = strndup(de->d_name, len - 5);
            if (names[n])
                n++;
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    return n;
}

bool zf_cli_plan_known(const char *templates, const char *plan)
{
    /* a plan is a name, never a path: "../x" or "a/b" is no plan of the templates */
    if (!plan || !*plan || strchr(plan, '/') || plan[0] == '.')
        return false;
    char path[4096];
    struct stat st;
    return snprintf(path, sizeof path, "%s/plans/%s.json", templates, plan) < (int)sizeof path &&
           stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int zf_cli_unknown_plan(const char *cmd, const char *templates, const char *plan)
{
    char *names[256];
    size_t n = zf_cli_plan_names(templates, names, 256);
    fprintf(stderr, "zhongfu %s: unknown plan '%s'; the plans are: ", cmd, plan ? plan : "");
    for (size_t i = 0; i < n; i++) {
        fprintf(stderr, "%s%s", i ? ", " : "", names[i]);
        free(names[i]);
    }
    fprintf(stderr, "%s\n(zhongfu plan list: with their titles)\n", n ? "" : "(none found)");
    return ZF_EXIT_USAGE;
}
