/*
 * The floor: the least an IRC server can do for the benchmark's one-channel workload, to tell how much of a server's
 * CPU at a fixed rate is the kernel's and could not be saved by any server (bench target "irc-floor"; docs/performance.md).
 *
 * One thread, one epoll set, no allocation on the way of a line. It understands only what the bench clients send:
 * NICK and USER (answered with 001), JOIN (366, and the client is in the one channel), PRIVMSG (relayed to every
 * other member) and PING (PONG). Everything else is ignored. A relayed line goes into each recipient's buffer, and the
 * buffers filled while handling one epoll_wait's events leave in one send each: the same coalescing a server gets
 * without holding anything back. Not a chat server: no checks, no limits, nothing a real server must do.
 *
 * With "uring" after the port, the buffers filled in one batch leave through io_uring instead: one IORING_OP_SEND
 * each, all submitted in one io_uring_enter, as CatChat's transport sends, so the system-call entries are shared and
 * what is left per delivery is the kernel's own work on the send (bench target "irc-floor-uring").
 *
 * Usage: floor PORT [uring]   (listens on 127.0.0.1:PORT; stops on SIGTERM)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/io_uring.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_CONNECTIONS 65536
#define IN_SIZE 8192
#define OUT_SIZE (1 << 20) /* what a recipient that is not reading may fall behind by before it is dropped */

struct connection {
    int fd;
    int member;     /* index in members, or -1 */
    int dirty;      /* in the dirty list */
    int writing;    /* EPOLLOUT asked for: some of out is waiting for room in the socket */
    char nick[32];
    char in[IN_SIZE];
    size_t in_length;
    char *out;
    size_t out_length;
};

static struct connection *connections[MAX_CONNECTIONS];
static struct connection *members[MAX_CONNECTIONS];
static int member_count;
static struct connection *dirty[MAX_CONNECTIONS];
static int dirty_count;
static int epoll_fd;
static volatile sig_atomic_t stopping;

static void on_term(int signal_number) { (void)signal_number; stopping = 1; }

static void drop(struct connection *c)
{
    if (c->member >= 0) {
        struct connection *last = members[--member_count];
        members[c->member] = last;
        last->member = c->member;
    }
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    connections[c->fd] = NULL;
    c->fd = -1;
    /* Freed at the end of this epoll_wait's batch (flush_dirty), when no event of it still points here. */
    if (!c->dirty) {
        c->dirty = 1;
        dirty[dirty_count++] = c;
    }
}

static void queue(struct connection *c, const char *bytes, size_t length)
{
    if (c->fd < 0) {
        return;
    }
    if (c->out_length + length > OUT_SIZE) {
        drop(c);
        return;
    }
    memcpy(c->out + c->out_length, bytes, length);
    c->out_length += length;
    if (!c->dirty) {
        c->dirty = 1;
        dirty[dirty_count++] = c;
    }
}

/* Asks epoll for EPOLLOUT while output waits, and stops asking once it has left: a system call only on a change. */
static void want_writable(struct connection *c, int writable)
{
    if (c->writing == writable) {
        return;
    }
    c->writing = writable;
    struct epoll_event event = { .events = EPOLLIN | (writable ? EPOLLOUT : 0), .data.ptr = c };
    epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c->fd, &event);
}

static void flush(struct connection *c)
{
    size_t sent = 0;
    while (sent < c->out_length) {
        ssize_t n = send(c->fd, c->out + sent, c->out_length - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            break;
        } else {
            drop(c);
            return;
        }
    }
    memmove(c->out, c->out + sent, c->out_length - sent);
    c->out_length -= sent;
    want_writable(c, c->out_length > 0);
}

/* io_uring, set up by hand (no liburing here): the rings, and one SEND per dirty connection per batch. */
#define RING_ENTRIES 4096
static int ring_fd = -1;
static unsigned *sq_head, *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
static struct io_uring_sqe *sqes;
static struct io_uring_cqe *cqes;

static void setup_ring(void)
{
    struct io_uring_params params = { 0 };
    ring_fd = (int)syscall(__NR_io_uring_setup, RING_ENTRIES, &params);
    if (ring_fd < 0) {
        perror("floor: io_uring_setup");
        exit(1);
    }
    size_t sq_size = params.sq_off.array + params.sq_entries * sizeof(unsigned);
    size_t cq_size = params.cq_off.cqes + params.cq_entries * sizeof(struct io_uring_cqe);
    char *sq = mmap(NULL, sq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring_fd, IORING_OFF_SQ_RING);
    char *cq = mmap(NULL, cq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring_fd, IORING_OFF_CQ_RING);
    sqes = mmap(NULL, params.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring_fd, IORING_OFF_SQES);
    if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED) {
        perror("floor: mmap");
        exit(1);
    }
    sq_head = (unsigned *)(sq + params.sq_off.head);
    sq_tail = (unsigned *)(sq + params.sq_off.tail);
    sq_mask = (unsigned *)(sq + params.sq_off.ring_mask);
    sq_array = (unsigned *)(sq + params.sq_off.array);
    cq_head = (unsigned *)(cq + params.cq_off.head);
    cq_tail = (unsigned *)(cq + params.cq_off.tail);
    cq_mask = (unsigned *)(cq + params.cq_off.ring_mask);
    cqes = (struct io_uring_cqe *)(cq + params.cq_off.cqes);
}

/* Sends what [first, first + count) of the dirty list hold: one SEND each, one io_uring_enter for all. */
static void flush_through_ring(int first, int count)
{
    unsigned tail = *sq_tail;
    int queued = 0;
    for (int i = first; i < first + count; i++) {
        struct connection *c = dirty[i];
        if (c->fd < 0 || c->out_length == 0) {
            continue;
        }
        unsigned index = tail & *sq_mask;
        struct io_uring_sqe *sqe = &sqes[index];
        memset(sqe, 0, sizeof *sqe);
        sqe->opcode = IORING_OP_SEND;
        sqe->fd = c->fd;
        sqe->addr = (unsigned long)c->out;
        sqe->len = (unsigned)c->out_length;
        sqe->msg_flags = MSG_NOSIGNAL | MSG_DONTWAIT; /* completes at once: never parked in the ring */
        sqe->user_data = (unsigned long)c;
        sq_array[index] = index;
        tail++;
        queued++;
    }
    __atomic_store_n(sq_tail, tail, __ATOMIC_RELEASE);
    if (queued == 0) {
        return;
    }
    while (syscall(__NR_io_uring_enter, ring_fd, queued, queued, IORING_ENTER_GETEVENTS, NULL, 0) < 0 && errno == EINTR) {
    }
    unsigned head = *cq_head;
    while (head != __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE)) {
        struct io_uring_cqe *cqe = &cqes[head & *cq_mask];
        struct connection *c = (struct connection *)(unsigned long)cqe->user_data;
        int result = cqe->res;
        head++;
        if (result >= 0) {
            memmove(c->out, c->out + result, c->out_length - (size_t)result);
            c->out_length -= (size_t)result;
        } else if (result != -EAGAIN && result != -EINTR) {
            drop(c);
            continue;
        }
        want_writable(c, c->out_length > 0);
    }
    __atomic_store_n(cq_head, head, __ATOMIC_RELEASE);
}

static void flush_dirty(void)
{
    if (ring_fd >= 0) {
        for (int first = 0; first < dirty_count; first += RING_ENTRIES) {
            int count = dirty_count - first < RING_ENTRIES ? dirty_count - first : RING_ENTRIES;
            flush_through_ring(first, count);
        }
    }
    for (int i = 0; i < dirty_count; i++) {
        struct connection *c = dirty[i];
        c->dirty = 0;
        if (c->fd < 0) {
            free(c->out);
            free(c);
        } else if (ring_fd < 0) {
            flush(c);
        }
    }
    dirty_count = 0;
}

static void reply(struct connection *c, const char *text)
{
    queue(c, text, strlen(text));
}

static void on_line(struct connection *c, char *line, size_t length)
{
    char buffer[1024];
    if (length > 8 && memcmp(line, "PRIVMSG ", 8) == 0) {
        char *text = memchr(line + 8, ':', length - 8);
        if (text == NULL || c->member < 0) {
            return;
        }
        size_t text_length = length - (size_t)(text + 1 - line);
        int head = snprintf(buffer, sizeof buffer, ":%s!%s@127.0.0.1 PRIVMSG #bench :", c->nick, c->nick);
        if (head < 0 || (size_t)head + text_length + 2 > sizeof buffer) {
            return;
        }
        memcpy(buffer + head, text + 1, text_length);
        memcpy(buffer + head + text_length, "\r\n", 2);
        size_t total = (size_t)head + text_length + 2;
        for (int i = 0; i < member_count; i++) {
            if (members[i] != c) {
                queue(members[i], buffer, total);
            }
        }
    } else if (length > 5 && memcmp(line, "NICK ", 5) == 0) {
        snprintf(c->nick, sizeof c->nick, "%.*s", (int)(length - 5), line + 5);
    } else if (length > 5 && memcmp(line, "USER ", 5) == 0) {
        snprintf(buffer, sizeof buffer, ":floor 001 %s :Welcome\r\n", c->nick);
        reply(c, buffer);
    } else if (length > 5 && memcmp(line, "JOIN ", 5) == 0) {
        if (c->member < 0) {
            c->member = member_count;
            members[member_count++] = c;
        }
        snprintf(buffer, sizeof buffer, ":floor 366 %s #bench :End of /NAMES list.\r\n", c->nick);
        reply(c, buffer);
    } else if (length > 5 && memcmp(line, "PING ", 5) == 0) {
        snprintf(buffer, sizeof buffer, ":floor PONG floor %.*s\r\n", (int)(length - 5), line + 5);
        reply(c, buffer);
    }
}

static void on_readable(struct connection *c)
{
    for (;;) {
        ssize_t n = recv(c->fd, c->in + c->in_length, IN_SIZE - c->in_length, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
            drop(c);
            return;
        }
        if (n < 0) {
            return;
        }
        c->in_length += (size_t)n;
        size_t start = 0;
        for (size_t i = 0; i < c->in_length; i++) {
            if (c->in[i] == '\n') {
                size_t end = i > start && c->in[i - 1] == '\r' ? i - 1 : i;
                on_line(c, c->in + start, end - start);
                if (c->fd < 0) {
                    return;
                }
                start = i + 1;
            }
        }
        memmove(c->in, c->in + start, c->in_length - start);
        c->in_length -= start;
        if (c->in_length == IN_SIZE) {
            drop(c); /* a line longer than the buffer: not a bench client */
            return;
        }
    }
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "uring") != 0)) {
        fprintf(stderr, "usage: floor PORT [uring]\n");
        return 2;
    }
    if (argc == 3) {
        setup_ring();
    }
    signal(SIGTERM, on_term);
    signal(SIGINT, on_term);
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1])) };
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 4096) != 0) {
        perror("floor: listen");
        return 1;
    }
    epoll_fd = epoll_create1(0);
    struct epoll_event listen_event = { .events = EPOLLIN, .data.ptr = NULL };
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listener, &listen_event);
    struct epoll_event events[256];
    while (!stopping) {
        int ready = epoll_wait(epoll_fd, events, 256, 1000);
        for (int i = 0; i < ready; i++) {
            struct connection *c = events[i].data.ptr;
            if (c == NULL) {
                int fd;
                while ((fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    if (fd >= MAX_CONNECTIONS) {
                        close(fd);
                        continue;
                    }
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    c = calloc(1, sizeof *c);
                    c->out = malloc(OUT_SIZE);
                    c->fd = fd;
                    c->member = -1;
                    connections[fd] = c;
                    struct epoll_event event = { .events = EPOLLIN, .data.ptr = c };
                    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
                }
                continue;
            }
            if (c->fd < 0) {
                continue; /* dropped earlier in this batch */
            }
            if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                on_readable(c);
            }
            if (c->fd >= 0 && (events[i].events & EPOLLOUT) && !c->dirty) {
                c->dirty = 1;
                dirty[dirty_count++] = c;
            }
        }
        flush_dirty();
    }
    return 0;
}
