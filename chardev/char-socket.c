/*
 * The socket back-end: TCP (host=, port=) or Unix-domain (path=) stream
 * sockets, as a client (connect at creation) or a server (server=on).
 *
 * A server serves one client at a time: while a client is connected the
 * listening socket is not watched, so further connections wait in the
 * backlog.  When the client goes away the front-end gets CHR_EVENT_CLOSED
 * and we listen again.  wait=on (the default for servers, as in QEMU)
 * blocks creation until the first client arrives; wait=off starts
 * disconnected and announces the client with CHR_EVENT_OPENED.
 *
 * Output while nobody is connected is discarded (chr_write returns -1).
 * telnet=on speaks just enough telnet: it asks the client for
 * character-at-a-time binary mode without local echo, strips the client's
 * negotiation from the input, and turns a telnet BREAK into
 * CHR_EVENT_BREAK.
 */
#include "qemu/osdep.h"
#include "chardev/char-internal.h"

#include <glib-unix.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

/* Telnet protocol bytes (RFC 854, 856, 857, 858). */
#define TN_SE         240
#define TN_BRK        243
#define TN_SB         250
#define TN_WILL       251
#define TN_DONT       254
#define TN_IAC        255
#define TN_OPT_BINARY 0
#define TN_OPT_ECHO   1
#define TN_OPT_SGA    3

typedef enum TelnetState {
    TN_STATE_DATA,
    TN_STATE_IAC,    /* after IAC */
    TN_STATE_OPTION, /* after IAC WILL/WONT/DO/DONT: one option byte */
    TN_STATE_SB,     /* inside a subnegotiation */
    TN_STATE_SB_IAC, /* IAC inside a subnegotiation */
} TelnetState;

typedef struct SocketChardev {
    Chardev parent;
    bool is_unix;
    bool is_listen;
    bool is_telnet;
    bool nodelay;
    int family; /* AF_UNSPEC, or AF_INET/AF_INET6 (ipv4=/ipv6=) */
    char *host; /* as configured (tcp) */
    char *port;
    char *path;        /* unix */
    char *listen_addr; /* "tcp:ADDR:PORT" / "unix:PATH" once listening */
    bool unlink_path;  /* we created the unix socket file */
    int listen_fd;
    guint listen_tag;
    int fd; /* the connection, -1 while disconnected */
    ChrInputWatch *in_watch;
    guint disconnect_tag; /* a disconnect found while writing */
    unsigned reconnect;   /* client: seconds between attempts, 0 = never */
    guint reconnect_tag;
    TelnetState tn_state;
} SocketChardev;

static const QemuOptDesc socket_opts[] = {
    { "host", QEMU_OPT_STRING, "TCP host name or address" },
    { "port", QEMU_OPT_STRING, "TCP port" },
    { "to", QEMU_OPT_NUMBER, "server: try ports up to this one" },
    { "path", QEMU_OPT_STRING, "Unix socket path" },
    { "server", QEMU_OPT_BOOL, "listen instead of connecting" },
    { "wait", QEMU_OPT_BOOL, "server: wait for a client at start-up" },
    { "nodelay", QEMU_OPT_BOOL, "disable Nagle's algorithm" },
    { "delay", QEMU_OPT_BOOL, "off: same as nodelay=on" },
    { "telnet", QEMU_OPT_BOOL, "speak the telnet protocol" },
    { "reconnect", QEMU_OPT_NUMBER, "client: retry every N seconds" },
    { "ipv4", QEMU_OPT_BOOL, "IPv4 only" },
    { "ipv6", QEMU_OPT_BOOL, "IPv6 only" },
    { NULL },
};

static void socket_input(Chardev *chr, GIOCondition cond);

/* "ADDR:PORT" of a TCP address, numeric. */
static char *sockaddr_str(const struct sockaddr *sa, socklen_t len)
{
    char host[NI_MAXHOST];
    char serv[NI_MAXSERV];

    if (getnameinfo(sa, len, host, sizeof(host), serv, sizeof(serv),
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        return g_strdup("?:?");
    }
    return g_strdup_printf("%s:%s", host, serv);
}

static void socket_update_filename(SocketChardev *s)
{
    const char *server = s->is_listen ? ",server=on" : "";
    char *name;

    if (s->fd < 0) {
        if (s->is_unix) {
            name = g_strdup_printf("disconnected:unix:%s%s", s->path, server);
        } else if (s->listen_addr) {
            name = g_strdup_printf("disconnected:%s%s", s->listen_addr, server);
        } else {
            name = g_strdup_printf("disconnected:tcp:%s:%s", s->host, s->port);
        }
    } else if (s->is_unix) {
        name = g_strdup_printf("unix:%s%s", s->path, server);
    } else {
        struct sockaddr_storage local;
        struct sockaddr_storage peer;
        socklen_t llen = sizeof(local);
        socklen_t plen = sizeof(peer);
        char *l;
        char *p;

        getsockname(s->fd, (struct sockaddr *)&local, &llen);
        getpeername(s->fd, (struct sockaddr *)&peer, &plen);
        l = sockaddr_str((struct sockaddr *)&local, llen);
        p = sockaddr_str((struct sockaddr *)&peer, plen);
        name = g_strdup_printf("tcp:%s%s <-> %s", l, server, p);
        g_free(l);
        g_free(p);
    }
    qemu_chr_set_filename(&s->parent, name);
}

static void socket_send_raw(SocketChardev *s, const uint8_t *buf, size_t len)
{
    while (len > 0) {
        ssize_t ret = send(s->fd, buf, len, MSG_NOSIGNAL);
        if (ret < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                chr_poll_fd(s->fd, POLLOUT, 1000);
                continue;
            }
            return;
        }
        buf += ret;
        len -= ret;
    }
}

/* Binary, no local echo, no go-ahead: a raw character stream. */
static void telnet_negotiate(SocketChardev *s)
{
    static const uint8_t init[] = {
        TN_IAC, TN_WILL, TN_OPT_ECHO,   TN_IAC, TN_WILL, TN_OPT_SGA,
        TN_IAC, TN_WILL, TN_OPT_BINARY, TN_IAC, 253,     TN_OPT_BINARY,
    };

    socket_send_raw(s, init, sizeof(init));
}

static gboolean socket_accept_cb(gint fd, GIOCondition cond, gpointer opaque);

static void socket_listen_watch(SocketChardev *s)
{
    if (s->is_listen && s->listen_fd >= 0 && !s->listen_tag) {
        s->listen_tag =
            g_unix_fd_add(s->listen_fd, G_IO_IN, socket_accept_cb, s);
    }
}

static gboolean socket_reconnect_cb(gpointer opaque);

/* Takes over fd as the connection; announce: send CHR_EVENT_OPENED. */
static void socket_connected(SocketChardev *s, int fd, bool announce)
{
    int flags = fcntl(fd, F_GETFL);

    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    if (!s->is_unix && s->nodelay) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    s->fd = fd;
    s->tn_state = TN_STATE_DATA;
    if (s->is_telnet) {
        telnet_negotiate(s);
    }
    socket_update_filename(s);
    s->in_watch = chr_input_watch_new(&s->parent, fd, socket_input);
    if (announce) {
        qemu_chr_be_event(&s->parent, CHR_EVENT_OPENED);
    }
}

static void socket_disconnect(SocketChardev *s)
{
    if (s->fd < 0) {
        return;
    }
    chr_input_watch_remove(&s->in_watch);
    if (s->disconnect_tag) {
        g_source_remove(s->disconnect_tag);
        s->disconnect_tag = 0;
    }
    close(s->fd);
    s->fd = -1;
    socket_update_filename(s);
    socket_listen_watch(s);
    if (!s->is_listen && s->reconnect && !s->reconnect_tag) {
        s->reconnect_tag =
            g_timeout_add_seconds(s->reconnect, socket_reconnect_cb, s);
    }
    qemu_chr_be_event(&s->parent, CHR_EVENT_CLOSED);
}

static gboolean socket_accept_cb(gint fd, GIOCondition cond, gpointer opaque)
{
    SocketChardev *s = opaque;
    int conn;

    conn = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (conn < 0) {
        return G_SOURCE_CONTINUE; /* EAGAIN, ECONNABORTED: keep listening */
    }
    /* One client at a time: stop accepting until this one leaves. */
    s->listen_tag = 0;
    socket_connected(s, conn, true);
    return G_SOURCE_REMOVE;
}

/*
 * Strips telnet commands from buf in place; returns the data length.
 * A BREAK flushes the data before it, then raises CHR_EVENT_BREAK.
 */
static int telnet_filter(SocketChardev *s, uint8_t *buf, int len)
{
    int out = 0;

    for (int i = 0; i < len; i++) {
        uint8_t c = buf[i];

        switch (s->tn_state) {
        case TN_STATE_DATA:
            if (c == TN_IAC) {
                s->tn_state = TN_STATE_IAC;
            } else {
                buf[out++] = c;
            }
            break;
        case TN_STATE_IAC:
            s->tn_state = TN_STATE_DATA;
            if (c == TN_IAC) {
                buf[out++] = c; /* escaped 0xff */
            } else if (c >= TN_WILL && c <= TN_DONT) {
                s->tn_state = TN_STATE_OPTION;
            } else if (c == TN_SB) {
                s->tn_state = TN_STATE_SB;
            } else if (c == TN_BRK) {
                if (out > 0) {
                    qemu_chr_be_write(&s->parent, buf, out);
                    out = 0;
                }
                qemu_chr_be_event(&s->parent, CHR_EVENT_BREAK);
            }
            break;
        case TN_STATE_OPTION:
            s->tn_state = TN_STATE_DATA;
            break;
        case TN_STATE_SB:
            if (c == TN_IAC) {
                s->tn_state = TN_STATE_SB_IAC;
            }
            break;
        case TN_STATE_SB_IAC:
            s->tn_state = c == TN_SE ? TN_STATE_DATA : TN_STATE_SB;
            break;
        }
    }
    return out;
}

static void socket_input(Chardev *chr, GIOCondition cond)
{
    SocketChardev *s = (SocketChardev *)chr;
    uint8_t buf[4096];
    int avail = qemu_chr_be_can_write(chr);
    ssize_t ret;

    if (avail <= 0) {
        return;
    }
    do {
        ret = recv(s->fd, buf, MIN((size_t)avail, sizeof(buf)), 0);
    } while (ret < 0 && errno == EINTR);
    if (ret > 0) {
        int len = s->is_telnet ? telnet_filter(s, buf, ret) : (int)ret;
        if (len > 0) {
            qemu_chr_be_write(chr, buf, len);
        }
        return;
    }
    if (ret < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return;
    }
    socket_disconnect(s); /* EOF or a reset */
}

static gboolean socket_disconnect_cb(gpointer opaque)
{
    SocketChardev *s = opaque;

    s->disconnect_tag = 0;
    socket_disconnect(s);
    return G_SOURCE_REMOVE;
}

static int socket_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    SocketChardev *s = (SocketChardev *)chr;
    ssize_t ret;

    if (s->fd < 0 || s->disconnect_tag) {
        return -1;
    }
    do {
        ret = send(s->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (ret < 0 && errno == EINTR);
    if (ret >= 0) {
        return ret;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
        return 0;
    }
    /* The peer is gone; tell the front-end from the main loop, not from
     * inside its own write. */
    s->disconnect_tag =
        g_idle_add_full(G_PRIORITY_DEFAULT, socket_disconnect_cb, s, NULL);
    return -1;
}

static void socket_chr_wait_writable(Chardev *chr)
{
    SocketChardev *s = (SocketChardev *)chr;

    if (s->fd >= 0) {
        chr_poll_fd(s->fd, POLLOUT, 1000);
    }
}

/* ---- addresses ---- */

static bool unix_addr(const char *path, struct sockaddr_un *sun, Error **errp)
{
    memset(sun, 0, sizeof(*sun));
    sun->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sun->sun_path)) {
        error_setg(errp, "UNIX socket path '%s' is too long", path);
        return false;
    }
    strcpy(sun->sun_path, path);
    return true;
}

static struct addrinfo *tcp_resolve(SocketChardev *s, const char *port,
                                    bool passive, Error **errp)
{
    struct addrinfo hints = {
        .ai_family = s->family,
        .ai_socktype = SOCK_STREAM,
        .ai_flags = passive ? AI_PASSIVE : AI_ADDRCONFIG,
    };
    struct addrinfo *res = NULL;
    const char *host = *s->host ? s->host : NULL;
    int ret;

    if (!host && !passive) {
        host = "localhost";
    }
    ret = getaddrinfo(host, port, &hints, &res);
    if (ret != 0) {
        error_setg(errp, "address resolution failed for '%s:%s': %s", s->host,
                   port, gai_strerror(ret));
        return NULL;
    }
    return res;
}

/* Connects (blocking) to the configured address; returns the fd or -1. */
static int socket_connect_now(SocketChardev *s, Error **errp)
{
    int fd;
    int err = 0;

    if (s->is_unix) {
        struct sockaddr_un sun;

        if (!unix_addr(s->path, &sun, errp)) {
            return -1;
        }
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            error_setg_errno(errp, errno, "Failed to create socket");
            return -1;
        }
        if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
            return fd;
        }
        error_setg_errno(errp, errno, "Failed to connect to '%s'", s->path);
        close(fd);
        return -1;
    }

    struct addrinfo *res = tcp_resolve(s, s->port, false, errp);
    if (!res) {
        return -1;
    }
    fd = -1;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                    ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            break;
        }
        err = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        error_setg_errno(errp, err, "Failed to connect to '%s:%s'",
                         *s->host ? s->host : "localhost", s->port);
    }
    return fd;
}

static gboolean socket_reconnect_cb(gpointer opaque)
{
    SocketChardev *s = opaque;
    int fd;

    if (s->fd >= 0) {
        s->reconnect_tag = 0;
        return G_SOURCE_REMOVE;
    }
    fd = socket_connect_now(s, NULL);
    if (fd < 0) {
        return G_SOURCE_CONTINUE;
    }
    s->reconnect_tag = 0;
    socket_connected(s, fd, true);
    return G_SOURCE_REMOVE;
}

static bool socket_listen_unix(SocketChardev *s, Error **errp)
{
    struct sockaddr_un sun;
    struct stat st;
    int fd;

    if (!unix_addr(s->path, &sun, errp)) {
        return false;
    }
    /* A stale socket from an earlier run would make bind() fail. */
    if (lstat(s->path, &st) == 0 && S_ISSOCK(st.st_mode)) {
        unlink(s->path);
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Failed to create socket");
        return false;
    }
    if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
        listen(fd, 1) < 0) {
        error_setg_errno(errp, errno, "Failed to listen on '%s'", s->path);
        close(fd);
        return false;
    }
    s->listen_fd = fd;
    s->unlink_path = true;
    s->listen_addr = g_strdup_printf("unix:%s", s->path);
    return true;
}

static int tcp_listen_one(struct addrinfo *ai, int *err)
{
    int one = 1;
    int zero = 0;
    int fd =
        socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);

    if (fd < 0) {
        *err = errno;
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (ai->ai_family == AF_INET6) {
        /* One socket for both families unless ipv6=on asked otherwise. */
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
    }
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 1) < 0) {
        *err = errno;
        close(fd);
        return -1;
    }
    return fd;
}

static bool socket_listen_tcp(SocketChardev *s, uint64_t to, Error **errp)
{
    uint64_t first = strtoull(s->port, NULL, 10);
    uint64_t last = to ? to : first;
    int err = EADDRINUSE;
    int fd = -1;
    struct sockaddr_storage addr;
    socklen_t len = sizeof(addr);
    char *str;

    for (uint64_t port = first; port <= last && fd < 0; port++) {
        char *pstr = to ? g_strdup_printf("%" PRIu64, port) : g_strdup(s->port);
        struct addrinfo *res = tcp_resolve(s, pstr, true, errp);

        g_free(pstr);
        if (!res) {
            return false;
        }
        for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
            fd = tcp_listen_one(ai, &err);
        }
        freeaddrinfo(res);
    }
    if (fd < 0) {
        if (*s->host) {
            error_setg_errno(errp, err, "Failed to listen on '%s:%s'", s->host,
                             s->port);
        } else {
            error_setg_errno(errp, err, "Failed to listen on port %s", s->port);
        }
        return false;
    }
    s->listen_fd = fd;
    getsockname(fd, (struct sockaddr *)&addr, &len);
    str = sockaddr_str((struct sockaddr *)&addr, len);
    s->listen_addr = g_strdup_printf("tcp:%s", str);
    g_free(str);
    return true;
}

/* Blocks until the first client connects (server=on,wait=on). */
static bool socket_wait_client(SocketChardev *s, Error **errp)
{
    info_report("QEMU waiting for connection on: %s", s->parent.filename);
    for (;;) {
        struct pollfd pfd = { .fd = s->listen_fd, .events = POLLIN };
        int conn;

        /*
         * A signal here is Ctrl-C or a kill from the user (the main loop's
         * handlers only set a flag): give up rather than ignore it.
         */
        if (poll(&pfd, 1, -1) < 0 && errno == EINTR) {
            error_setg(errp, "interrupted while waiting for a connection");
            return false;
        }
        conn = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (conn >= 0) {
            socket_connected(s, conn, false);
            return true;
        }
        if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED) {
            error_setg_errno(errp, errno, "Failed to accept a connection");
            return false;
        }
    }
}

static bool get_bool(QemuOpts *opts, const char *name, bool def, bool *val,
                     Error **errp)
{
    return qemu_opt_get_bool(opts, name, def, val, errp);
}

static bool socket_chr_open_inner(Chardev *chr, QemuOpts *opts, bool *be_opened,
                                  Error **errp)
{
    SocketChardev *s = (SocketChardev *)chr;
    const char *path = qemu_opt_get(opts, "path");
    const char *host = qemu_opt_get(opts, "host");
    const char *port = qemu_opt_get(opts, "port");
    bool server, wait, nodelay, delay, telnet, ipv4, ipv6;
    uint64_t to, reconnect;
    int fd;

    s->fd = -1;
    s->listen_fd = -1;
    if (!get_bool(opts, "server", false, &server, errp) ||
        !get_bool(opts, "wait", true, &wait, errp) ||
        !get_bool(opts, "nodelay", false, &nodelay, errp) ||
        !get_bool(opts, "delay", true, &delay, errp) ||
        !get_bool(opts, "telnet", false, &telnet, errp) ||
        !get_bool(opts, "ipv4", false, &ipv4, errp) ||
        !get_bool(opts, "ipv6", false, &ipv6, errp) ||
        !qemu_opt_get_number(opts, "to", 0, &to, errp) ||
        !qemu_opt_get_number(opts, "reconnect", 0, &reconnect, errp)) {
        return false;
    }
    if (path && *path) {
        if (host || port) {
            error_setg(errp, "'path' and 'host'/'port' cannot be combined");
            return false;
        }
        s->is_unix = true;
        s->path = g_strdup(path);
    } else if (port && *port) {
        char *end;

        if (strtoull(port, &end, 10) > 65535 || *end || end == port) {
            error_setg(errp, "port '%s' is not a number from 0 to 65535", port);
            return false;
        }
        s->host = g_strdup(host ? host : "");
        s->port = g_strdup(port);
    } else if (host) {
        error_setg(errp, "'port' is required for tcp");
        return false;
    } else {
        error_setg(errp, "'path' (unix) or 'port' (tcp) is required");
        return false;
    }
    if (!server && qemu_opt_has(opts, "wait")) {
        error_setg(errp, "'wait' option is incompatible with socket in "
                         "client connect mode");
        return false;
    }
    if (server && reconnect) {
        error_setg(errp, "'reconnect' option is incompatible with socket in "
                         "server listen mode");
        return false;
    }
    if (to && (!server || s->is_unix || to < strtoull(s->port, NULL, 10) ||
               to > 65535)) {
        error_setg(errp, "'to' must be a port >= 'port' for a tcp server");
        return false;
    }
    s->is_listen = server;
    s->is_telnet = telnet;
    s->nodelay = nodelay || !delay;
    s->family = ipv4 && !ipv6 ? AF_INET : ipv6 && !ipv4 ? AF_INET6 : AF_UNSPEC;
    s->reconnect = reconnect > 3600 ? 3600 : reconnect;

    if (server) {
        if (s->is_unix ? !socket_listen_unix(s, errp)
                       : !socket_listen_tcp(s, to, errp)) {
            return false;
        }
        socket_update_filename(s);
        if (wait) {
            if (!socket_wait_client(s, errp)) {
                return false;
            }
            *be_opened = true;
        } else {
            socket_listen_watch(s);
            *be_opened = false;
        }
        return true;
    }

    fd = socket_connect_now(s, reconnect ? NULL : errp);
    if (fd < 0) {
        if (!reconnect) {
            return false;
        }
        /* reconnect=N: not there yet is not an error; keep trying. */
        socket_update_filename(s);
        s->reconnect_tag =
            g_timeout_add_seconds(s->reconnect, socket_reconnect_cb, s);
        *be_opened = false;
        return true;
    }
    socket_connected(s, fd, false);
    *be_opened = true;
    return true;
}

static void socket_chr_close(Chardev *chr)
{
    SocketChardev *s = (SocketChardev *)chr;

    chr_input_watch_remove(&s->in_watch);
    if (s->disconnect_tag) {
        g_source_remove(s->disconnect_tag);
    }
    if (s->reconnect_tag) {
        g_source_remove(s->reconnect_tag);
    }
    if (s->listen_tag) {
        g_source_remove(s->listen_tag);
    }
    if (s->fd >= 0) {
        close(s->fd);
    }
    if (s->listen_fd >= 0) {
        close(s->listen_fd);
    }
    if (s->unlink_path) {
        unlink(s->path);
    }
    g_free(s->host);
    g_free(s->port);
    g_free(s->path);
    g_free(s->listen_addr);
}

static bool socket_chr_open(Chardev *chr, QemuOpts *opts, bool *be_opened,
                            Error **errp)
{
    SocketChardev *s = (SocketChardev *)chr;

    s->fd = -1;
    s->listen_fd = -1;
    if (!socket_chr_open_inner(chr, opts, be_opened, errp)) {
        /* The caller frees only the Chardev: release what we took. */
        socket_chr_close(chr);
        return false;
    }
    return true;
}

const ChardevClass char_socket_class = {
    .name = "socket",
    .help = "TCP (host=,port=) or Unix (path=) socket, client or "
            "server=on[,wait=off]",
    .instance_size = sizeof(SocketChardev),
    .opts = socket_opts,
    .open = socket_chr_open,
    .chr_write = socket_chr_write,
    .chr_wait_writable = socket_chr_wait_writable,
    .chr_close = socket_chr_close,
};

static const QemuOptDesc udp_opts[] = {
    { "host", QEMU_OPT_STRING, "remote host" },
    { "port", QEMU_OPT_STRING, "remote port" },
    { "localaddr", QEMU_OPT_STRING, "local address" },
    { "localport", QEMU_OPT_STRING, "local port" },
    { "ipv4", QEMU_OPT_BOOL, "IPv4 only" },
    { "ipv6", QEMU_OPT_BOOL, "IPv6 only" },
    { NULL },
};

/* Known to QEMU users, so say plainly that it is missing here. */
static bool udp_chr_open(Chardev *chr, QemuOpts *opts, bool *be_opened,
                         Error **errp)
{
    error_setg(errp, "UDP character devices are not supported");
    return false;
}

const ChardevClass char_udp_class = {
    .name = "udp",
    .help = "not supported",
    .instance_size = sizeof(Chardev),
    .opts = udp_opts,
    .open = udp_chr_open,
};
