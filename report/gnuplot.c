/* gnuplot.c — the gnuplot processes that draw the charts, and the script text no chart
 * decides: quoting, numbers, colours.
 *
 * A few long-lived gnuplot processes (one per core) are started with posix_spawn, never
 * through a shell, each with LC_NUMERIC=C.  Charts are handed to whichever process is
 * free: each chart's script begins with `reset session` (so its files do not depend on
 * what that process drew before) and ends with a line that prints a sentinel carrying
 * GPVAL_ERRNO on gnuplot's stderr, which comes back to us on a pipe; gnuplot keeps going
 * after an error when it reads a pipe, so the sentinel, not the exit status, is how a
 * failing chart is found, and the lines before it say why.  One thread serves every process
 * with poll(), writing scripts and reading replies as each side is ready, so neither end
 * can block the other on a full pipe.  Data-derived text only ever appears inside
 * single-quoted gnuplot strings (double quotes would run backquoted commands). */
#include "charts_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "zf_text.h"

extern char **environ;

#define MAX_PROCS 16
#define SENTINEL "zf-chart-done "

/* ---- one process -------------------------------------------------------------------- */

typedef struct gp_proc {
    pid_t pid;
    int in, out;          /* our ends: its stdin, its stdout + stderr */
    size_t job;           /* the job it draws, SIZE_MAX when idle */
    char *frame;          /* that job's script between `reset session` and the sentinel */
    size_t frame_len, sent;
    char line[1024];      /* the reply line being read */
    size_t line_len;
    char msg[400];        /* gnuplot's first error line for the job */
    bool msg_telling;
} gp_proc;

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

static ZF_MUST_CHECK zf_status spawn_failed(int rc, const char *gp, zf_error *err)
{
    if (rc == ENOENT || rc == EACCES || rc == ENOTDIR)
        return zf_error_set(err, ZF_ERR_EXTERNAL, gp, 0, 0, "gnuplot not found: charts skipped");
    return zf_error_set(err, ZF_ERR_EXTERNAL, gp, 0, 0, "cannot start gnuplot: %s", strerror(rc));
}

/* A pipe whose both ends close on exec (a second gnuplot must not hold the first one's
 * stdin, or the first never sees EOF) and whose end `ours` (0 or 1) does not block. */
static int make_pipe(int fds[2], int ours)
{
    if (pipe(fds) != 0)
        return errno;
    if (fcntl(fds[0], F_SETFD, FD_CLOEXEC) != 0 || fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0 ||
        fcntl(fds[ours], F_SETFL, O_NONBLOCK) != 0) {
        int e = errno;
        close(fds[0]);
        close(fds[1]);
        return e;
    }
    return 0;
}

/* Start one gnuplot.  Processes are started one after another from this thread, so no
 * other spawn can inherit a pipe before its close-on-exec flag is set. */
static ZF_MUST_CHECK zf_status proc_start(gp_proc *p, const char *gp, char **env, zf_error *err)
{
    int in[2], out[2];
    int rc = make_pipe(in, 1);
    if (rc == 0 && (rc = make_pipe(out, 0)) != 0) {
        close(in[0]);
        close(in[1]);
    }
    if (rc != 0)
        return zf_error_set(err, ZF_ERR_IO, gp, 0, 0, "pipe: %s", strerror(rc));
    posix_spawn_file_actions_t fa;
    rc = posix_spawn_file_actions_init(&fa);
    bool fa_ok = rc == 0;
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&fa, out[1], 2);
    char *argv[] = {(char *)gp, NULL};
    if (rc == 0)
        rc = posix_spawnp(&p->pid, gp, &fa, NULL, argv, env);
    if (fa_ok)
        posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    if (rc != 0) {
        close(in[1]);
        close(out[0]);
        p->pid = 0;
        return spawn_failed(rc, gp, err);
    }
    p->in = in[1];
    p->out = out[0];
    p->job = SIZE_MAX;
    return ZF_OK;
}

/* The job framed: a clean state before, the sentinel with its number and errno after. */
static bool proc_give(gp_proc *p, const zf_gp_job *jobs, size_t j)
{
    char tail[128];
    int nt = snprintf(tail, sizeof tail,
                      "\nunset output\nprint sprintf('" SENTINEL "%%d %%d', %zu, GPVAL_ERRNO)\n"
                      "reset errors\n", j);
    static const char head[] = "reset session\n";
    size_t n = sizeof head - 1 + jobs[j].len + (size_t)nt;
    free(p->frame);
    p->frame = malloc(n);
    if (!p->frame)
        return false;
    memcpy(p->frame, head, sizeof head - 1);
    memcpy(p->frame + sizeof head - 1, jobs[j].script, jobs[j].len);
    memcpy(p->frame + sizeof head - 1 + jobs[j].len, tail, (size_t)nt);
    p->frame_len = n;
    p->sent = 0;
    p->job = j;
    p->msg[0] = '\0';
    p->msg_telling = false;
    return true;
}

/* Keep the first line that says what went wrong: gnuplot's "line 12: ..." or one with
 * "error", else the first line it wrote.  The first: a failed plot leaves the previous
 * plot to the SVG's replot, whose complaint is only a consequence. */
static void note_line(gp_proc *p, const char *line)
{
    bool telling = strstr(line, "rror") || strstr(line, "line ");
    if (p->msg[0] && (!telling || p->msg_telling))
        return;
    size_t n = zf_utf8_cut(line, strlen(line), sizeof p->msg - 1);   /* it echoes Chinese titles */
    memcpy(p->msg, line, n);
    p->msg[n] = '\0';
    p->msg_telling = telling;
}

/* ---- the pool ----------------------------------------------------------------------- */

typedef struct gp_pool {
    const char *gp;
    const zf_gp_job *jobs;
    size_t n_jobs, next;
    gp_proc procs[MAX_PROCS];
    size_t n_procs;
    bool failed;
} gp_pool;

static ZF_MUST_CHECK zf_status pool_fail(gp_pool *pl, zf_status st)
{
    pl->failed = true;
    return st;
}

/* The next job for p, or idle when all are handed out (or one failed). */
static ZF_MUST_CHECK zf_status pool_next(gp_pool *pl, gp_proc *p, zf_error *err)
{
    p->job = SIZE_MAX;
    if (pl->failed || pl->next >= pl->n_jobs)
        return ZF_OK;
    if (!proc_give(p, pl->jobs, pl->next))
        return pool_fail(pl, zf_error_set(err, ZF_ERR_NOMEM, pl->jobs[pl->next].what, 0, 0,
                                           "out of memory (chart script)"));
    pl->next++;
    return ZF_OK;
}

/* A complete reply line: either noise to remember or the sentinel of p's job. */
static ZF_MUST_CHECK zf_status proc_line(gp_pool *pl, gp_proc *p, zf_error *err)
{
    p->line[p->line_len] = '\0';
    p->line_len = 0;
    size_t j = SIZE_MAX;
    int gp_errno = 0;
    char *end = NULL;
    if (strncmp(p->line, SENTINEL, strlen(SENTINEL)) != 0) {
        note_line(p, p->line);
        return ZF_OK;
    }
    j = strtoull(p->line + strlen(SENTINEL), &end, 10);
    gp_errno = (int)strtol(end, NULL, 10);
    if (p->job == SIZE_MAX || j != p->job)
        return pool_fail(pl, zf_error_set(err, ZF_ERR_EXTERNAL, pl->gp, 0, 0,
                                          "gnuplot answered for a chart it was not drawing"));
    if (gp_errno != 0)
        return pool_fail(pl, zf_error_set(err, ZF_ERR_EXTERNAL, pl->jobs[j].what, 0, 0,
                                          "gnuplot failed: %s", p->msg[0] ? p->msg : "(no message)"));
    return pool_next(pl, p, err);
}

/* gnuplot ended before its job's sentinel: the exit status and its last words say why. */
static ZF_MUST_CHECK zf_status proc_died(gp_pool *pl, gp_proc *p, zf_error *err)
{
    int ws = 0;
    pid_t pid = p->pid;
    p->pid = 0;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
        ;
    const char *what = p->job < pl->n_jobs ? pl->jobs[p->job].what : pl->gp;
    p->job = SIZE_MAX;
    /* POSIX lets posix_spawn report a failed exec as exit status 127 of the child
     * (valgrind's does); gnuplot itself never exits with 127 */
    if (WIFEXITED(ws) && WEXITSTATUS(ws) == 127)
        return pool_fail(pl, zf_error_set(err, ZF_ERR_EXTERNAL, what, 0, 0,
                                          "gnuplot not found: charts skipped"));
    if (WIFSIGNALED(ws))
        return pool_fail(pl, zf_error_set(err, ZF_ERR_EXTERNAL, what, 0, 0,
                                          "gnuplot killed by signal %d: %s", WTERMSIG(ws), p->msg));
    return pool_fail(pl, zf_error_set(err, ZF_ERR_EXTERNAL, what, 0, 0, "gnuplot failed (exit %d): %s",
                                      WIFEXITED(ws) ? WEXITSTATUS(ws) : -1, p->msg));
}

static ZF_MUST_CHECK zf_status proc_read(gp_pool *pl, gp_proc *p, zf_error *err)
{
    char buf[4096];
    ssize_t n = read(p->out, buf, sizeof buf);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN ? ZF_OK : proc_died(pl, p, err);
    if (n == 0)
        return proc_died(pl, p, err);
    zf_status st = ZF_OK;
    for (ssize_t i = 0; i < n && st == ZF_OK; i++) {
        if (buf[i] == '\n') {
            st = proc_line(pl, p, err);
        } else if (p->line_len < sizeof p->line - 1) {
            p->line[p->line_len++] = buf[i];
        }
    }
    return st;
}

/* EPIPE: gnuplot is gone; its end of the other pipe tells how (proc_read). */
static void proc_write(gp_proc *p)
{
    ssize_t w = write(p->in, p->frame + p->sent, p->frame_len - p->sent);
    if (w > 0)
        p->sent += (size_t)w;
    else if (w < 0 && errno != EINTR && errno != EAGAIN)
        p->sent = p->frame_len;
}

static bool pool_busy(const gp_pool *pl)
{
    for (size_t i = 0; i < pl->n_procs; i++)
        if (pl->procs[i].pid && pl->procs[i].job != SIZE_MAX)
            return true;
    return false;
}

static ZF_MUST_CHECK zf_status pool_serve(gp_pool *pl, zf_error *err)
{
    zf_status st = ZF_OK;
    for (size_t i = 0; i < pl->n_procs && st == ZF_OK; i++)
        st = pool_next(pl, &pl->procs[i], err);
    while (st == ZF_OK && pool_busy(pl)) {
        struct pollfd fds[2 * MAX_PROCS];
        gp_proc *who[2 * MAX_PROCS];
        nfds_t n = 0;
        for (size_t i = 0; i < pl->n_procs; i++) {
            gp_proc *p = &pl->procs[i];
            if (!p->pid || p->job == SIZE_MAX)
                continue;
            who[n] = p;
            fds[n++] = (struct pollfd){.fd = p->out, .events = POLLIN};
            if (p->sent < p->frame_len) {
                who[n] = p;
                fds[n++] = (struct pollfd){.fd = p->in, .events = POLLOUT};
            }
        }
        if (poll(fds, n, -1) < 0) {
            if (errno == EINTR)
                continue;
            return zf_error_set(err, ZF_ERR_IO, pl->gp, 0, 0, "poll: %s", strerror(errno));
        }
        for (nfds_t k = 0; k < n && st == ZF_OK; k++) {
            if (!fds[k].revents || !who[k]->pid)
                continue;
            if (fds[k].fd == who[k]->in)
                proc_write(who[k]);
            else
                st = proc_read(pl, who[k], err);
        }
    }
    return st;
}

/* Close every stdin and wait: an idle gnuplot exits at EOF, with status 0 when no chart
 * of it failed. */
static ZF_MUST_CHECK zf_status pool_close(gp_pool *pl, zf_status st, zf_error *err)
{
    for (size_t i = 0; i < pl->n_procs; i++) {
        gp_proc *p = &pl->procs[i];
        close(p->in);
        while (p->pid) {
            char buf[4096];   /* drain, so a gnuplot writing on its way out cannot block */
            ssize_t n = read(p->out, buf, sizeof buf);
            if (n < 0 && errno == EAGAIN) {
                struct pollfd pf = {.fd = p->out, .events = POLLIN};
                poll(&pf, 1, -1);
            } else if (n <= 0 && !(n < 0 && errno == EINTR)) {
                int ws = 0;
                while (waitpid(p->pid, &ws, 0) < 0 && errno == EINTR)
                    ;
                if (st == ZF_OK && !(WIFEXITED(ws) && WEXITSTATUS(ws) == 0))
                    st = zf_error_set(err, ZF_ERR_EXTERNAL, pl->gp, 0, 0, "gnuplot failed (exit %d): %s",
                                      WIFEXITED(ws) ? WEXITSTATUS(ws) : -1, p->msg);
                p->pid = 0;
            }
        }
        close(p->out);
        free(p->frame);
        p->frame = NULL;
    }
    return st;
}

size_t zf_gp_procs(size_t n)
{
    const char *env = getenv("ZF_THREADS");
    long k = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    size_t m = k < 1 ? 1 : k > MAX_PROCS ? MAX_PROCS : (size_t)k;
    return n < m ? (n ? n : 1) : m;
}

zf_status zf_gp_run_jobs(const char *gp, const zf_gp_job *jobs, size_t n, size_t n_procs,
                         zf_error *err)
{
    if (n == 0)
        return ZF_OK;
    gp_pool pl = {.gp = gp, .jobs = jobs, .n_jobs = n};
    char **env = child_environment();
    if (!env)
        return zf_error_set(err, ZF_ERR_NOMEM, gp, 0, 0, "out of memory (gnuplot environment)");
    /* SIGPIPE blocked meanwhile: a gnuplot that dies early gives EPIPE, reported with its
     * message, instead of killing the caller */
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    zf_status st = ZF_OK;
    size_t want = n_procs < 1 ? 1 : n_procs > MAX_PROCS ? MAX_PROCS : n_procs;
    for (; pl.n_procs < want && st == ZF_OK; pl.n_procs++)
        if ((st = proc_start(&pl.procs[pl.n_procs], gp, env, err)) != ZF_OK)
            break;
    if (st == ZF_OK)
        st = pool_serve(&pl, err);
    st = pool_close(&pl, st, err);
    struct timespec zero = {0, 0};
    while (sigtimedwait(&pipe_set, NULL, &zero) > 0)
        ;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    free(env);
    return st;
}

/* ---- the SVG's title ----------------------------------------------------------------- */

static void put_xml(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '<')
            fputs("&lt;", f);
        else if (c == '>')
            fputs("&gt;", f);
        else if (c == '&')
            fputs("&amp;", f);
        else if (c < 0x20 || c == 0x7f)
            fputc(' ', f);
        else
            fputc(c, f);
    }
}

zf_status zf_gp_svg_title(const char *path, const char *title, zf_error *err)
{
    static const char old_title[] = "<title>Gnuplot</title>";
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    zf_status st = ZF_OK;
    long n = -1;
    if (f && fseek(f, 0, SEEK_END) == 0)
        n = ftell(f);
    if (n < 0 || fseek(f, 0, SEEK_SET) != 0 || !(buf = malloc((size_t)n + 1)) ||
        fread(buf, 1, (size_t)n, f) != (size_t)n) {
        st = zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot read the chart gnuplot wrote: %s",
                          errno ? strerror(errno) : "short read");
        goto cleanup;
    }
    fclose(f);
    f = NULL;
    buf[n] = '\0';
    char *at = strstr(buf, old_title);
    if (!at) {
        st = zf_error_set(err, ZF_ERR_EXTERNAL, path, 0, 0, "expected %s in gnuplot's SVG", old_title);
        goto cleanup;
    }
    if (!(f = fopen(path, "wb"))) {
        st = zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot write: %s", strerror(errno));
        goto cleanup;
    }
    fwrite(buf, 1, (size_t)(at - buf), f);
    fputs("<title>", f);
    put_xml(f, title);
    fputs("</title>", f);
    size_t rest = (size_t)n - (size_t)(at - buf) - (sizeof old_title - 1);
    fwrite(at + sizeof old_title - 1, 1, rest, f);
    bool bad = ferror(f) != 0;
    int rc = fclose(f);
    f = NULL;
    if (bad || rc != 0)
        st = zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot write: %s", strerror(errno ? errno : EIO));
cleanup:
    if (f)
        fclose(f);
    free(buf);
    return st;
}

/* ---- script text ----------------------------------------------------------------------- */

/* A single-quoted gnuplot string: ' is doubled, control characters (a newline would end
 * the command) become spaces.  tic: explicit tic labels are printf formats, so % doubles. */
void zf_gp_quote(FILE *f, const char *s, bool tic)
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

void zf_gp_path(FILE *f, const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (!p) {
        fputs("''", f); /* the memstream will still be checked; an empty output name fails */
        return;
    }
    snprintf(p, n, "%s/%s", dir, name);
    zf_gp_quote(f, p, false);
    free(p);
}

char *zf_gp_fmt_num(double x, int places, bool group, char *buf, size_t size)
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

/* Six decimals are finer than any pixel. */
void zf_gp_num(FILE *f, double x)
{
    char b[48];
    fputs(zf_gp_fmt_num(x, 6, false, b, sizeof b), f);
}

void zf_gp_rgb(FILE *f, int rgb)
{
    fprintf(f, "rgb '#%06x'", (unsigned)rgb);
}
