/* charts.c — the run's charts: a trend per numeric indicator (part), the towns of the latest
 * year per indicator computed by town, and a scorecard per responsible unit.
 *
 * Every chart is one gnuplot process started with posix_spawn; its script arrives on a
 * pipe.  Data-derived text is written only inside single-quoted gnuplot strings (double
 * quotes would run backquoted commands) with every label `noenhanced`; data blocks hold
 * numbers only.  Numbers are formatted here, not by printf's locale-dependent %f, and the
 * child runs with LC_NUMERIC=C, so the bytes of a chart depend on the run alone. */
#include "zf_charts.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "zf_text.h"

extern char **environ;

#define FONT "Noto Sans CJK SC"
#define CHART_W 800
#define C_ACTUAL 0x1f5fa8
#define C_TARGET 0xc0392b
#define C_MET 0x2e7d32
#define C_NOT_MET 0xc62828
#define C_NO_DATA 0x9e9e9e
#define C_PROGRESS 0xe08a00
#define C_NEUTRAL 0x1f5fa8

/* ---- the list ------------------------------------------------------------------- */

void zf_chart_list_init(zf_chart_list *list)
{
    zf_arena_init(&list->arena, 16 * 1024);
    list->items = NULL;
    list->n = list->cap = 0;
}

void zf_chart_list_free(zf_chart_list *list)
{
    zf_arena_free(&list->arena);
    free(list->items);
    list->items = NULL;
    list->n = list->cap = 0;
}

static zf_chart *list_add(zf_chart_list *list)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 32;
        zf_chart *items = realloc(list->items, cap * sizeof *items);
        if (!items)
            return NULL;
        list->items = items;
        list->cap = cap;
    }
    zf_chart *c = &list->items[list->n++];
    memset(c, 0, sizeof *c);
    return c;
}

size_t zf_charts_latest_year(const zf_run *run)
{
    return run->n_years ? run->years[run->n_years - 1] : SIZE_MAX;
}

/* ---- running gnuplot ------------------------------------------------------------ */

/* The parent's environment with LC_ALL and LC_NUMERIC replaced by LC_NUMERIC=C: gnuplot
 * must read "0.5" in the script as a number whatever the caller's locale is. */
static char **child_environment(void)
{
    size_t n = 0;
    while (environ && environ[n])
        n++;
    char **env = malloc((n + 2) * sizeof *env);
    if (!env)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "LC_ALL=", 7) != 0 && strncmp(environ[i], "LC_NUMERIC=", 11) != 0)
            env[k++] = environ[i];
    env[k++] = "LC_NUMERIC=C";
    env[k] = NULL;
    return env;
}

/* Write the script; SIGPIPE is blocked meanwhile so a gnuplot that dies early gives EPIPE
 * (reported after waitpid, with gnuplot's message) instead of killing the caller. */
static int write_script(int fd, const char *s, size_t n)
{
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    int rc = 0;
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            rc = errno;
            break;
        }
        s += w;
        n -= (size_t)w;
    }
    if (rc == EPIPE) {
        struct timespec zero = {0, 0};
        sigtimedwait(&pipe_set, NULL, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

static void copy_truncated(char *dst, size_t size, const char *src)
{
    size_t n = zf_utf8_cut(src, strlen(src), size - 1);   /* gnuplot echoes Chinese titles */
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* gnuplot's first error line, for the message: stderr went to an unnamed temporary file. */
static void first_error_line(FILE *errf, char *buf, size_t size)
{
    buf[0] = '\0';
    rewind(errf);
    char line[512];
    while (fgets(line, sizeof line, errf)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strstr(line, "rror") || strstr(line, "line ") || !buf[0])
            copy_truncated(buf, size, line);
        if (strstr(line, "rror"))
            break;
    }
}

static zf_status spawn_failed(int rc, const char *gp, zf_error *err)
{
    if (rc == ENOENT || rc == EACCES || rc == ENOTDIR)
        return zf_error_set(err, ZF_ERR_EXTERNAL, gp, 0, 0, "gnuplot not found: charts skipped");
    return zf_error_set(err, ZF_ERR_EXTERNAL, gp, 0, 0, "cannot start gnuplot: %s", strerror(rc));
}

static zf_status wait_gnuplot(pid_t pid, int write_rc, FILE *errf, const char *what, zf_error *err)
{
    int wstatus = 0;
    while (waitpid(pid, &wstatus, 0) < 0) {
        if (errno != EINTR)
            return zf_error_set(err, ZF_ERR_EXTERNAL, what, 0, 0, "waitpid: %s", strerror(errno));
    }
    if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0 && write_rc == 0)
        return ZF_OK;
    /* POSIX lets posix_spawn report a failed exec as exit status 127 of the child
     * (valgrind's does); gnuplot itself never exits with 127 */
    if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 127)
        return zf_error_set(err, ZF_ERR_EXTERNAL, what, 0, 0, "gnuplot not found: charts skipped");
    char msg[400];
    first_error_line(errf, msg, sizeof msg);
    if (WIFSIGNALED(wstatus))
        return zf_error_set(err, ZF_ERR_EXTERNAL, what, 0, 0, "gnuplot killed by signal %d: %s",
                            WTERMSIG(wstatus), msg);
    return zf_error_set(err, ZF_ERR_EXTERNAL, what, 0, 0, "gnuplot failed (exit %d): %s",
                        WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1, msg);
}

/* Run gnuplot with script on its stdin; stdout and stderr go to a temporary file that is
 * read only when gnuplot fails. */
static zf_status run_gnuplot(const char *gp, const char *script, size_t len, const char *what,
                             zf_error *err)
{
    zf_status st = ZF_OK;
    int fds[2] = {-1, -1};
    char **env = NULL;
    FILE *errf = tmpfile();
    posix_spawn_file_actions_t fa;
    bool fa_ok = false;
    if (!errf || !(env = child_environment())) {
        st = zf_error_set(err, ZF_ERR_NOMEM, what, 0, 0, "no temporary file or memory for gnuplot");
        goto cleanup;
    }
    /* close-on-exec on both ends: the child must not hold the write end, or it never sees EOF */
    if (pipe(fds) != 0 || fcntl(fds[0], F_SETFD, FD_CLOEXEC) != 0 ||
        fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0) {
        st = zf_error_set(err, ZF_ERR_IO, what, 0, 0, "pipe: %s", strerror(errno));
        goto cleanup;
    }
    int rc = posix_spawn_file_actions_init(&fa);
    fa_ok = rc == 0;
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&fa, fds[0], 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&fa, fileno(errf), 1);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&fa, fileno(errf), 2);
    pid_t pid = 0;
    char *argv[] = {(char *)gp, NULL};
    if (rc == 0)
        rc = posix_spawnp(&pid, gp, &fa, NULL, argv, env);
    if (rc != 0) {
        st = spawn_failed(rc, gp, err);
        goto cleanup;
    }
    close(fds[0]);
    fds[0] = -1;
    int wrc = write_script(fds[1], script, len);
    close(fds[1]);
    fds[1] = -1;
    st = wait_gnuplot(pid, wrc, errf, what, err);
cleanup:
    if (fa_ok)
        posix_spawn_file_actions_destroy(&fa);
    if (fds[0] >= 0)
        close(fds[0]);
    if (fds[1] >= 0)
        close(fds[1]);
    if (errf)
        fclose(errf);
    free(env);
    return st;
}

/* ---- script text ---------------------------------------------------------------- */

/* A single-quoted gnuplot string: ' is doubled, control characters (a newline would end
 * the command) become spaces.  tic: explicit tic labels are printf formats, so % doubles. */
static void put_q(FILE *f, const char *s, bool tic)
{
    fputc('\'', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\'')
            fputs("''", f);
        else if (c == '%' && tic)
            fputs("%%", f);
        else if (c < 0x20 || c == 0x7f)
            fputc(' ', f);
        else
            fputc(c, f);
    }
    fputc('\'', f);
}

static void put_path(FILE *f, const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (!p) {
        fputs("''", f); /* the memstream will still be checked; an empty output name fails */
        return;
    }
    snprintf(p, n, "%s/%s", dir, name);
    put_q(f, p, false);
    free(p);
}

/* x with `places` decimals, optionally with thousands separators, without the locale. */
static char *fmt_num(double x, int places, bool group, char *buf, size_t size)
{
    long long p10 = 1;
    places = places < 0 ? 0 : places > 9 ? 9 : places;
    for (int i = 0; i < places; i++)
        p10 *= 10;
    double scaled = x * (double)p10;
    if (!isfinite(scaled) || fabs(scaled) > 9e15)
        scaled = 0;
    long long v = llround(scaled);
    bool neg = v < 0;
    unsigned long long a = neg ? (unsigned long long)(-v) : (unsigned long long)v;
    char digits[32];
    snprintf(digits, sizeof digits, "%llu", a / (unsigned long long)p10);
    char ip[48];
    size_t nd = strlen(digits), k = 0;
    for (size_t i = 0; i < nd; i++) {
        if (group && i > 0 && (nd - i) % 3 == 0)
            ip[k++] = ',';
        ip[k++] = digits[i];
    }
    ip[k] = '\0';
    char frac[16] = "";
    unsigned long long rest = a % (unsigned long long)p10;
    if (places > 0) {
        frac[0] = '.';
        for (int i = places; i > 0; i--, rest /= 10)
            frac[i] = (char)('0' + rest % 10);
        frac[places + 1] = '\0';
    }
    snprintf(buf, size, "%s%s%s", neg ? "-" : "", ip, frac);
    return buf;
}

/* A coordinate in the script: six decimals are finer than any pixel. */
static void put_num(FILE *f, double x)
{
    char b[48];
    fputs(fmt_num(x, 6, false, b, sizeof b), f);
}

static void put_rgb(FILE *f, int rgb)
{
    fprintf(f, "rgb '#%06x'", (unsigned)rgb);
}

/* ---- numbers of the run --------------------------------------------------------- */

static bool numeric_kind(zf_value_kind k)
{
    return k == ZF_VALUE_RATE || k == ZF_VALUE_AMOUNT || k == ZF_VALUE_COUNT;
}

/* Rates are drawn in percent. */
static double chart_y(zf_frac v, zf_value_kind k)
{
    double y = zf_frac_to_double(v);
    return k == ZF_VALUE_RATE ? y * 100.0 : y;
}

static bool result_y(const zf_result *r, double *y)
{
    if (!r || !r->has_value || !numeric_kind(r->kind))
        return false;
    *y = chart_y(r->value, r->kind);
    return true;
}

static bool target_y(const zf_target *t, zf_value_kind k, double *y)
{
    if (!t || !t->cell || t->op == ZF_TARGET_WORD || t->den == 0)
        return false;
    zf_frac f = {t->num, t->den};
    if (t->den < 0) {
        f.n = -f.n;
        f.d = -f.d;
    }
    *y = chart_y(f, k);
    return true;
}

static const zf_result *find_result(const zf_run *run, size_t ind, size_t part, size_t year,
                                    int region)
{
    for (size_t i = 0; i < run->n_results; i++) {
        const zf_result *r = &run->results[i];
        if (r->indicator == ind && r->part == part && r->year == year && r->region == region)
            return r;
    }
    return NULL;
}

/* The row's own target, else the indicator's for that year. */
static const zf_target *year_target(const zf_run *run, const zf_result *r, size_t ind, size_t year)
{
    if (r && r->target)
        return r->target;
    const zf_indicator *in = &run->defs->plan.indicators[ind];
    return in->targets ? &in->targets[year] : NULL;
}

/* ---- axes ----------------------------------------------------------------------- */

typedef struct axis {
    double lo, hi, step;
    int places;
} axis;

/* Round [lo, hi] out to about five steps of 1, 2 or 5 × 10^k. */
static axis nice_axis(double lo, double hi, bool integral)
{
    axis a;
    if (!(hi > lo)) {
        double pad = fabs(hi) > 0 ? fabs(hi) * 0.1 : 1.0;
        lo -= pad;
        hi += pad;
    }
    double raw = (hi - lo) / 5.0;
    double mag = pow(10.0, floor(log10(raw)));
    double norm = raw / mag;
    a.step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
    if (integral && a.step < 1)
        a.step = 1;
    a.lo = floor(lo / a.step + 1e-9) * a.step;
    a.hi = ceil(hi / a.step - 1e-9) * a.step;
    a.places = a.step >= 1 ? 0 : (int)ceil(-log10(a.step) - 1e-9);
    if (a.places > 6)
        a.places = 6;
    return a;
}

/* `set xtics (...)` / `set ytics (...)` with our own labels: "80%", "12,000". */
static void put_tics(FILE *f, const char *which, axis a, zf_value_kind k)
{
    fprintf(f, "set %srange [", which);
    put_num(f, a.lo);
    fputc(':', f);
    put_num(f, a.hi);
    fprintf(f, "]\nset %stics (", which);
    int n = (int)llround((a.hi - a.lo) / a.step);
    for (int i = 0; i <= n && i <= 50; i++) {
        double v = a.lo + a.step * i;
        char b[64], label[72];
        fmt_num(v, a.places, k != ZF_VALUE_RATE, b, sizeof b);
        snprintf(label, sizeof label, "%s%s", b, k == ZF_VALUE_RATE ? "%" : "");
        if (i)
            fputs(", ", f);
        put_q(f, label, true);
        fputc(' ', f);
        put_num(f, v);
    }
    fputs(")\n", f);
}

/* ---- one chart: the frame around its commands --------------------------------------- */

typedef struct chart_ctx {
    const zf_run *run;
    const char *dir;
    const char *gnuplot;
    zf_chart_list *list;
} chart_ctx;

static void begin_script(FILE *f, const char *dir, const zf_chart *c)
{
    fputs("set encoding utf8\n", f);
    fprintf(f, "set terminal pngcairo size %d,%d font '" FONT ",13' noenhanced background '#ffffff'\n",
            c->width, c->height);
    fputs("set output ", f);
    put_path(f, dir, c->png);
    fputs("\nset title ", f);
    put_q(f, c->title, false);
    fputs(" noenhanced font '" FONT ",15'\n", f);
    fputs("set border 3 lc rgb '#555555'\nset tics nomirror\n", f);
    fputs("set key noenhanced\n", f);
}

static void end_script(FILE *f, const char *dir, const zf_chart *c)
{
    fprintf(f, "\nset terminal svg size %d,%d font '" FONT ",13' noenhanced background '#ffffff'\n",
            c->width, c->height);
    fputs("set output ", f);
    put_path(f, dir, c->svg);
    fputs("\nreplot\nunset output\n", f);
}

/* Finish the script in f (a memstream over *buf) and run it. */
static zf_status finish_chart(chart_ctx *cx, const zf_chart *c, FILE *f, char **buf, size_t *len,
                              zf_error *err)
{
    end_script(f, cx->dir, c);
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad)
        return zf_error_set(err, ZF_ERR_NOMEM, c->png, 0, 0, "cannot build the gnuplot script");
    return run_gnuplot(cx->gnuplot, *buf, *len, c->png, err);
}

static char *arena_text(zf_arena *a, const char *s)
{
    return zf_arena_strdup(a, s ? s : "");
}

/* "7. 困难群众探访关爱率（探访关爱率）" */
static const char *indicator_title(zf_arena *a, const zf_indicator *in, size_t part, const char *suffix)
{
    const char *pn = in->n_parts > 1 ? in->parts[part].name : "";
    size_t n = strlen(in->name) + strlen(pn) + strlen(suffix) + 48;
    char *t = zf_arena_alloc(a, n);
    if (t)
        snprintf(t, n, "%d. %s%s%s%s%s", in->number, in->name, *pn ? "（" : "", pn, *pn ? "）" : "",
                 suffix);
    return t;
}

static void chart_names(zf_chart *c, const char *kind, const zf_indicator *in, size_t part)
{
    if (in->n_parts > 1) {
        snprintf(c->png, sizeof c->png, "%s-%d-%zu.png", kind, in->number, part + 1);
        snprintf(c->svg, sizeof c->svg, "%s-%d-%zu.svg", kind, in->number, part + 1);
    } else {
        snprintf(c->png, sizeof c->png, "%s-%d.png", kind, in->number);
        snprintf(c->svg, sizeof c->svg, "%s-%d.svg", kind, in->number);
    }
}

/* ---- trend ---------------------------------------------------------------------- */

typedef struct trend_pt {
    int year;
    bool has, open;
    double y;
    const char *text;      /* value as displayed, for the alt text */
    bool has_t;
    double t;
    const char *t_cell;
} trend_pt;

static void trend_block(FILE *f, const char *name, const trend_pt *p, size_t n, int which)
{
    fprintf(f, "$%s << EOD\n", name);
    for (size_t i = 0; i < n; i++) {
        bool want = which == 0 ? p[i].has : which == 1 ? p[i].has && !p[i].open
                  : which == 2 ? p[i].has && p[i].open : p[i].has_t;
        if (!want) {
            if (which == 0)
                fputc('\n', f); /* a year without a value breaks the line */
            continue;
        }
        fprintf(f, "%d ", p[i].year);
        put_num(f, which == 3 ? p[i].t : p[i].y);
        fputc('\n', f);
    }
    fputs("EOD\n", f);
}

static axis trend_axis(const trend_pt *p, size_t n, zf_value_kind k)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (p[i].has) {
            lo = fmin(lo, p[i].y);
            hi = fmax(hi, p[i].y);
        }
        if (p[i].has_t) {
            lo = fmin(lo, p[i].t);
            hi = fmax(hi, p[i].t);
        }
    }
    if (lo > hi)
        lo = hi = 0;
    double pad = (hi - lo) * 0.2;
    bool nonneg = lo >= 0;
    lo -= pad;
    hi += pad;
    if (nonneg && lo < 0)
        lo = 0;
    return nice_axis(lo, hi, k == ZF_VALUE_COUNT);
}

static void trend_plot(FILE *f, const trend_pt *p, size_t n)
{
    bool any = false, closed = false, open = false, tgt = false;
    for (size_t i = 0; i < n; i++) {
        any |= p[i].has;
        closed |= p[i].has && !p[i].open;
        open |= p[i].has && p[i].open;
        tgt |= p[i].has_t;
        if (p[i].has && p[i].open) {
            fputs("set label '进行中' at ", f);
            fprintf(f, "%d,", p[i].year);
            put_num(f, p[i].y);
            fputs(" center offset 0,1.5 noenhanced tc ", f);
            put_rgb(f, C_PROGRESS);
            fputc('\n', f);
        }
    }
    if (!any && !tgt)
        fputs("set label '无数据' at graph 0.5, graph 0.5 center noenhanced tc rgb '#757575'\n", f);
    fputs("plot NaN notitle", f);
    if (any) {
        fputs(", $actual using 1:2 with lines lw 2.5 lc ", f);
        put_rgb(f, C_ACTUAL);
        fputs(" title '实际值'", f);
    }
    if (closed) {
        fputs(", $closed using 1:2 with points pt 7 ps 1.3 lc ", f);
        put_rgb(f, C_ACTUAL);
        fputs(" notitle", f);
    }
    if (open) {
        fputs(", $open using 1:2 with points pt 7 ps 1.6 lc rgb '#ffffff' notitle", f);
        fputs(", $open using 1:2 with points pt 6 ps 1.6 lw 2 lc ", f);
        put_rgb(f, C_PROGRESS);
        fputs(" title '进行中（暂定值）'", f);
    }
    if (tgt) {
        fputs(", $target using 1:2 with linespoints dt 2 lw 2 pt 2 ps 1.1 lc ", f);
        put_rgb(f, C_TARGET);
        fputs(" title '目标值'", f);
    }
    fputc('\n', f);
}

/* "实际值：2021年 80.0%、2022年 83.1%（进行中）；目标值：2021年 82%、…" */
static const char *trend_alt(zf_arena *a, const char *title, const trend_pt *p, size_t n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    fprintf(f, "%s，历年实际值与目标值。实际值：", title);
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        if (!p[i].has)
            continue;
        fprintf(f, "%s%d年 %s%s", first ? "" : "、", p[i].year, p[i].text, p[i].open ? "（进行中）" : "");
        first = false;
    }
    fputs(first ? "无数据" : "", f);
    fputs("；目标值：", f);
    first = true;
    for (size_t i = 0; i < n; i++) {
        if (!p[i].has_t)
            continue;
        fprintf(f, "%s%d年 %s", first ? "" : "、", p[i].year, p[i].t_cell);
        first = false;
    }
    fputs(first ? "无。" : "。", f);
    const char *out = NULL;
    if (fclose(f) == 0)
        out = zf_arena_strdup(a, buf);
    free(buf);
    return out;
}

static zf_status trend_points(chart_ctx *cx, size_t ind, size_t part, trend_pt *p, zf_error *err)
{
    const zf_run *run = cx->run;
    zf_value_kind k = run->defs->plan.indicators[ind].parts[part].rule.value_kind;
    for (size_t j = 0; j < run->n_years; j++) {
        size_t y = run->years[j];
        const zf_result *r = find_result(run, ind, part, y, 0);
        const zf_target *t = year_target(run, r, ind, y);
        p[j].year = run->defs->plan.years[y];
        p[j].has = result_y(r, &p[j].y);
        p[j].open = r && r->outcome == ZF_OUTCOME_IN_PROGRESS;
        p[j].has_t = target_y(t, k, &p[j].t);
        p[j].t_cell = p[j].has_t ? t->cell : "";
        if (p[j].has) {
            char b[96];
            p[j].text = arena_text(&cx->list->arena, zf_result_value_display(r, b, sizeof b));
            if (!p[j].text)
                return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory (chart text)");
        }
    }
    return ZF_OK;
}

static zf_status chart_trend(chart_ctx *cx, size_t ind, size_t part, zf_error *err)
{
    const zf_run *run = cx->run;
    const zf_indicator *in = &run->defs->plan.indicators[ind];
    zf_value_kind k = in->parts[part].rule.value_kind;
    trend_pt *p = calloc(run->n_years, sizeof *p);
    char *buf = NULL;
    size_t len = 0;
    zf_status st = ZF_OK;
    zf_chart *c = list_add(cx->list);
    if (!p || !c) {
        st = zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory (trend chart)");
        goto cleanup;
    }
    c->kind = ZF_CHART_TREND;
    c->indicator = ind;
    c->part = part;
    c->width = CHART_W;
    c->height = 480;
    chart_names(c, "trend", in, part);
    c->title = indicator_title(&cx->list->arena, in, part, "");
    if ((st = trend_points(cx, ind, part, p, err)) != ZF_OK)
        goto cleanup;
    c->alt = c->title ? trend_alt(&cx->list->arena, c->title, p, run->n_years) : NULL;
    FILE *f = open_memstream(&buf, &len);
    if (!c->title || !c->alt || !f) {
        st = zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory (trend chart)");
        goto cleanup;
    }
    begin_script(f, cx->dir, c);
    trend_block(f, "actual", p, run->n_years, 0);
    trend_block(f, "closed", p, run->n_years, 1);
    trend_block(f, "open", p, run->n_years, 2);
    trend_block(f, "target", p, run->n_years, 3);
    fprintf(f, "set xrange [%d.5:%d.5]\nset xtics (", p[0].year - 1, p[run->n_years - 1].year);
    for (size_t j = 0; j < run->n_years; j++)
        fprintf(f, "%s'%d' %d", j ? ", " : "", p[j].year, p[j].year);
    fputs(")\n", f);
    put_tics(f, "y", trend_axis(p, run->n_years, k), k);
    fputs("set grid ytics lc rgb '#e0e0e0'\nset key bmargin center horizontal reverse Left samplen 2 width 2\n", f);
    trend_plot(f, p, run->n_years);
    st = finish_chart(cx, c, f, &buf, &len, err);
cleanup:
    free(buf);
    free(p);
    return st;
}

/* ---- towns ---------------------------------------------------------------------- */

typedef struct town_bar {
    int region;
    const zf_result *r;
    bool has;
    double y;
} town_bar;

/* Highest value first, towns without a value last, ties in region-reference order. */
static int town_cmp(const void *a, const void *b)
{
    const town_bar *x = a, *y = b;
    if (x->has != y->has)
        return x->has ? -1 : 1;
    if (x->has) {
        int c = zf_frac_cmp(y->r->value, x->r->value);
        if (c)
            return c;
    }
    return (x->region > y->region) - (x->region < y->region);
}

static size_t town_bars(const zf_run *run, size_t ind, size_t part, size_t year, town_bar *out)
{
    size_t n = 0;
    for (size_t i = 0; i < run->n_results; i++) {
        const zf_result *r = &run->results[i];
        if (r->indicator != ind || r->part != part || r->year != year || r->region <= 0)
            continue;
        if (run->defs->regions.regions[r->region].parent != 0)
            continue;   /* a deeper tree (province → cities → counties): the top's children only */
        out[n].region = r->region;
        out[n].r = r;
        out[n].has = result_y(r, &out[n].y);
        n++;
    }
    qsort(out, n, sizeof *out, town_cmp);
    return n;
}

static int outcome_rgb(zf_outcome o)
{
    switch (o) {
    case ZF_OUTCOME_MET: return C_MET;
    case ZF_OUTCOME_NOT_MET: return C_NOT_MET;
    case ZF_OUTCOME_IN_PROGRESS: return C_PROGRESS;
    case ZF_OUTCOME_NO_DATA: return C_NO_DATA;
    default: return C_NEUTRAL;
    }
}

static void town_labels(FILE *f, const zf_region_tree *t, const town_bar *b, size_t n)
{
    fputs("set ytics scale 0 (", f);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        put_q(f, t->regions[b[i].region].name, true);
        fprintf(f, " %zu", n - i);
    }
    fputs(")\n", f);
    for (size_t i = 0; i < n; i++) {
        char v[96];
        const char *text = b[i].has ? zf_result_value_display(b[i].r, v, sizeof v) : "无数据";
        fputs("set label ", f);
        put_q(f, text, false);
        fputs(" at ", f);
        put_num(f, b[i].has ? b[i].y : 0);
        fprintf(f, ",%zu %s noenhanced front boxed tc %s", n - i,
                b[i].has && b[i].y < 0 ? "right offset -0.6,0" : "left offset 0.6,0",
                b[i].has ? "rgb '#333333'" : "rgb '#757575'");
        fputc('\n', f);
    }
}

static void town_block(FILE *f, const town_bar *b, size_t n)
{
    fputs("$bars << EOD\n", f);
    for (size_t i = 0; i < n; i++) {
        if (!b[i].has)
            continue;
        put_num(f, b[i].y / 2);
        fprintf(f, " %zu ", n - i);
        put_num(f, fabs(b[i].y) / 2);
        fprintf(f, " %d\n", outcome_rgb(zf_result_own_outcome(b[i].r)));   /* a part's own colour */
    }
    fputs("EOD\n", f);
}

static axis town_axis(const town_bar *b, size_t n, bool has_t, double t, zf_value_kind k)
{
    double lo = 0, hi = 0;
    for (size_t i = 0; i < n; i++)
        if (b[i].has) {
            lo = fmin(lo, b[i].y);
            hi = fmax(hi, b[i].y);
        }
    if (has_t) {
        lo = fmin(lo, t);
        hi = fmax(hi, t);
    }
    double room = (hi - lo) * 0.18; /* for the value labels beside the bars */
    /* a rate axis ends at 100%: the labels may run into the right margin */
    if (k == ZF_VALUE_RATE && hi <= 100 && hi + room > 100)
        room = 100 - hi;
    return nice_axis(lo < 0 ? lo - room : 0, hi + room, k == ZF_VALUE_COUNT);
}

static void town_target(FILE *f, double ty)
{
    fputs("set arrow 1 from ", f);
    put_num(f, ty);
    fputs(", graph 0 to ", f);
    put_num(f, ty);
    fputs(", graph 1 nohead back lw 2 dt 2 lc ", f);
    put_rgb(f, C_TARGET);
    fputc('\n', f);
}

static void town_plot(FILE *f, const town_bar *b, size_t n, const zf_target *t, bool has_t, double ty)
{
    bool any = false, seen[ZF_OUTCOME_COUNT] = {false};
    for (size_t i = 0; i < n; i++)
        if (b[i].has) {
            any = true;
            seen[zf_result_own_outcome(b[i].r)] = true;
        }
    if (has_t)
        town_target(f, ty);
    fputs("plot NaN notitle", f);
    if (any)
        fputs(", $bars using 1:2:3:(0.32):4 with boxxyerror fs solid 0.85 noborder lc rgb variable notitle", f);
    static const zf_outcome keyed[] = {ZF_OUTCOME_MET, ZF_OUTCOME_NOT_MET, ZF_OUTCOME_IN_PROGRESS};
    static const char *const names[] = {"达标", "未达标", "进行中"};
    for (size_t i = 0; i < 3; i++)
        if (seen[keyed[i]]) {
            fputs(", NaN with boxes fs solid 0.85 noborder lc ", f);
            put_rgb(f, outcome_rgb(keyed[i]));
            fprintf(f, " title '%s'", names[i]);
        }
    if (has_t) {
        char label[128];
        snprintf(label, sizeof label, "目标 %s", t->cell);
        fputs(", NaN with lines dt 2 lw 2 lc ", f);
        put_rgb(f, C_TARGET);
        fputs(" title ", f);
        put_q(f, label, false);
    }
    fputc('\n', f);
}

static const char *towns_alt(zf_arena *a, const zf_run *run, const char *title, const town_bar *b,
                             size_t n, const zf_target *t, bool has_t)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    fprintf(f, "%s，按数值从高到低：", title);
    for (size_t i = 0; i < n; i++) {
        char v[96];
        fprintf(f, "%s%s %s", i ? "、" : "", run->defs->regions.regions[b[i].region].name,
                b[i].has ? zf_result_value_display(b[i].r, v, sizeof v) : "无数据");
    }
    if (has_t)
        fprintf(f, "；目标 %s", t->cell);
    fputs("。", f);
    const char *out = NULL;
    if (fclose(f) == 0)
        out = zf_arena_strdup(a, buf);
    free(buf);
    return out;
}

static zf_status chart_towns(chart_ctx *cx, size_t ind, size_t part, size_t year, zf_error *err)
{
    const zf_run *run = cx->run;
    const zf_indicator *in = &run->defs->plan.indicators[ind];
    zf_value_kind k = in->parts[part].rule.value_kind;
    town_bar *b = calloc(run->n_results ? run->n_results : 1, sizeof *b);
    char *buf = NULL, suffix[64];
    size_t len = 0, n = b ? town_bars(run, ind, part, year, b) : 0;
    zf_status st = ZF_OK;
    if (b && n == 0)
        goto cleanup; /* no town rows: nothing to draw */
    zf_chart *c = b ? list_add(cx->list) : NULL;
    if (!c) {
        st = zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory (town chart)");
        goto cleanup;
    }
    c->kind = ZF_CHART_TOWNS;
    c->indicator = ind;
    c->part = part;
    c->width = CHART_W;
    c->height = 160 + 30 * (int)n;
    chart_names(c, "towns", in, part);
    snprintf(suffix, sizeof suffix, "：各乡镇（街道）%d年", run->defs->plan.years[year]);
    c->title = indicator_title(&cx->list->arena, in, part, suffix);
    /* A count's target is the city's total; only a rate's target applies to every town. */
    const zf_target *t = b[0].r->target;
    double ty = 0;
    bool has_t = target_y(t, k, &ty);
    c->alt = c->title ? towns_alt(&cx->list->arena, run, c->title, b, n, t, has_t) : NULL;
    FILE *f = open_memstream(&buf, &len);
    if (!c->title || !c->alt || !f) {
        st = zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory (town chart)");
        goto cleanup;
    }
    begin_script(f, cx->dir, c);
    town_block(f, b, n);
    fprintf(f, "set yrange [0.4:%zu.6]\n", n);
    town_labels(f, &run->defs->regions, b, n);
    put_tics(f, "x", town_axis(b, n, has_t, ty, k), k);
    fputs("set grid xtics lc rgb '#e0e0e0'\nset key bmargin center horizontal reverse Left samplen 2 width 2\n", f);
    fputs("set rmargin 9\nset style textbox opaque noborder margins 1,1\n", f);
    town_plot(f, b, n, t, has_t, ty);
    st = finish_chart(cx, c, f, &buf, &len, err);
cleanup:
    free(buf);
    free(b);
    return st;
}

/* ---- scorecard ------------------------------------------------------------------ */

/* The last slot, an indicator without a target this year (Dazhou), keeps the bars adding
 * up to the page's count; it gets a key entry only when some unit has one. */
#define N_SCORE 5
#define SCORE_UNTARGETED 4
static const zf_outcome score_outcomes[N_SCORE] = {ZF_OUTCOME_MET, ZF_OUTCOME_NOT_MET,
                                                   ZF_OUTCOME_NO_DATA, ZF_OUTCOME_IN_PROGRESS,
                                                   ZF_OUTCOME_NONE};
static const char *const score_names[N_SCORE] = {"达标", "未达标", "无数据", "进行中", "未设目标"};

/* Not judged is no status: a muted blue-grey, apart from 无数据's grey and from every
 * status colour (the neutral blue read like one more category). */
static int score_rgb(int slot)
{
    return slot == SCORE_UNTARGETED ? 0x90A4AE : outcome_rgb(score_outcomes[slot]);
}

typedef struct unit_score {
    const char *unit;
    int count[N_SCORE];
    int total;
} unit_score;

static int score_slot(zf_outcome o)
{
    for (int i = 0; i < N_SCORE; i++)
        if (score_outcomes[i] == o)
            return i;
    return -1;
}

static size_t unit_index(unit_score *u, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(u[i].unit, name) == 0)
            return i;
    u[*n].unit = name;
    return (*n)++;
}

/* Every indicator counts once for each of its responsible units, in plan order, by its
 * combined verdict (parts nested, as the page and the workbook count them). */
static size_t score_units(const zf_run *run, size_t year, unit_score *u)
{
    const zf_plan *plan = &run->defs->plan;
    size_t n = 0;
    for (size_t i = 0; i < plan->n_indicators; i++) {
        int slot = score_slot(zf_run_indicator_outcome(run, i, year, 0));
        for (size_t k = 0; k < plan->indicators[i].n_units; k++) {
            size_t x = unit_index(u, &n, plan->indicators[i].units[k]);
            if (slot >= 0) {
                u[x].count[slot]++;
                u[x].total++;
            }
        }
    }
    return n;
}

static void score_segments(FILE *f, const unit_score *u, size_t n)
{
    for (int s = 0; s < N_SCORE; s++) {
        fprintf(f, "$s%d << EOD\n", s);
        for (size_t i = 0; i < n; i++) {
            int x0 = 0, c = u[i].count[s];
            for (int k = 0; k < s; k++)
                x0 += u[i].count[k];
            if (!c)
                continue;
            /* box centre and half width; the count is printed in the middle of the box */
            put_num(f, x0 + c / 2.0);
            fprintf(f, " %zu ", n - i);
            put_num(f, c / 2.0);
            fprintf(f, " %d\n", c);
        }
        fputs("EOD\n", f);
    }
}

static void score_plot(FILE *f, const unit_score *u, size_t n)
{
    int max = 1;
    fputs("set ytics scale 0 (", f);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        put_q(f, u[i].unit, true);
        fprintf(f, " %zu", n - i);
        max = u[i].total > max ? u[i].total : max;
    }
    fprintf(f, ")\nset yrange [0.4:%zu.6]\n", n);
    put_tics(f, "x", nice_axis(0, max, true), ZF_VALUE_COUNT);
    fputs("set grid xtics lc rgb '#e0e0e0'\nset key bmargin center horizontal reverse Left samplen 2 width 2\nplot NaN notitle", f);
    bool untargeted = false;
    for (size_t i = 0; i < n; i++)
        untargeted = untargeted || u[i].count[SCORE_UNTARGETED] > 0;
    for (int s = 0; s < N_SCORE; s++) {
        if (s == SCORE_UNTARGETED && !untargeted)
            continue;
        fprintf(f, ", $s%d using 1:2:3:(0.32) with boxxyerror fs solid 0.9 noborder lc ", s);
        put_rgb(f, score_rgb(s));
        fprintf(f, " notitle, $s%d using 1:2:4 with labels tc rgb '#ffffff' notitle", s);
        fputs(", NaN with boxes fs solid 0.9 noborder lc ", f);
        put_rgb(f, score_rgb(s));
        fprintf(f, " title '%s'", score_names[s]);
    }
    fputc('\n', f);
}

static const char *score_alt(zf_arena *a, const char *title, const unit_score *u, size_t n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    fprintf(f, "%s：", title);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s%s", i ? "；" : "", u[i].unit);
        for (int s = 0; s < N_SCORE; s++)
            if (s != SCORE_UNTARGETED || u[i].count[s])
                fprintf(f, " %s%d", score_names[s], u[i].count[s]);
    }
    fputs("。", f);
    const char *out = NULL;
    if (fclose(f) == 0)
        out = zf_arena_strdup(a, buf);
    free(buf);
    return out;
}

static zf_status chart_scorecard(chart_ctx *cx, size_t year, zf_error *err)
{
    const zf_run *run = cx->run;
    const zf_plan *plan = &run->defs->plan;
    size_t cap = 1;
    for (size_t i = 0; i < plan->n_indicators; i++)
        cap += plan->indicators[i].n_units;
    unit_score *u = calloc(cap, sizeof *u);
    char *buf = NULL, title[192];
    size_t len = 0, n = u ? score_units(run, year, u) : 0;
    zf_status st = ZF_OK;
    if (u && n == 0)
        goto cleanup;
    zf_chart *c = u ? list_add(cx->list) : NULL;
    if (!c) {
        st = zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory (scorecard)");
        goto cleanup;
    }
    c->kind = ZF_CHART_SCORECARD;
    c->width = CHART_W;
    c->height = 160 + 34 * (int)n;
    snprintf(c->png, sizeof c->png, "scorecard.png");
    snprintf(c->svg, sizeof c->svg, "scorecard.svg");
    /* the total is the page's and the workbook's; a shared indicator shows in each unit's bar */
    snprintf(title, sizeof title, "各责任单位指标完成情况（%d年，共%zu项%s）", plan->years[year],
             plan->n_indicators, cap > plan->n_indicators ? "，多单位共同负责的指标各计一次" : "");
    c->title = arena_text(&cx->list->arena, title);
    c->alt = score_alt(&cx->list->arena, title, u, n);
    FILE *f = open_memstream(&buf, &len);
    if (!c->title || !c->alt || !f) {
        st = zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory (scorecard)");
        goto cleanup;
    }
    begin_script(f, cx->dir, c);
    score_segments(f, u, n);
    score_plot(f, u, n);
    st = finish_chart(cx, c, f, &buf, &len, err);
cleanup:
    free(buf);
    free(u);
    return st;
}

/* ---- all charts ----------------------------------------------------------------- */

/* The latest computed year in which some town has a value (annual figures such as a
 * growth rate arrive after the year ends), else the latest computed year. */
static size_t towns_year(const zf_run *run, size_t ind, size_t part)
{
    for (size_t j = run->n_years; j-- > 0;)
        for (size_t i = 0; i < run->n_results; i++) {
            const zf_result *r = &run->results[i];
            if (r->indicator == ind && r->part == part && r->year == run->years[j] &&
                r->region > 0 && r->has_value)
                return run->years[j];
        }
    return zf_charts_latest_year(run);
}

static zf_status indicator_charts(chart_ctx *cx, size_t ind, zf_error *err)
{
    const zf_indicator *in = &cx->run->defs->plan.indicators[ind];
    zf_status st = ZF_OK;
    for (size_t p = 0; p < in->n_parts && st == ZF_OK; p++) {
        const zf_rule *rule = &in->parts[p].rule;
        if (!numeric_kind(rule->value_kind))
            continue;
        st = chart_trend(cx, ind, p, err);
        if (st == ZF_OK && rule->by_region)
            st = chart_towns(cx, ind, p, towns_year(cx->run, ind, p), err);
    }
    return st;
}

zf_status zf_charts_write(const zf_run *run, const char *dir, const char *gnuplot_path,
                          zf_chart_list *out, zf_error *err)
{
    chart_ctx cx = {run, dir, gnuplot_path ? gnuplot_path : "gnuplot", out};
    size_t latest = zf_charts_latest_year(run);
    zf_status st = ZF_OK;
    if (latest == SIZE_MAX)
        goto cleanup; /* no year computed: nothing to draw */
    /* the scorecard judges: mid-year that is the last closed year, not a row of 进行中 */
    size_t judged = latest;
    for (size_t k = run->n_years; k-- > 0 && zf_run_year_open(run, judged);)
        if (!zf_run_year_open(run, run->years[k]))
            judged = run->years[k];
    st = chart_scorecard(&cx, judged, err);
    for (size_t i = 0; i < run->defs->plan.n_indicators && st == ZF_OK; i++)
        st = indicator_charts(&cx, i, err);
cleanup:
    if (st != ZF_OK)
        out->n = 0; /* a half-drawn set is not published: the page says charts were skipped */
    return st;
}
