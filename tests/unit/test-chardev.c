/*
 * Character devices: back-ends, legacy syntax, flow control and the mux.
 *
 * Every wait drives the default main context for a bounded time, so a
 * broken back-end fails a test instead of hanging it.
 */
#include "qemu/osdep.h"
#include "chardev/char.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#define WAIT_MS        3000
#define ROOM_UNLIMITED (-1)

/* ---- a test front-end ---- */

typedef struct TestFE {
    CharBackend be;
    GByteArray *in;
    GArray *events;
    int room; /* bytes it can take now, or ROOM_UNLIMITED */
} TestFE;

static int fe_can_read(void *opaque)
{
    TestFE *fe = opaque;

    return fe->room == ROOM_UNLIMITED ? 4096 : fe->room;
}

static void fe_read(void *opaque, const uint8_t *buf, int size)
{
    TestFE *fe = opaque;

    /* A back-end must never push more than the front-end said it takes. */
    if (fe->room != ROOM_UNLIMITED) {
        g_assert_cmpint(size, <=, fe->room);
        fe->room -= size;
    }
    g_byte_array_append(fe->in, buf, size);
}

static void fe_event(void *opaque, QEMUChrEvent event)
{
    TestFE *fe = opaque;
    int ev = event;

    g_array_append_val(fe->events, ev);
}

static void fe_attach(TestFE *fe, Chardev *chr)
{
    Error *err = NULL;

    fe->in = g_byte_array_new();
    fe->events = g_array_new(FALSE, FALSE, sizeof(int));
    fe->room = ROOM_UNLIMITED;
    g_assert_true(qemu_chr_fe_init(&fe->be, chr, &err));
    g_assert_null(err);
    qemu_chr_fe_set_handlers(&fe->be, fe_can_read, fe_read, fe_event, fe, true);
}

static void fe_free(TestFE *fe)
{
    qemu_chr_fe_deinit(&fe->be, false);
    g_byte_array_unref(fe->in);
    g_array_unref(fe->events);
}

static int fe_count_events(TestFE *fe, QEMUChrEvent event)
{
    int n = 0;

    for (guint i = 0; i < fe->events->len; i++) {
        n += g_array_index(fe->events, int, i) == (int)event;
    }
    return n;
}

static int fe_last_event(TestFE *fe)
{
    return fe->events->len ? g_array_index(fe->events, int, fe->events->len - 1)
                           : -1;
}

static bool fe_has(TestFE *fe, const char *text)
{
    return fe->in->len >= strlen(text) &&
           memmem(fe->in->data, fe->in->len, text, strlen(text)) != NULL;
}

static void fe_write_str(TestFE *fe, const char *s)
{
    g_assert_cmpint(
        qemu_chr_fe_write_all(&fe->be, (const uint8_t *)s, strlen(s)), ==,
        strlen(s));
}

/* ---- main-loop helpers ---- */

static void iterate_for(int ms)
{
    gint64 end = g_get_monotonic_time() + ms * 1000;

    while (g_get_monotonic_time() < end) {
        if (!g_main_context_iteration(NULL, FALSE)) {
            g_usleep(1000);
        }
    }
}

/* Runs the main context until cond holds or WAIT_MS passes. */
#define WAIT_UNTIL(cond)                                       \
    ({                                                         \
        gint64 end_ = g_get_monotonic_time() + WAIT_MS * 1000; \
        while (!(cond) && g_get_monotonic_time() < end_) {     \
            if (!g_main_context_iteration(NULL, FALSE)) {      \
                g_usleep(1000);                                \
            }                                                  \
        }                                                      \
        (cond);                                                \
    })

/* ---- helpers ---- */

static Chardev *chr_new(const char *str, Error **errp)
{
    QemuOpts *opts = qemu_opts_parse("chardev", str, "backend", NULL, errp);
    Chardev *chr;

    if (!opts) {
        return NULL;
    }
    chr = qemu_chr_new_from_opts(opts, errp);
    qemu_opts_free(opts);
    return chr;
}

static Chardev *chr_new_ok(const char *str)
{
    Error *err = NULL;
    Chardev *chr = chr_new(str, &err);

    if (err) {
        g_test_message("%s: %s", str, error_get_pretty(err));
    }
    g_assert_null(err);
    g_assert_nonnull(chr);
    return chr;
}

/* Creation must fail with a message containing want. */
static void chr_new_fails(const char *str, const char *want)
{
    Error *err = NULL;
    Chardev *chr = chr_new(str, &err);

    g_assert_null(chr);
    g_assert_nonnull(err);
    if (!strstr(error_get_pretty(err), want)) {
        g_test_message("'%s' gave '%s', want '%s'", str, error_get_pretty(err),
                       want);
        g_assert_not_reached();
    }
    g_assert_null(strchr(error_get_pretty(err), '\n'));
    error_free(err);
}

static char *tmpdir(void)
{
    GError *gerr = NULL;
    char *dir = g_dir_make_tmp("test-chardev-XXXXXX", &gerr);

    g_assert_no_error(gerr);
    return dir;
}

static void rm_rf(char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        char *p = g_build_filename(dir, name, NULL);
        unlink(p);
        g_free(p);
    }
    if (d) {
        g_dir_close(d);
    }
    rmdir(dir);
    g_free(dir);
}

static char *read_file(const char *path)
{
    char *contents = NULL;

    g_assert_true(g_file_get_contents(path, &contents, NULL, NULL));
    return contents;
}

/* Reads from fd (with poll) until want has been seen or WAIT_MS passes. */
static bool fd_read_until(int fd, GString *acc, const char *want)
{
    gint64 end = g_get_monotonic_time() + WAIT_MS * 1000;

    while (!strstr(acc->str, want) && g_get_monotonic_time() < end) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        char buf[512];
        ssize_t n;

        /* The chardev may need the main loop to push data out. */
        g_main_context_iteration(NULL, FALSE);
        if (poll(&pfd, 1, 10) <= 0) {
            continue;
        }
        n = read(fd, buf, sizeof(buf));
        if (n > 0) {
            g_string_append_len(acc, buf, n);
        } else if (n == 0) {
            break;
        }
    }
    return strstr(acc->str, want) != NULL;
}

static void write_str(int fd, const char *s)
{
    g_assert_cmpint(write(fd, s, strlen(s)), ==, strlen(s));
}

/* ---- null ---- */

static void test_null(void)
{
    Chardev *chr = chr_new_ok("null,id=n0");
    TestFE fe;

    g_assert_true(qemu_chr_find("n0") == chr);
    g_assert_cmpstr(chr->filename, ==, "null");
    g_assert_false(qemu_chr_is_mux(chr));
    fe_attach(&fe, chr);
    g_assert_true(qemu_chr_fe_backend_connected(&fe.be));
    g_assert_true(qemu_chr_fe_get_driver(&fe.be) == chr);
    g_assert_cmpint(qemu_chr_fe_write(&fe.be, (const uint8_t *)"abc", 3), ==,
                    3);
    iterate_for(20);
    g_assert_cmpint(fe.in->len, ==, 0);
    /* QEMU's null is never "connected". */
    g_assert_cmpint(fe_count_events(&fe, CHR_EVENT_OPENED), ==, 0);
    fe_free(&fe);
    qemu_chr_cleanup();
    g_assert_null(qemu_chr_find("n0"));
}

/* ---- file ---- */

static void test_file(void)
{
    char *dir = tmpdir();
    char *path = g_build_filename(dir, "out.txt", NULL);
    char *in_path = g_build_filename(dir, "in.txt", NULL);
    char *opts;
    char *text;
    Chardev *chr;
    TestFE fe;

    /* append=off (default) truncates. */
    g_assert_true(g_file_set_contents(path, "old contents", -1, NULL));
    opts = g_strdup_printf("file,id=f0,path=%s", path);
    chr = chr_new_ok(opts);
    g_free(opts);
    fe_attach(&fe, chr);
    /* A file is connected from the start. */
    g_assert_cmpint(fe_count_events(&fe, CHR_EVENT_OPENED), ==, 1);
    fe_write_str(&fe, "hello");
    qemu_chr_fe_printf(&fe.be, " %d", 42);
    text = read_file(path);
    g_assert_cmpstr(text, ==, "hello 42");
    g_free(text);
    fe_free(&fe);
    qemu_chr_cleanup();

    /* append=on keeps what was there. */
    opts = g_strdup_printf("file,id=f1,path=%s,append=on", path);
    chr = chr_new_ok(opts);
    g_free(opts);
    fe_attach(&fe, chr);
    fe_write_str(&fe, "+more");
    text = read_file(path);
    g_assert_cmpstr(text, ==, "hello 42+more");
    g_free(text);
    fe_free(&fe);
    qemu_chr_cleanup();

    /* input-path: its contents arrive, then CLOSED at its end. */
    g_assert_true(g_file_set_contents(in_path, "typed input", -1, NULL));
    opts = g_strdup_printf("file,id=f2,path=%s,input-path=%s", path, in_path);
    chr = chr_new_ok(opts);
    g_free(opts);
    fe_attach(&fe, chr);
    g_assert_true(WAIT_UNTIL(fe_count_events(&fe, CHR_EVENT_CLOSED) == 1));
    g_assert_cmpint(fe.in->len, ==, strlen("typed input"));
    g_assert_true(fe_has(&fe, "typed input"));
    fe_free(&fe);
    qemu_chr_cleanup();

    chr_new_fails("file,id=f3,path=/nonexistent-dir/x",
                  "chardev: file: Could not open '/nonexistent-dir/x': "
                  "No such file or directory");
    chr_new_fails("file,id=f4", "chardev: file: 'path' is required");
    opts =
        g_strdup_printf("file,id=f5,path=%s,input-path=/nonexistent-x", path);
    chr_new_fails(opts, "Could not open '/nonexistent-x'");
    g_free(opts);
    g_assert_null(qemu_chr_find("f3"));

    g_free(path);
    g_free(in_path);
    rm_rf(dir);
}

static void test_logfile(void)
{
    char *dir = tmpdir();
    char *log = g_build_filename(dir, "log.txt", NULL);
    char *out = g_build_filename(dir, "out.txt", NULL);
    char *opts;
    char *text;
    Chardev *chr;
    TestFE fe;

    g_assert_true(g_file_set_contents(log, "stale", -1, NULL));
    opts = g_strdup_printf("null,id=l0,logfile=%s", log);
    chr = chr_new_ok(opts);
    g_free(opts);
    fe_attach(&fe, chr);
    fe_write_str(&fe, "one");
    g_assert_cmpint(qemu_chr_fe_write(&fe.be, (const uint8_t *)"two", 3), ==,
                    3);
    text = read_file(log);
    g_assert_cmpstr(text, ==, "onetwo");
    g_free(text);
    fe_free(&fe);
    qemu_chr_cleanup();

    /* logappend=on, on a file back-end: both files get the output. */
    opts =
        g_strdup_printf("file,id=l1,path=%s,logfile=%s,logappend=on", out, log);
    chr = chr_new_ok(opts);
    g_free(opts);
    fe_attach(&fe, chr);
    fe_write_str(&fe, "three");
    text = read_file(log);
    g_assert_cmpstr(text, ==, "onetwothree");
    g_free(text);
    text = read_file(out);
    g_assert_cmpstr(text, ==, "three");
    g_free(text);
    fe_free(&fe);
    qemu_chr_cleanup();

    chr_new_fails("null,id=l2,logfile=/nonexistent-dir/log",
                  "Unable to open logfile '/nonexistent-dir/log'");
    g_free(log);
    g_free(out);
    rm_rf(dir);
}

/* ---- pipe ---- */

static void test_pipe(void)
{
    char *dir = tmpdir();
    char *base = g_build_filename(dir, "p", NULL);
    char *in = g_strdup_printf("%s.in", base);
    char *outp = g_strdup_printf("%s.out", base);
    char *single = g_build_filename(dir, "q", NULL);
    GString *acc = g_string_new(NULL);
    char *opts;
    Chardev *chr;
    TestFE fe;
    int wfd;
    int rfd;

    g_assert_cmpint(mkfifo(in, 0600), ==, 0);
    g_assert_cmpint(mkfifo(outp, 0600), ==, 0);
    opts = g_strdup_printf("pipe,id=p0,path=%s", base);
    chr = chr_new_ok(opts);
    g_free(opts);
    fe_attach(&fe, chr);

    /* The chardev holds P.in open, so these opens do not block. */
    wfd = open(in, O_WRONLY | O_NONBLOCK);
    g_assert_cmpint(wfd, >=, 0);
    rfd = open(outp, O_RDONLY | O_NONBLOCK);
    g_assert_cmpint(rfd, >=, 0);

    write_str(wfd, "ping");
    g_assert_true(WAIT_UNTIL(fe.in->len == 4));
    g_assert_true(fe_has(&fe, "ping"));

    fe_write_str(&fe, "pong");
    g_assert_true(fd_read_until(rfd, acc, "pong"));
    g_assert_cmpstr(acc->str, ==, "pong");

    /* A writer closing its end is not an EOF for the chardev. */
    close(wfd);
    iterate_for(50);
    g_assert_cmpint(fe_count_events(&fe, CHR_EVENT_CLOSED), ==, 0);
    wfd = open(in, O_WRONLY | O_NONBLOCK);
    write_str(wfd, "again");
    g_assert_true(WAIT_UNTIL(fe_has(&fe, "again")));
    close(wfd);
    close(rfd);
    fe_free(&fe);
    qemu_chr_cleanup();

    /* Without P.in/P.out, P itself carries both directions. */
    g_assert_cmpint(mkfifo(single, 0600), ==, 0);
    opts = g_strdup_printf("pipe,id=p1,path=%s", single);
    chr = chr_new_ok(opts);
    g_free(opts);
    fe_attach(&fe, chr);
    wfd = open(single, O_WRONLY | O_NONBLOCK);
    g_assert_cmpint(wfd, >=, 0);
    write_str(wfd, "solo");
    g_assert_true(WAIT_UNTIL(fe_has(&fe, "solo")));
    close(wfd);
    fe_free(&fe);
    qemu_chr_cleanup();

    opts = g_strdup_printf("pipe,id=p2,path=%s/none", dir);
    chr_new_fails(opts, "chardev: pipe: Could not open '");
    g_free(opts);

    g_string_free(acc, TRUE);
    g_free(base);
    g_free(in);
    g_free(outp);
    g_free(single);
    rm_rf(dir);
}

/* ---- flow control ---- */

static void test_flow_control(void)
{
    char *dir = tmpdir();
    char *base = g_build_filename(dir, "p", NULL);
    char *opts;
    char data[200];
    Chardev *chr;
    TestFE fe;
    int wfd;

    g_assert_cmpint(mkfifo(base, 0600), ==, 0);
    opts = g_strdup_printf("pipe,id=fc,path=%s", base);
    chr = chr_new_ok(opts);
    g_free(opts);
    fe_attach(&fe, chr);
    fe.room = 0;

    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = 'A' + i % 26;
    }
    wfd = open(base, O_WRONLY | O_NONBLOCK);
    g_assert_cmpint(write(wfd, data, sizeof(data)), ==, sizeof(data));

    /* The front-end takes nothing: nothing is delivered. */
    iterate_for(100);
    g_assert_cmpint(fe.in->len, ==, 0);
    /* ...and the fd is not polled, so the loop does not spin on it. */
    g_assert_false(g_main_context_iteration(NULL, FALSE));

    /* Room for 10: exactly 10 (fe_read asserts it never gets more). */
    fe.room = 10;
    qemu_chr_fe_accept_input(&fe.be);
    g_assert_true(WAIT_UNTIL(fe.in->len == 10));
    iterate_for(50);
    g_assert_cmpint(fe.in->len, ==, 10);

    /* Then everything, in order, none lost. */
    fe.room = ROOM_UNLIMITED;
    qemu_chr_fe_accept_input(&fe.be);
    g_assert_true(WAIT_UNTIL(fe.in->len == sizeof(data)));
    g_assert_cmpmem(fe.in->data, fe.in->len, data, sizeof(data));

    close(wfd);
    fe_free(&fe);
    qemu_chr_cleanup();
    g_free(base);
    rm_rf(dir);
}

/* ---- sockets ---- */

static int tcp_port_of(Chardev *chr)
{
    /* "disconnected:tcp:127.0.0.1:PORT,server=on" */
    const char *comma = strrchr(chr->filename, ',');
    const char *p = comma;

    g_assert_nonnull(comma);
    while (p > chr->filename && p[-1] != ':') {
        p--;
    }
    return atoi(p);
}

static int tcp_connect(int port)
{
    struct sockaddr_in sin = {
        .sin_family = AF_INET,
        .sin_port = htons(port),
        .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
    };
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    return fd;
}

static void test_socket_tcp_server(void)
{
    Chardev *chr = chr_new_ok("socket,id=s0,host=127.0.0.1,port=0,"
                              "server=on,wait=off");
    GString *acc = g_string_new(NULL);
    TestFE fe;
    int port;
    int fd;

    g_assert_true(
        g_str_has_prefix(chr->filename, "disconnected:tcp:127.0.0.1:"));
    g_assert_true(g_str_has_suffix(chr->filename, ",server=on"));
    port = tcp_port_of(chr);
    g_assert_cmpint(port, >, 0);
    fe_attach(&fe, chr);
    g_assert_false(chr->be_open);
    g_assert_cmpint(fe_count_events(&fe, CHR_EVENT_OPENED), ==, 0);
    /* Nobody connected: output is discarded with -1. */
    g_assert_cmpint(qemu_chr_fe_write(&fe.be, (const uint8_t *)"x", 1), ==, -1);

    for (int round = 0; round < 2; round++) {
        fd = tcp_connect(port);
        g_assert_true(
            WAIT_UNTIL(fe_count_events(&fe, CHR_EVENT_OPENED) == round + 1));
        g_assert_true(chr->be_open);
        g_assert_true(g_str_has_prefix(chr->filename, "tcp:127.0.0.1:"));
        g_assert_nonnull(strstr(chr->filename, " <-> 127.0.0.1:"));

        g_byte_array_set_size(fe.in, 0);
        write_str(fd, "from client");
        g_assert_true(WAIT_UNTIL(fe_has(&fe, "from client")));

        g_string_truncate(acc, 0);
        fe_write_str(&fe, "to client");
        g_assert_true(fd_read_until(fd, acc, "to client"));

        close(fd);
        g_assert_true(
            WAIT_UNTIL(fe_count_events(&fe, CHR_EVENT_CLOSED) == round + 1));
        g_assert_false(chr->be_open);
        g_assert_true(g_str_has_prefix(chr->filename, "disconnected:"));
    }

    fe_free(&fe);
    qemu_chr_cleanup();
    g_string_free(acc, TRUE);
}

static void test_socket_telnet(void)
{
    Chardev *chr = chr_new_ok("socket,id=t0,host=127.0.0.1,port=0,"
                              "server=on,wait=off,telnet=on");
    TestFE fe;
    uint8_t neg[12];
    size_t got = 0;
    int fd;
    /* Negotiation, data, an escaped 0xff, a BREAK, more data. */
    static const uint8_t input[] = { 255, 253, 1,   'a', 'b', 255,
                                     255, 255, 243, 'c', 255, 250,
                                     24,  0,   255, 240, 'd' };

    fe_attach(&fe, chr);
    fd = tcp_connect(tcp_port_of(chr));
    g_assert_true(WAIT_UNTIL(fe_count_events(&fe, CHR_EVENT_OPENED) == 1));
    /* The server starts the negotiation with IAC WILL ECHO. */
    while (got < sizeof(neg)) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        ssize_t n;
        g_assert_cmpint(poll(&pfd, 1, WAIT_MS), ==, 1);
        n = read(fd, neg + got, sizeof(neg) - got);
        g_assert_cmpint(n, >, 0);
        got += n;
    }
    g_assert_cmpint(neg[0], ==, 255);
    g_assert_cmpint(neg[1], ==, 251);
    g_assert_cmpint(neg[2], ==, 1);

    g_assert_cmpint(write(fd, input, sizeof(input)), ==, sizeof(input));
    g_assert_true(WAIT_UNTIL(fe.in->len == 5));
    g_assert_cmpmem(fe.in->data, fe.in->len,
                    "ab\xff"
                    "cd",
                    5);
    g_assert_cmpint(fe_count_events(&fe, CHR_EVENT_BREAK), ==, 1);
    close(fd);
    fe_free(&fe);
    qemu_chr_cleanup();
}

static gpointer unix_connector(gpointer opaque)
{
    const char *path = opaque;
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    gint64 end = g_get_monotonic_time() + WAIT_MS * 1000;

    strcpy(sun.sun_path, path);
    while (g_get_monotonic_time() < end) {
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
            return GINT_TO_POINTER(fd);
        }
        close(fd);
        g_usleep(10 * 1000);
    }
    return GINT_TO_POINTER(-1);
}

static void test_socket_unix(void)
{
    char *dir = tmpdir();
    char *path = g_build_filename(dir, "sock", NULL);
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    GString *acc = g_string_new(NULL);
    GThread *thread;
    char *opts;
    Chardev *chr;
    TestFE fe;
    int lfd;
    int fd;

    /* Client mode: connects at creation to the test's listening socket. */
    strcpy(sun.sun_path, path);
    lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    g_assert_cmpint(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
    g_assert_cmpint(listen(lfd, 1), ==, 0);
    opts = g_strdup_printf("socket,id=u0,path=%s", path);
    chr = chr_new_ok(opts);
    g_free(opts);
    fd = accept(lfd, NULL, NULL);
    g_assert_cmpint(fd, >=, 0);
    g_assert_true(chr->be_open);
    fe_attach(&fe, chr);
    /* Already connected: the front-end hears it at once. */
    g_assert_cmpint(fe_count_events(&fe, CHR_EVENT_OPENED), ==, 1);
    write_str(fd, "hello unix");
    g_assert_true(WAIT_UNTIL(fe_has(&fe, "hello unix")));
    fe_write_str(&fe, "reply");
    g_assert_true(fd_read_until(fd, acc, "reply"));
    close(fd);
    g_assert_true(WAIT_UNTIL(fe_count_events(&fe, CHR_EVENT_CLOSED) == 1));
    fe_free(&fe);
    qemu_chr_cleanup();
    close(lfd);
    unlink(path);

    /* Client mode with nobody listening: an error naming the path. */
    opts = g_strdup_printf("socket,id=u1,path=%s", path);
    chr_new_fails(opts, "Failed to connect to '");
    g_free(opts);

    /* Server with wait=on blocks until a client comes. */
    thread = g_thread_new("connector", unix_connector, path);
    opts = g_strdup_printf("socket,id=u2,path=%s,server=on", path);
    chr = chr_new_ok(opts);
    g_free(opts);
    fd = GPOINTER_TO_INT(g_thread_join(thread));
    g_assert_cmpint(fd, >=, 0);
    g_assert_true(chr->be_open);
    g_assert_cmpstr(chr->filename, ==,
                    (opts = g_strdup_printf("unix:%s,server=on", path)));
    g_free(opts);
    fe_attach(&fe, chr);
    g_assert_cmpint(fe_count_events(&fe, CHR_EVENT_OPENED), ==, 1);
    write_str(fd, "waited");
    g_assert_true(WAIT_UNTIL(fe_has(&fe, "waited")));
    close(fd);
    fe_free(&fe);
    qemu_chr_cleanup();
    /* The server's socket file goes with it. */
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));

    g_string_free(acc, TRUE);
    g_free(path);
    rm_rf(dir);
}

static void test_socket_errors(void)
{
    struct sockaddr_in sin = { .sin_family = AF_INET };
    socklen_t len = sizeof(sin);
    char *opts;
    int fd;

    /* A port nobody listens on: bind one, note it, close it. */
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&sin, &len), ==, 0);
    close(fd);
    opts = g_strdup_printf("socket,id=e0,host=127.0.0.1,port=%d",
                           ntohs(sin.sin_port));
    chr_new_fails(opts, "Failed to connect to '127.0.0.1:");
    g_free(opts);

    chr_new_fails("socket,id=e1,host=localhost",
                  "chardev: socket: 'port' is required for tcp");
    chr_new_fails("socket,id=e2", "'path' (unix) or 'port' (tcp)");
    chr_new_fails("socket,id=e3,port=1234,wait=off",
                  "'wait' option is incompatible with socket in client "
                  "connect mode");
    chr_new_fails("socket,id=e4,port=banana", "port 'banana'");
    chr_new_fails("udp,id=e5,host=1.2.3.4,port=5",
                  "UDP character devices are not supported");
    g_assert_null(qemu_chr_find("e0"));
}

/* ---- mux ---- */

static int quit_calls;

static void test_quit_handler(void)
{
    quit_calls++;
}

static void test_mux(void)
{
    char *dir = tmpdir();
    char *base = g_build_filename(dir, "m", NULL);
    char *in = g_strdup_printf("%s.in", base);
    char *outp = g_strdup_printf("%s.out", base);
    GString *acc = g_string_new(NULL);
    char filler[41];
    char *opts;
    Chardev *chr;
    TestFE a;
    TestFE b;
    TestFE extra[3];
    Error *err = NULL;
    int wfd;
    int rfd;

    g_assert_cmpint(mkfifo(in, 0600), ==, 0);
    g_assert_cmpint(mkfifo(outp, 0600), ==, 0);
    opts = g_strdup_printf("pipe,id=m0,path=%s,mux=on", base);
    chr = chr_new_ok(opts);
    g_free(opts);
    g_assert_true(qemu_chr_is_mux(chr));
    g_assert_nonnull(qemu_chr_find("m0-base"));
    g_assert_true(qemu_chr_find("m0") == chr);
    wfd = open(in, O_WRONLY | O_NONBLOCK);
    rfd = open(outp, O_RDONLY | O_NONBLOCK);

    /* Each front-end takes the focus as it installs its handlers. */
    fe_attach(&a, chr);
    g_assert_cmpint(fe_last_event(&a), ==, CHR_EVENT_MUX_IN);
    fe_attach(&b, chr);
    g_assert_cmpint(fe_last_event(&a), ==, CHR_EVENT_MUX_OUT);
    g_assert_cmpint(fe_last_event(&b), ==, CHR_EVENT_MUX_IN);
    /* OPENED reaches both from the main loop, once all have attached. */
    g_assert_cmpint(fe_count_events(&a, CHR_EVENT_OPENED), ==, 0);
    g_assert_true(WAIT_UNTIL(fe_count_events(&a, CHR_EVENT_OPENED) == 1 &&
                             fe_count_events(&b, CHR_EVENT_OPENED) == 1));

    /* Input goes to the focused front-end (b). */
    write_str(wfd, "to-b");
    g_assert_true(WAIT_UNTIL(fe_has(&b, "to-b")));
    g_assert_cmpint(a.in->len, ==, 0);

    /* C-a c: focus to a. */
    write_str(wfd, "\x01"
                   "c"
                   "to-a");
    g_assert_true(WAIT_UNTIL(fe_has(&a, "to-a")));
    g_assert_cmpint(fe_last_event(&a), ==, CHR_EVENT_MUX_IN);
    g_assert_cmpint(fe_last_event(&b), ==, CHR_EVENT_MUX_OUT);
    g_assert_cmpint(b.in->len, ==, 4);

    /* C-a a and C-a C-a each send one C-a. */
    g_byte_array_set_size(a.in, 0);
    write_str(wfd, "x\x01"
                   "a"
                   "y\x01\x01"
                   "z");
    g_assert_true(WAIT_UNTIL(a.in->len >= 5));
    g_assert_cmpmem(a.in->data, a.in->len, "x\x01y\x01z", 5);

    /* C-a b: a break for the focused one only. */
    write_str(wfd, "\x01"
                   "b");
    g_assert_true(WAIT_UNTIL(fe_count_events(&a, CHR_EVENT_BREAK) == 1));
    g_assert_cmpint(fe_count_events(&b, CHR_EVENT_BREAK), ==, 0);

    /* C-a h: help on the shared output. */
    write_str(wfd, "\x01"
                   "h");
    g_assert_true(fd_read_until(rfd, acc, "C-a x"));
    g_assert_nonnull(strstr(acc->str, "C-a c"));
    g_assert_nonnull(strstr(acc->str, "C-a h"));

    /* Both front-ends' output reaches the back-end. */
    fe_write_str(&a, "out-a;");
    fe_write_str(&b, "out-b;");
    g_assert_true(fd_read_until(rfd, acc, "out-a;out-b;"));

    /*
     * Input a cannot take yet waits in the mux; past the window the mux
     * still reads, so C-a c works while a is stuck, and nothing is lost.
     */
    g_byte_array_set_size(a.in, 0);
    a.room = 0;
    memset(filler, 'f', 40);
    filler[40] = 0;
    write_str(wfd, filler);
    write_str(wfd, "\x01"
                   "c"
                   "B!");
    g_assert_true(WAIT_UNTIL(fe_has(&b, "B!")));
    g_assert_cmpint(a.in->len, ==, 0);
    g_assert_cmpint(fe_last_event(&a), ==, CHR_EVENT_MUX_OUT);
    a.room = ROOM_UNLIMITED;
    qemu_chr_fe_accept_input(&a.be);
    g_assert_cmpint(a.in->len, ==, 40);
    g_assert_cmpmem(a.in->data, a.in->len, filler, 40);

    /* Focus on b, which cannot take input: it is kept for it. */
    b.room = 0;
    g_byte_array_set_size(b.in, 0);
    write_str(wfd, "held");
    iterate_for(50);
    g_assert_cmpint(b.in->len, ==, 0);
    b.room = ROOM_UNLIMITED;
    qemu_chr_fe_accept_input(&b.be);
    g_assert_cmpmem(b.in->data, b.in->len, "held", 4);

    /* At most four front-ends. */
    for (int i = 0; i < 2; i++) {
        g_assert_true(qemu_chr_fe_init(&extra[i].be, chr, &err));
    }
    g_assert_false(qemu_chr_fe_init(&extra[2].be, chr, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "is in use"));
    error_free(err);
    err = NULL;
    for (int i = 0; i < 2; i++) {
        qemu_chr_fe_deinit(&extra[i].be, false);
    }

    /* C-a x: "QEMU: Terminated", then the quit hook. */
    qemu_chr_set_quit_handler(test_quit_handler);
    quit_calls = 0;
    write_str(wfd, "\x01"
                   "x");
    g_assert_true(WAIT_UNTIL(quit_calls == 1));
    g_assert_true(fd_read_until(rfd, acc, "QEMU: Terminated"));

    close(wfd);
    close(rfd);
    fe_free(&a);
    fe_free(&b);
    qemu_chr_cleanup();
    g_assert_null(qemu_chr_find("m0-base"));
    g_string_free(acc, TRUE);
    g_free(base);
    g_free(in);
    g_free(outp);
    rm_rf(dir);
}

/* One front-end: C-a c still says MUX_OUT then MUX_IN (prompt again). */
static void test_mux_single(void)
{
    char *dir = tmpdir();
    char *path = g_build_filename(dir, "p", NULL);
    char *opts;
    Chardev *chr;
    TestFE a;
    int wfd;
    guint n;

    g_assert_cmpint(mkfifo(path, 0600), ==, 0);
    opts = g_strdup_printf("pipe,id=m1,path=%s,mux=on", path);
    chr = chr_new_ok(opts);
    g_free(opts);
    fe_attach(&a, chr);
    wfd = open(path, O_WRONLY | O_NONBLOCK);
    g_assert_true(WAIT_UNTIL(fe_count_events(&a, CHR_EVENT_OPENED) == 1));
    n = a.events->len;
    write_str(wfd, "\x01"
                   "c");
    g_assert_true(WAIT_UNTIL(a.events->len == n + 2));
    g_assert_cmpint(g_array_index(a.events, int, n), ==, CHR_EVENT_MUX_OUT);
    g_assert_cmpint(g_array_index(a.events, int, n + 1), ==, CHR_EVENT_MUX_IN);
    close(wfd);
    fe_free(&a);
    qemu_chr_cleanup();
    g_free(path);
    rm_rf(dir);
}

/* A mux on a socket: OPENED and CLOSED reach every front-end. */
static void test_mux_socket(void)
{
    Chardev *chr = chr_new_ok("socket,id=ms,host=127.0.0.1,port=0,"
                              "server=on,wait=off,mux=on");
    Chardev *base = qemu_chr_find("ms-base");
    TestFE a;
    TestFE b;
    int fd;

    g_assert_nonnull(base);
    fe_attach(&a, chr);
    fe_attach(&b, chr);
    iterate_for(20);
    g_assert_cmpint(fe_count_events(&a, CHR_EVENT_OPENED), ==, 0);
    fd = tcp_connect(tcp_port_of(base));
    g_assert_true(WAIT_UNTIL(fe_count_events(&a, CHR_EVENT_OPENED) == 1 &&
                             fe_count_events(&b, CHR_EVENT_OPENED) == 1));
    write_str(fd, "hi");
    g_assert_true(WAIT_UNTIL(fe_has(&b, "hi")));
    close(fd);
    g_assert_true(WAIT_UNTIL(fe_count_events(&a, CHR_EVENT_CLOSED) == 1 &&
                             fe_count_events(&b, CHR_EVENT_CLOSED) == 1));
    fe_free(&a);
    fe_free(&b);
    qemu_chr_cleanup();
}

/* ---- pty ---- */

static void test_pty(void)
{
    Chardev *chr = chr_new_ok("pty,id=pt0");
    GString *acc = g_string_new(NULL);
    const char *slave;
    TestFE fe;
    int fd;

    g_assert_true(g_str_has_prefix(chr->filename, "pty:/dev/"));
    slave = chr->filename + 4;
    g_assert_true(g_file_test(slave, G_FILE_TEST_EXISTS));
    fe_attach(&fe, chr);
    g_assert_false(chr->be_open);
    /* Nobody on the slave: output is dropped without blocking. */
    for (int i = 0; i < 100; i++) {
        g_assert_cmpint(qemu_chr_fe_write(&fe.be, (const uint8_t *)"lost", 4),
                        ==, 4);
    }
    fe_write_str(&fe, "lost");

    fd = open(slave, O_RDWR | O_NOCTTY);
    g_assert_cmpint(fd, >=, 0);
    /* Raw mode: "\n" is not turned into "\r\n". */
    write_str(fd, "a\nb");
    g_assert_true(WAIT_UNTIL(fe.in->len == 3));
    g_assert_cmpmem(fe.in->data, fe.in->len, "a\nb", 3);
    g_assert_cmpint(fe_count_events(&fe, CHR_EVENT_OPENED), ==, 1);

    fe_write_str(&fe, "to slave");
    g_assert_true(fd_read_until(fd, acc, "to slave"));
    g_assert_null(strstr(acc->str, "lost"));

    close(fd);
    g_assert_true(WAIT_UNTIL(fe_count_events(&fe, CHR_EVENT_CLOSED) == 1));
    g_assert_cmpint(qemu_chr_fe_write(&fe.be, (const uint8_t *)"gone", 4), ==,
                    4);
    fe_free(&fe);
    qemu_chr_cleanup();
    g_string_free(acc, TRUE);
}

/* ---- stdio ---- */

static void test_stdio(void)
{
    Error *err = NULL;
    GString *acc = g_string_new(NULL);
    Chardev *chr;
    TestFE fe;
    int in_pipe[2];
    int out_pipe[2];
    int saved_in;
    int saved_out;

    /* Replace stdin/stdout with pipes: not a tty, termios untouched. */
    g_assert_cmpint(pipe(in_pipe), ==, 0);
    g_assert_cmpint(pipe(out_pipe), ==, 0);
    fflush(stdout);
    saved_in = dup(0);
    saved_out = dup(1);
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);

    chr = chr_new_ok("stdio,id=io0,signal=off");
    g_assert_cmpstr(chr->filename, ==, "stdio");
    chr_new_fails("stdio,id=io1",
                  "cannot use stdio by multiple character devices");
    g_assert_null(qemu_chr_new("io2", "stdio", &err));
    g_assert_nonnull(err);
    error_free(err);
    err = NULL;

    fe_attach(&fe, chr);
    write_str(in_pipe[1], "keys");
    g_assert_true(WAIT_UNTIL(fe_has(&fe, "keys")));
    fe_write_str(&fe, "screen");
    g_assert_true(fd_read_until(out_pipe[0], acc, "screen"));
    qemu_chr_fe_set_echo(&fe.be, true); /* not a tty: harmless */

    /* stdin at EOF: CLOSED. */
    close(in_pipe[1]);
    dup2(saved_in, 0);
    close(in_pipe[0]);
    g_assert_true(WAIT_UNTIL(fe_count_events(&fe, CHR_EVENT_CLOSED) == 1));
    fe_free(&fe);
    qemu_chr_cleanup();

    /* Free again once the first is gone. */
    chr = chr_new_ok("stdio,id=io3");
    qemu_chr_delete(chr);

    fflush(stdout);
    dup2(saved_out, 1);
    close(saved_out);
    close(saved_in);
    close(out_pipe[0]);
    close(out_pipe[1]);
    g_string_free(acc, TRUE);
}

/* ---- legacy syntax ---- */

static void check_compat(const char *spec, const char *backend, const char *key,
                         const char *value)
{
    Error *err = NULL;
    QemuOpts *opts = qemu_chr_parse_compat("c0", spec, &err);

    g_assert_null(err);
    g_assert_nonnull(opts);
    g_assert_cmpstr(qemu_opt_get(opts, "backend"), ==, backend);
    g_assert_cmpstr(qemu_opt_get(opts, "id"), ==, "c0");
    if (key) {
        g_assert_cmpstr(qemu_opt_get(opts, key), ==, value);
    }
    qemu_opts_free(opts);
}

static void check_compat_fails(const char *spec, const char *want)
{
    Error *err = NULL;
    QemuOpts *opts = qemu_chr_parse_compat("c0", spec, &err);

    g_assert_null(opts);
    g_assert_nonnull(err);
    if (!strstr(error_get_pretty(err), want)) {
        g_test_message("'%s' gave '%s'", spec, error_get_pretty(err));
        g_assert_not_reached();
    }
    error_free(err);
}

static void test_parse_compat(void)
{
    Error *err = NULL;
    QemuOpts *opts;
    Chardev *chr;
    bool b;

    opts = qemu_chr_parse_compat("c0", "tcp::4444,server=on,wait=off", &err);
    g_assert_null(err);
    g_assert_cmpstr(qemu_opt_get(opts, "backend"), ==, "socket");
    g_assert_cmpstr(qemu_opt_get(opts, "port"), ==, "4444");
    g_assert_null(qemu_opt_get(opts, "host"));
    g_assert_true(qemu_opt_get_bool(opts, "server", false, &b, &err) && b);
    g_assert_true(qemu_opt_get_bool(opts, "wait", true, &b, &err) && !b);
    g_assert_null(qemu_opt_get(opts, "telnet"));
    qemu_opts_free(opts);

    /* The deprecated short forms, read with the back-end's keys. */
    opts = qemu_chr_parse_compat("c0", "tcp::4444,server,nowait,nodelay", &err);
    g_assert_null(err);
    g_assert_cmpstr(qemu_opt_get(opts, "server"), ==, "on");
    g_assert_cmpstr(qemu_opt_get(opts, "wait"), ==, "off");
    g_assert_cmpstr(qemu_opt_get(opts, "nodelay"), ==, "on");
    qemu_opts_free(opts);
    opts = qemu_chr_parse_opts("socket,id=x,port=1,server,nowait", &err);
    g_assert_null(err);
    g_assert_cmpstr(qemu_opt_get(opts, "wait"), ==, "off");
    qemu_opts_free(opts);
    g_assert_null(qemu_chr_parse_opts("null,id=x,bogus=1", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Invalid parameter 'bogus'");
    error_free(err);
    err = NULL;

    check_compat("tcp:localhost:5555", "socket", "host", "localhost");
    check_compat("tcp:localhost:5555", "socket", "port", "5555");
    check_compat("tcp:[::1]:5555", "socket", "host", "::1");
    check_compat("telnet::4444,server=on", "socket", "telnet", "on");
    check_compat("telnet::4444,server=on", "socket", "server", "on");
    check_compat("unix:/tmp/x,server=on", "socket", "path", "/tmp/x");
    check_compat("unix:/tmp/x,server=on", "socket", "server", "on");
    check_compat("file:/tmp/x", "file", "path", "/tmp/x");
    check_compat("file:/tmp/a,b", "file", "path", "/tmp/a,b");
    check_compat("pipe:/tmp/p", "pipe", "path", "/tmp/p");
    check_compat("null", "null", NULL, NULL);
    check_compat("pty", "pty", NULL, NULL);
    check_compat("vc", "vc", NULL, NULL);
    check_compat("vc:80Cx24C", "vc", NULL, NULL);
    check_compat("stdio", "stdio", "mux", NULL);
    check_compat("mon:stdio", "stdio", "mux", "on");
    /* QEMU passes Ctrl-C to the guest under "mon:stdio". */
    check_compat("mon:stdio", "stdio", "signal", "off");
    check_compat("mon:tcp::4444,server=on,wait=off", "socket", "mux", "on");
    check_compat("/dev/ttyS0", "serial", "path", "/dev/ttyS0");

    check_compat_fails("bogus", "'bogus' is not a valid char driver");
    check_compat_fails("udp:1.2.3.4:5", "not supported");
    check_compat_fails("tcp:", "tcp:");
    check_compat_fails("tcp:localhost", "tcp:");
    check_compat_fails("mon:bogus", "not a valid char driver");
    check_compat_fails("none", "does not create a chardev");
    check_compat_fails("chardev:x", "does not create a chardev");

    g_assert_true(qemu_chr_spec_is_mon("mon:stdio"));
    g_assert_false(qemu_chr_spec_is_mon("stdio"));

    /* qemu_chr_new */
    g_assert_null(qemu_chr_new("c1", "none", &err));
    g_assert_null(err);
    chr = qemu_chr_new("c2", "null", &err);
    g_assert_null(err);
    g_assert_cmpstr(chr->label, ==, "c2");
    g_assert_true(qemu_chr_new("c3", "chardev:c2", &err) == chr);
    g_assert_null(qemu_chr_new("c4", "chardev:nosuch", &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "nosuch"));
    error_free(err);
    err = NULL;
    g_assert_null(qemu_chr_new("c5", "bogus", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "'bogus' is not a valid char driver");
    error_free(err);
    err = NULL;
    chr = qemu_chr_new("c6", "/dev/null", &err);
    g_assert_null(err);
    g_assert_nonnull(chr);
    chr = qemu_chr_new("c7", "mon:null", &err);
    g_assert_null(err);
    g_assert_true(qemu_chr_is_mux(chr));
    g_assert_cmpstr(chr->label, ==, "c7");
    qemu_chr_cleanup();
}

/* ---- registry, ids, foreach ---- */

static void collect_label(Chardev *chr, void *opaque)
{
    g_string_append_printf(opaque, "%s;", chr->label);
}

static void test_registry(void)
{
    Error *err = NULL;
    GString *labels = g_string_new(NULL);
    char *help = NULL;
    size_t help_len = 0;
    FILE *f;
    Chardev *chr;
    TestFE fe;
    TestFE fe2;

    chr_new_ok("null,id=r0");
    chr_new_fails("null,id=r0", "Duplicate ID 'r0' for chardev");
    chr_new_fails("bogus,id=r1", "'bogus' is not a valid char driver name");
    chr_new_fails("null,id=r2,foo=1", "Invalid parameter 'foo'");
    chr_new_fails("null", "'id'");
    chr_new_fails("null,id=r3,mux=maybe", "mux");
    chr_new_ok("null,id=r4,mux=on");
    chr_new_ok("vc,id=r5,cols=80");
    chr_new_fails("null,id=r4-base", "Duplicate ID 'r4-base'");

    qemu_chr_foreach(collect_label, labels);
    g_assert_cmpstr(labels->str, ==, "r0;r4-base;r4;r5;");
    g_string_free(labels, TRUE);

    /* One front-end per plain chardev. */
    chr = qemu_chr_find("r0");
    fe_attach(&fe, chr);
    g_assert_false(qemu_chr_fe_init(&fe2.be, chr, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Device 'r0' is in use");
    error_free(err);

    /* Deleting a chardev leaves the front-end harmlessly detached. */
    qemu_chr_cleanup();
    g_assert_false(qemu_chr_fe_backend_connected(&fe.be));
    g_assert_cmpint(qemu_chr_fe_write(&fe.be, (const uint8_t *)"x", 1), ==, 1);
    fe_free(&fe);
    qemu_chr_cleanup();
    g_assert_null(qemu_chr_find("r4"));

    f = open_memstream(&help, &help_len);
    qemu_chr_print_help(f);
    fclose(f);
    g_assert_true(g_str_has_prefix(help, "Available chardev backend types:"));
    g_assert_nonnull(strstr(help, "\n  socket\n"));
    g_assert_nonnull(strstr(help, "\n  pty\n"));
    g_assert_null(strstr(help, "mux"));
    free(help);

    /* A front-end without a chardev (-serial none) swallows output. */
    g_assert_true(qemu_chr_fe_init(&fe2.be, NULL, &err));
    g_assert_false(qemu_chr_fe_backend_connected(&fe2.be));
    g_assert_cmpint(qemu_chr_fe_write(&fe2.be, (const uint8_t *)"x", 1), ==, 1);
    qemu_chr_fe_deinit(&fe2.be, false);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_chr_register_builtin_classes();
    g_test_add_func("/chardev/null", test_null);
    g_test_add_func("/chardev/file", test_file);
    g_test_add_func("/chardev/logfile", test_logfile);
    g_test_add_func("/chardev/pipe", test_pipe);
    g_test_add_func("/chardev/flow-control", test_flow_control);
    g_test_add_func("/chardev/socket/tcp-server", test_socket_tcp_server);
    g_test_add_func("/chardev/socket/telnet", test_socket_telnet);
    g_test_add_func("/chardev/socket/unix", test_socket_unix);
    g_test_add_func("/chardev/socket/errors", test_socket_errors);
    g_test_add_func("/chardev/mux", test_mux);
    g_test_add_func("/chardev/mux-single", test_mux_single);
    g_test_add_func("/chardev/mux-socket", test_mux_socket);
    g_test_add_func("/chardev/pty", test_pty);
    g_test_add_func("/chardev/stdio", test_stdio);
    g_test_add_func("/chardev/parse-compat", test_parse_compat);
    g_test_add_func("/chardev/registry", test_registry);
    return g_test_run();
}
