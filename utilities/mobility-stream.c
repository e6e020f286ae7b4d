/*
 * Copyright (c) 2026 The ovs-mobility authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/* mobility-stream: a sequence-numbered UDP stream for the migration lab.
 *
 *     mobility-stream send [OPTIONS] DST     paced sender, logs the echoes
 *     mobility-stream echo [OPTIONS]         receiver, logs and echoes back
 *
 * Every datagram carries, in network byte order:
 *
 *      0  magic "MOBS"
 *      4  flags (bit 0: this is an echo)
 *      8  sequence number, from 0
 *     16  send time, CLOCK_REALTIME nanoseconds
 *     24  receive time at the echoing end (echoes only)
 *     32  zero padding up to --size bytes
 *
 * Both ends may write a log, one line per valid datagram received:
 * "SEQ TX_NS RX_NS" ("SEQ TX_NS RX_NS ECHO_RX_NS" for echoes).  The clock
 * is CLOCK_REALTIME so that the lab can line the logs up with packet
 * captures and with its own event times; all namespaces share it.
 *
 * At the end each prints one summary line of KEY=VALUE pairs: datagrams
 * received, unique, duplicates, reordered (arrived after a higher sequence
 * number), lost (for the sender: sent minus unique echoes) and the longest
 * gap between two consecutive arrivals.  The traffic is bounded: the rate
 * is at most MAX_RATE and the count at most MAX_COUNT; the echo side stops
 * on SIGINT or SIGTERM, or after --timeout seconds. */

#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define STREAM_MAGIC 0x4d4f4253u        /* "MOBS" */
#define STREAM_F_ECHO 1u
#define STREAM_HDR_LEN 32
#define STREAM_MAX_LEN 1400

#define MAX_RATE 100000
#define MAX_COUNT 10000000
#define DEFAULT_PORT 9000
#define DEFAULT_RATE 1000
#define DEFAULT_COUNT 1000
#define DEFAULT_SIZE 64

/* What one end of the stream has received. */
struct stream_stats {
    uint64_t received;          /* Valid datagrams. */
    uint64_t unique;            /* Distinct sequence numbers. */
    uint64_t duplicates;        /* Received again. */
    uint64_t reordered;         /* Arrived after a higher number. */
    uint64_t invalid;           /* Too short, bad magic, out of range. */
    uint64_t max_seq;           /* Highest sequence number seen. */
    uint64_t last_rx_ns;        /* Arrival time of the latest datagram. */
    uint64_t max_gap_ns;        /* Longest gap between two arrivals. */
    uint8_t *seen;              /* Bitmap of sequence numbers seen. */
    size_t seen_bytes;
};

static volatile sig_atomic_t stop_requested;

/* Signal handler: asks the main loop to finish. */
static void
request_stop(int sig)
{
    (void) sig;
    stop_requested = 1;
}

/* Returns CLOCK_REALTIME in nanoseconds. */
static uint64_t
now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t) ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* Stores 'v' at 'p' in network byte order. */
static void
put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = v & 0xff;
        v >>= 8;
    }
}

/* Returns the big-endian 64-bit value at 'p'. */
static uint64_t
get_be64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

/* Stores 'v' at 'p' in network byte order. */
static void
put_be32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

/* Returns the big-endian 32-bit value at 'p'. */
static uint32_t
get_be32(const uint8_t *p)
{
    return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16)
           | ((uint32_t) p[2] << 8) | p[3];
}

/* Prints an error message built from 'format' and exits with status 1. */
static void
fatal(const char *format, const char *arg)
{
    fprintf(stderr, "mobility-stream: ");
    fprintf(stderr, format, arg);
    fputc('\n', stderr);
    exit(1);
}

/* Parses 's' as a decimal integer in [min, max] for option 'name'.  Exits
 * with a message if it is anything else.  Returns the value. */
static long long
parse_int(const char *s, long long min, long long max, const char *name)
{
    char *end;
    long long v;

    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max) {
        fprintf(stderr, "mobility-stream: %s: \"%s\" is not an integer "
                "between %lld and %lld\n", name, s, min, max);
        exit(1);
    }
    return v;
}

/* Records the arrival of sequence number 'seq' at 'rx_ns' in '*st'.
 * Returns true if 'seq' is new, false for a duplicate. */
static bool
stats_record(struct stream_stats *st, uint64_t seq, uint64_t rx_ns)
{
    size_t byte = seq / 8;
    uint8_t bit = 1u << (seq % 8);
    bool fresh;

    if (byte >= st->seen_bytes) {
        size_t n = st->seen_bytes ? st->seen_bytes : 4096;
        uint8_t *p;

        while (n <= byte) {
            n *= 2;
        }
        p = realloc(st->seen, n);
        if (!p) {
            fatal("%s", "out of memory");
        }
        memset(p + st->seen_bytes, 0, n - st->seen_bytes);
        st->seen = p;
        st->seen_bytes = n;
    }

    if (st->received && rx_ns > st->last_rx_ns
        && rx_ns - st->last_rx_ns > st->max_gap_ns) {
        st->max_gap_ns = rx_ns - st->last_rx_ns;
    }
    st->last_rx_ns = rx_ns;

    fresh = !(st->seen[byte] & bit);
    if (fresh) {
        st->seen[byte] |= bit;
        st->unique++;
        if (st->received && seq < st->max_seq) {
            st->reordered++;
        }
    } else {
        st->duplicates++;
    }
    if (!st->received || seq > st->max_seq) {
        st->max_seq = seq;
    }
    st->received++;
    return fresh;
}

/* Prints '*st' as one line of KEY=VALUE pairs, preceded by 'prefix' (more
 * pairs) and with 'lost' if 'expected' is non-zero. */
static void
stats_print(const struct stream_stats *st, const char *prefix,
            uint64_t expected)
{
    printf("%sreceived=%" PRIu64 " unique=%" PRIu64 " duplicates=%" PRIu64
           " reordered=%" PRIu64 " invalid=%" PRIu64,
           prefix, st->received, st->unique, st->duplicates, st->reordered,
           st->invalid);
    if (expected) {
        printf(" lost=%" PRIu64,
               expected > st->unique ? expected - st->unique : 0);
    }
    printf(" max_gap_ms=%.3f\n", st->max_gap_ns / 1e6);
    fflush(stdout);
}

/* Resolves numeric address 'host' and 'port' into '*ss' and '*len'.
 * Exits with a message on failure. */
static void
resolve(const char *host, int port, struct sockaddr_storage *ss,
        socklen_t *len)
{
    struct addrinfo hints, *ai;
    char port_s[16];
    int error;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    snprintf(port_s, sizeof port_s, "%d", port);
    error = getaddrinfo(host, port_s, &hints, &ai);
    if (error) {
        fprintf(stderr, "mobility-stream: %s: %s\n", host,
                gai_strerror(error));
        exit(1);
    }
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    *len = ai->ai_addrlen;
    freeaddrinfo(ai);
}

/* Opens a UDP socket for family 'family' with a large receive buffer and
 * returns it.  Exits with a message on failure. */
static int
open_socket(int family)
{
    int size = 4 * 1024 * 1024;
    int fd = socket(family, SOCK_DGRAM, 0);

    if (fd < 0) {
        fatal("socket: %s", strerror(errno));
    }
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    return fd;
}

/* Validates the 'n'-byte datagram 'buf'.  Returns true and stores its
 * fields if it is a stream datagram of at least STREAM_HDR_LEN bytes whose
 * sequence number is below MAX_COUNT, false otherwise. */
static bool
parse_datagram(const uint8_t *buf, ssize_t n, uint32_t *flags,
               uint64_t *seq, uint64_t *tx_ns, uint64_t *echo_ns)
{
    if (n < STREAM_HDR_LEN || get_be32(buf) != STREAM_MAGIC) {
        return false;
    }
    *flags = get_be32(buf + 4);
    *seq = get_be64(buf + 8);
    *tx_ns = get_be64(buf + 16);
    *echo_ns = get_be64(buf + 24);
    return *seq < MAX_COUNT;
}

/* Installs request_stop() for SIGINT and SIGTERM, without SA_RESTART so
 * that a blocked poll returns. */
static void
install_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = request_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* Opens 'name' for writing, or returns NULL if 'name' is NULL.  Exits with
 * a message on failure. */
static FILE *
open_log(const char *name)
{
    FILE *f;

    if (!name) {
        return NULL;
    }
    f = fopen(name, "w");
    if (!f) {
        fprintf(stderr, "mobility-stream: %s: %s\n", name, strerror(errno));
        exit(1);
    }
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    return f;
}

/* Reads every datagram waiting on 'fd' (non-blocking), records the valid
 * ones in '*st' and logs them to 'log' if non-null.  If 'echo', sends each
 * valid one back to its source, marked as an echo with its arrival time.
 * Returns the number of datagrams read. */
static int
drain(int fd, struct stream_stats *st, FILE *log, bool echo)
{
    uint8_t buf[STREAM_MAX_LEN + 64];
    int n_read = 0;

    for (;;) {
        struct sockaddr_storage from;
        socklen_t from_len = sizeof from;
        uint64_t seq, tx_ns, echo_ns, rx_ns;
        uint32_t flags;
        ssize_t n;

        n = recvfrom(fd, buf, sizeof buf, MSG_DONTWAIT,
                     (struct sockaddr *) &from, &from_len);
        if (n < 0) {
            return n_read;
        }
        rx_ns = now_ns();
        n_read++;
        if (!parse_datagram(buf, n, &flags, &seq, &tx_ns, &echo_ns)) {
            st->invalid++;
            continue;
        }
        stats_record(st, seq, rx_ns);
        if (log) {
            if (flags & STREAM_F_ECHO) {
                fprintf(log, "%" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
                        "\n", seq, tx_ns, rx_ns, echo_ns);
            } else {
                fprintf(log, "%" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
                        seq, tx_ns, rx_ns);
            }
        }
        if (echo && !(flags & STREAM_F_ECHO)) {
            put_be32(buf + 4, flags | STREAM_F_ECHO);
            put_be64(buf + 24, rx_ns);
            sendto(fd, buf, n, MSG_DONTWAIT,
                   (struct sockaddr *) &from, from_len);
        }
    }
}

/* Waits on 'fd' for input until 'deadline_ns' (CLOCK_REALTIME), a signal,
 * or input, whichever comes first. */
static void
wait_until(int fd, uint64_t deadline_ns)
{
    struct pollfd pfd = { .fd = fd, .events = POLLIN };
    uint64_t now = now_ns();
    struct timespec ts;

    if (now >= deadline_ns) {
        return;
    }
    ts.tv_sec = (deadline_ns - now) / 1000000000u;
    ts.tv_nsec = (deadline_ns - now) % 1000000000u;
    ppoll(&pfd, 1, &ts, NULL);
}

/* Prints the usage message. */
static void
usage(void)
{
    printf("usage: mobility-stream send [OPTIONS] DST\n"
           "       mobility-stream echo [OPTIONS]\n"
           "A sequence-numbered UDP stream for exact loss, duplicate and\n"
           "reordering measurement.\n\n"
           "  -p, --port PORT      UDP port (default %d)\n"
           "  -r, --rate PPS       send rate, at most %d (default %d)\n"
           "  -c, --count N        datagrams to send, at most %d "
           "(default %d)\n"
           "  -s, --size BYTES     UDP payload size, %d to %d (default %d)\n"
           "  -l, --log FILE       log every datagram received\n"
           "  -w, --wait MS        send: wait for echoes after the last "
           "(default 500)\n"
           "  -b, --bind ADDR      echo: local address (default 0.0.0.0)\n"
           "  -n, --no-echo        echo: only receive\n"
           "  -t, --timeout SEC    echo: stop after SEC seconds "
           "(default 300)\n"
           "  -h, --help           this help\n",
           DEFAULT_PORT, MAX_RATE, DEFAULT_RATE, MAX_COUNT, DEFAULT_COUNT,
           STREAM_HDR_LEN, STREAM_MAX_LEN, DEFAULT_SIZE);
}

/* The options of both modes. */
struct stream_options {
    int port;
    long long rate;
    long long count;
    int size;
    const char *log;
    long long wait_ms;
    const char *bind;
    bool echo;
    long long timeout_s;
};

/* "send": sends 'opt->count' datagrams to 'dst' at 'opt->rate' per second,
 * paced on absolute deadlines, records the echoes, and prints a summary.
 * Returns the exit status. */
static int
run_send(const struct stream_options *opt, const char *dst)
{
    struct stream_stats st;
    struct sockaddr_storage ss;
    uint8_t buf[STREAM_MAX_LEN];
    uint64_t period_ns, start, sent = 0, errors = 0;
    socklen_t len;
    FILE *log;
    int fd;

    memset(&st, 0, sizeof st);
    resolve(dst, opt->port, &ss, &len);
    fd = open_socket(ss.ss_family);
    log = open_log(opt->log);
    period_ns = 1000000000u / opt->rate;

    memset(buf, 0, sizeof buf);
    put_be32(buf, STREAM_MAGIC);
    start = now_ns();
    for (long long i = 0; i < opt->count && !stop_requested; i++) {
        uint64_t deadline = start + i * period_ns;

        while (!stop_requested && now_ns() < deadline) {
            wait_until(fd, deadline);
            drain(fd, &st, log, false);
        }
        put_be64(buf + 8, i);
        put_be64(buf + 16, now_ns());
        if (sendto(fd, buf, opt->size, 0, (struct sockaddr *) &ss, len)
            == opt->size) {
            sent++;
        } else {
            errors++;
        }
    }

    /* Late echoes. */
    uint64_t end = now_ns() + opt->wait_ms * 1000000u;
    while (!stop_requested && now_ns() < end) {
        wait_until(fd, end);
        drain(fd, &st, log, false);
    }

    char prefix[128];
    snprintf(prefix, sizeof prefix, "sent=%" PRIu64 " send_errors=%" PRIu64
             " duration_ms=%.1f ", sent, errors, (now_ns() - start) / 1e6);
    stats_print(&st, prefix, sent);
    if (log) {
        fclose(log);
    }
    free(st.seen);
    close(fd);
    return 0;
}

/* "echo": receives datagrams on 'opt->port' until a signal or the timeout,
 * echoes them unless told not to, and prints a summary.  Returns the exit
 * status. */
static int
run_echo(const struct stream_options *opt)
{
    struct stream_stats st;
    struct sockaddr_storage ss;
    uint64_t end;
    socklen_t len;
    FILE *log;
    int fd;

    memset(&st, 0, sizeof st);
    resolve(opt->bind, opt->port, &ss, &len);
    fd = open_socket(ss.ss_family);
    if (bind(fd, (struct sockaddr *) &ss, len) < 0) {
        fatal("bind: %s", strerror(errno));
    }
    log = open_log(opt->log);

    end = now_ns() + opt->timeout_s * 1000000000u;
    while (!stop_requested && now_ns() < end) {
        uint64_t deadline = now_ns() + 100000000u;

        wait_until(fd, deadline < end ? deadline : end);
        drain(fd, &st, log, opt->echo);
    }
    stats_print(&st, "", 0);
    if (log) {
        fclose(log);
    }
    free(st.seen);
    close(fd);
    return 0;
}

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        {"port", required_argument, NULL, 'p'},
        {"rate", required_argument, NULL, 'r'},
        {"count", required_argument, NULL, 'c'},
        {"size", required_argument, NULL, 's'},
        {"log", required_argument, NULL, 'l'},
        {"wait", required_argument, NULL, 'w'},
        {"bind", required_argument, NULL, 'b'},
        {"no-echo", no_argument, NULL, 'n'},
        {"timeout", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct stream_options opt = {
        .port = DEFAULT_PORT,
        .rate = DEFAULT_RATE,
        .count = DEFAULT_COUNT,
        .size = DEFAULT_SIZE,
        .wait_ms = 500,
        .bind = "0.0.0.0",
        .echo = true,
        .timeout_s = 300,
    };
    const char *mode;
    int c;

    while ((c = getopt_long(argc, argv, "p:r:c:s:l:w:b:nt:h", long_options,
                            NULL)) != -1) {
        switch (c) {
        case 'p':
            opt.port = parse_int(optarg, 1, 65535, "--port");
            break;
        case 'r':
            opt.rate = parse_int(optarg, 1, MAX_RATE, "--rate");
            break;
        case 'c':
            opt.count = parse_int(optarg, 1, MAX_COUNT, "--count");
            break;
        case 's':
            opt.size = parse_int(optarg, STREAM_HDR_LEN, STREAM_MAX_LEN,
                                 "--size");
            break;
        case 'l':
            opt.log = optarg;
            break;
        case 'w':
            opt.wait_ms = parse_int(optarg, 0, 60000, "--wait");
            break;
        case 'b':
            opt.bind = optarg;
            break;
        case 'n':
            opt.echo = false;
            break;
        case 't':
            opt.timeout_s = parse_int(optarg, 1, 86400, "--timeout");
            break;
        case 'h':
            usage();
            return 0;
        default:
            usage();
            return 2;
        }
    }

    if (optind >= argc) {
        usage();
        return 2;
    }
    mode = argv[optind++];
    install_signals();
    if (!strcmp(mode, "send") && optind == argc - 1) {
        return run_send(&opt, argv[optind]);
    } else if (!strcmp(mode, "echo") && optind == argc) {
        return run_echo(&opt);
    }
    fatal("bad mode or arguments \"%s\" (try --help)", mode);
    return 2;
}
