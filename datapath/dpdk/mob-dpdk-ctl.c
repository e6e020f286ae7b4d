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

#include <config.h>

#include "mob-dpdk-ctl.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* Size of a command's output buffer. */
#define MOB_DPDK_CTL_MAX_REPLY (1024 * 1024)

/* Milliseconds a client may take to send its request. */
#define MOB_DPDK_CTL_TIMEOUT_MS 2000

struct mob_dpdk_ctl {
    int fd;                         /* Listening socket. */
    char *path;
    pthread_t thread;
    atomic_bool stop;
    mob_dpdk_ctl_func *execute;
    mob_dpdk_ctl_tick_func *tick;
    void *aux;
    char *reply;                    /* MOB_DPDK_CTL_MAX_REPLY bytes. */
};

/* Fills '*sun' with 'path'.  Returns 0, or ENAMETOOLONG. */
static int
mob_dpdk_ctl_addr(const char *path, struct sockaddr_un *sun)
{
    memset(sun, 0, sizeof *sun);
    sun->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sun->sun_path) {
        return ENAMETOOLONG;
    }
    strcpy(sun->sun_path, path);
    return 0;
}

/* Writes all 'n' bytes of 'buf' to 'fd'.  Returns true on success. */
static bool
mob_dpdk_ctl_write_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);

        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        buf += w;
        n -= w;
    }
    return true;
}

/* Splits 'line' in place into words in 'argv'.  Returns the number of
 * words, or -1 if there are more than MOB_DPDK_CTL_MAX_ARGS. */
int
mob_dpdk_ctl_split(char *line, char *argv[MOB_DPDK_CTL_MAX_ARGS])
{
    int argc = 0;
    char *save = NULL;

    for (char *w = strtok_r(line, " \t\r\n", &save); w;
         w = strtok_r(NULL, " \t\r\n", &save)) {
        if (argc >= MOB_DPDK_CTL_MAX_ARGS) {
            return -1;
        }
        argv[argc++] = w;
    }
    return argc;
}

/* Reads one request from connected socket 'fd' into 'buf' ('size'
 * bytes), up to a newline or the end of the stream.  Returns true if a
 * whole request arrived in time. */
static bool
mob_dpdk_ctl_read_request(int fd, char *buf, size_t size)
{
    size_t n = 0;

    while (n < size - 1) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        ssize_t r;

        if (poll(&pfd, 1, MOB_DPDK_CTL_TIMEOUT_MS) <= 0) {
            return false;
        }
        r = read(fd, buf + n, size - 1 - n);
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        } else if (r == 0) {
            break;
        }
        n += r;
        if (memchr(buf + n - r, '\n', r)) {
            break;
        }
    }
    buf[n] = '\0';
    return n > 0 && n < size - 1;
}

/* Serves one connection 'fd' of 'ctl', then closes it. */
static void
mob_dpdk_ctl_serve(struct mob_dpdk_ctl *ctl, int fd)
{
    char request[MOB_DPDK_CTL_MAX_REQUEST];
    char *argv[MOB_DPDK_CTL_MAX_ARGS];
    const char *status;
    int argc;

    ctl->reply[0] = '\0';
    if (!mob_dpdk_ctl_read_request(fd, request, sizeof request)) {
        status = "ERROR\n";
        snprintf(ctl->reply, MOB_DPDK_CTL_MAX_REPLY,
                 "request missing, too long or too slow\n");
    } else {
        argc = mob_dpdk_ctl_split(request, argv);
        if (argc < 0) {
            status = "ERROR\n";
            snprintf(ctl->reply, MOB_DPDK_CTL_MAX_REPLY,
                     "too many arguments\n");
        } else if (argc == 0) {
            status = "ERROR\n";
            snprintf(ctl->reply, MOB_DPDK_CTL_MAX_REPLY, "empty command\n");
        } else {
            status = (ctl->execute(ctl->aux, argc, argv, ctl->reply,
                                   MOB_DPDK_CTL_MAX_REPLY)
                      ? "OK\n" : "ERROR\n");
        }
    }
    if (mob_dpdk_ctl_write_all(fd, status, strlen(status))) {
        mob_dpdk_ctl_write_all(fd, ctl->reply, strlen(ctl->reply));
    }
    close(fd);
}

/* Body of the control thread: accepts and serves connections, and ticks
 * once a second, until asked to stop. */
static void *
mob_dpdk_ctl_main(void *ctl_)
{
    struct mob_dpdk_ctl *ctl = ctl_;
    time_t last_tick = 0;

    while (!atomic_load(&ctl->stop)) {
        struct pollfd pfd = { .fd = ctl->fd, .events = POLLIN };
        time_t now = time(NULL);

        if (ctl->tick && now != last_tick) {
            last_tick = now;
            ctl->tick(ctl->aux);
        }
        if (poll(&pfd, 1, 100) > 0) {
            int fd = accept(ctl->fd, NULL, NULL);

            if (fd >= 0) {
                mob_dpdk_ctl_serve(ctl, fd);
            }
        }
    }
    return NULL;
}

/* Creates the control socket 'path' and starts its thread.  Returns the
 * server, or NULL with errno set. */
struct mob_dpdk_ctl *
mob_dpdk_ctl_start(const char *path, mob_dpdk_ctl_func *execute,
                   mob_dpdk_ctl_tick_func *tick, void *aux)
{
    struct mob_dpdk_ctl *ctl;
    struct sockaddr_un sun;
    int error;

    error = mob_dpdk_ctl_addr(path, &sun);
    if (error) {
        errno = error;
        return NULL;
    }

    ctl = calloc(1, sizeof *ctl);
    if (!ctl) {
        return NULL;
    }
    ctl->reply = malloc(MOB_DPDK_CTL_MAX_REPLY);
    ctl->path = strdup(path);
    ctl->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (!ctl->reply || !ctl->path || ctl->fd < 0) {
        goto error;
    }
    unlink(path);
    if (bind(ctl->fd, (struct sockaddr *) &sun, sizeof sun) < 0
        || listen(ctl->fd, 16) < 0) {
        goto error;
    }
    ctl->execute = execute;
    ctl->tick = tick;
    ctl->aux = aux;
    atomic_init(&ctl->stop, false);
    error = pthread_create(&ctl->thread, NULL, mob_dpdk_ctl_main, ctl);
    if (error) {
        unlink(path);
        errno = error;
        goto error;
    }
    return ctl;

error:
    error = errno;
    if (ctl->fd >= 0) {
        close(ctl->fd);
    }
    free(ctl->path);
    free(ctl->reply);
    free(ctl);
    errno = error;
    return NULL;
}

/* Stops the thread of 'ctl', removes its socket and frees it. */
void
mob_dpdk_ctl_stop(struct mob_dpdk_ctl *ctl)
{
    if (!ctl) {
        return;
    }
    atomic_store(&ctl->stop, true);
    pthread_join(ctl->thread, NULL);
    close(ctl->fd);
    unlink(ctl->path);
    free(ctl->path);
    free(ctl->reply);
    free(ctl);
}

/* Sends 'argv' to the server at 'path' and prints its reply.  Returns 0 if
 * the command succeeded, 1 if it failed, 2 if the server could not be
 * reached. */
int
mob_dpdk_ctl_client(const char *path, int argc, char *argv[])
{
    char request[MOB_DPDK_CTL_MAX_REQUEST];
    struct sockaddr_un sun;
    size_t n = 0;
    char buf[4096];
    int status = -1;
    FILE *out = stdout;
    char head[8];
    size_t head_len = 0;
    int fd;

    for (int i = 0; i < argc; i++) {
        size_t len = strlen(argv[i]);

        if (n + len + 2 > sizeof request) {
            fprintf(stderr, "mobility-fwd: command too long\n");
            return 2;
        }
        memcpy(request + n, argv[i], len);
        n += len;
        request[n++] = i + 1 < argc ? ' ' : '\n';
    }
    if (!n) {
        fprintf(stderr, "mobility-fwd: no command given\n");
        return 2;
    }

    if (mob_dpdk_ctl_addr(path, &sun)) {
        fprintf(stderr, "mobility-fwd: %s: socket name too long\n", path);
        return 2;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *) &sun, sizeof sun) < 0
        || !mob_dpdk_ctl_write_all(fd, request, n)) {
        fprintf(stderr, "mobility-fwd: %s: %s\n", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return 2;
    }

    /* The status line comes first; everything after it is output. */
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        size_t ofs = 0;

        if (r < 0 && errno == EINTR) {
            continue;
        } else if (r <= 0) {
            break;
        }
        while (status < 0 && ofs < (size_t) r) {
            char c = buf[ofs++];

            if (c == '\n') {
                head[head_len] = '\0';
                status = !strcmp(head, "OK") ? 0 : 1;
                out = status ? stderr : stdout;
            } else if (head_len < sizeof head - 1) {
                head[head_len++] = c;
            }
        }
        fwrite(buf + ofs, 1, r - ofs, out);
    }
    close(fd);
    fflush(out);
    if (status < 0) {
        fprintf(stderr, "mobility-fwd: %s: no reply\n", path);
        return 2;
    }
    return status;
}
