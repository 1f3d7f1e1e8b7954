/*
 * fernhilfe-netlab: a link emulator for the benchmarks, because this machine's kernel has no
 * sch_netem (docs/link-emulator.md). It joins two network namespaces with a TUN device in each and
 * forwards IP packets between the two devices, applying per direction: random loss, a rate limit
 * (serialization at the link rate behind a drop-tail queue of at most queue_ms), and a one-way delay
 * with uniform jitter. A packet never leaves before the one in front of it (no reordering).
 *
 * Usage: fernhilfe-netlab --netns /var/run/netns/NAME --inner DEV --outer DEV [--seed N]
 *   --outer: a TUN device made in the namespace this program starts in (the root namespace)
 *   --inner: a TUN device made inside the namespace NAME (the customer's machine)
 *   "up" is inner -> outer (the customer's upload), "down" is outer -> inner.
 * The devices exist while this program runs and vanish when it ends; it assigns no addresses (the
 * caller runs `ip`). It prints "ready" once both devices exist.
 *
 * stdin, one command per line, each answered by one line on stdout:
 *   set up|down RATE_KBIT DELAY_MS JITTER_MS LOSS_PCT QUEUE_MS   -> ok   (RATE_KBIT 0: no rate limit)
 *   stats                                                        -> one JSON line of counters
 *   quit                                                         -> bye, and the program ends
 * A bad command is answered with "error <why>". End of input ends the program (exit code 0).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define QUEUE_SLOTS 65536u /* packets held per direction (in the rate queue and the delay line together) */
#define MAX_PACKET 65536
#define READ_BATCH 64

struct params {
  double rate_kbit; /* 0: no rate limit */
  int64_t delay_ns, jitter_ns, queue_ns;
  double loss; /* probability, 0..1 */
};

struct slot {
  uint8_t *data;
  uint32_t len;
  int64_t release_ns;
};

struct counters {
  uint64_t packets, bytes, loss_drops, queue_drops, sent, write_errors;
};

struct direction {
  const char *name;
  int in_fd, out_fd;
  struct params p;
  int64_t busy_until; /* when the link finishes sending what is queued (rate limit) */
  int64_t last_release;
  uint64_t rng;
  struct slot *q;
  uint32_t head, count;
  struct counters c;
};

static void die(const char *what) {
  fprintf(stderr, "fernhilfe-netlab: %s: %s\n", what, strerror(errno));
  exit(1);
}

static void usage(const char *what) {
  fprintf(stderr, "fernhilfe-netlab: %s\nusage: fernhilfe-netlab --netns /var/run/netns/NAME --inner DEV --outer DEV [--seed N]\n", what);
  exit(2);
}

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* splitmix64: a small seeded PRNG, so a run's loss pattern repeats with the same seed and traffic */
static uint64_t next_random(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

static double random01(uint64_t *state) { return (double)(next_random(state) >> 11) * (1.0 / 9007199254740992.0); }

/* Best effort: no IPv6 on our devices, so nothing but the caller's traffic (no router solicitations) crosses the link. */
static void no_ipv6(const char *dev) {
  char path[128];
  snprintf(path, sizeof path, "/proc/sys/net/ipv6/conf/%s/disable_ipv6", dev);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return;
  if (write(fd, "1", 1) < 0) { /* IPv6 stays on; harmless */
  }
  close(fd);
}

static int tun_open(const char *dev) {
  if (strlen(dev) >= IFNAMSIZ) usage("a device name is too long");
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) die("open /dev/net/tun");
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  strncpy(ifr.ifr_name, dev, IFNAMSIZ - 1);
  if (ioctl(fd, TUNSETIFF, &ifr) < 0) die("TUNSETIFF");
  no_ipv6(dev);
  return fd;
}

static void write_out(struct direction *d, const uint8_t *data, uint32_t len) {
  if (write(d->out_fd, data, len) == (ssize_t)len) d->c.sent++;
  else d->c.write_errors++;
}

/* A packet read from the direction's input at time t: loss, then the rate queue, then the delay line. */
static void arrive(struct direction *d, const uint8_t *data, uint32_t len, int64_t t) {
  d->c.packets++;
  d->c.bytes += len;
  if (d->p.loss > 0 && random01(&d->rng) < d->p.loss) {
    d->c.loss_drops++;
    return;
  }
  int64_t depart = t;
  if (d->p.rate_kbit > 0) {
    int64_t start = d->busy_until > t ? d->busy_until : t;
    if (start - t > d->p.queue_ns) { /* drop-tail: the backlog ahead of it would take longer than queue_ms */
      d->c.queue_drops++;
      return;
    }
    depart = start + (int64_t)((double)len * 8.0 * 1e6 / d->p.rate_kbit);
    d->busy_until = depart;
  }
  int64_t release = depart + d->p.delay_ns;
  if (d->p.jitter_ns > 0) release += (int64_t)((random01(&d->rng) * 2.0 - 1.0) * (double)d->p.jitter_ns);
  if (release < d->last_release) release = d->last_release; /* no reordering */
  if (release < t) release = t;
  d->last_release = release;
  if (release <= t && d->count == 0) {
    write_out(d, data, len);
    return;
  }
  if (d->count == QUEUE_SLOTS) {
    d->c.queue_drops++;
    return;
  }
  uint8_t *copy = malloc(len);
  if (!copy) die("malloc");
  memcpy(copy, data, len);
  struct slot *s = &d->q[(d->head + d->count) % QUEUE_SLOTS];
  s->data = copy;
  s->len = len;
  s->release_ns = release;
  d->count++;
}

/* Sends every packet whose time has come; returns the release time of the next one, or -1. */
static int64_t release_due(struct direction *d, int64_t t) {
  while (d->count > 0) {
    struct slot *s = &d->q[d->head];
    if (s->release_ns > t) return s->release_ns;
    write_out(d, s->data, s->len);
    free(s->data);
    s->data = NULL;
    d->head = (d->head + 1) % QUEUE_SLOTS;
    d->count--;
  }
  return -1;
}

static void read_packets(struct direction *d) {
  static uint8_t buf[MAX_PACKET];
  for (int i = 0; i < READ_BATCH; i++) {
    ssize_t n = read(d->in_fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) return;
      die("read from a TUN device");
    }
    if (n == 0) return;
    arrive(d, buf, (uint32_t)n, now_ns());
  }
}

static void print_counters(const struct direction *d) {
  printf("\"%s\":{\"packets\":%llu,\"bytes\":%llu,\"lossDrops\":%llu,\"queueDrops\":%llu,\"sent\":%llu,\"writeErrors\":%llu,\"queued\":%u}", d->name,
         (unsigned long long)d->c.packets, (unsigned long long)d->c.bytes, (unsigned long long)d->c.loss_drops, (unsigned long long)d->c.queue_drops,
         (unsigned long long)d->c.sent, (unsigned long long)d->c.write_errors, d->count);
}

/* One command line; returns 0 when the program should end. */
static int command(char *line, struct direction dirs[2]) {
  char which[8];
  double rate, delay, jitter, loss, queue;
  if (strcmp(line, "stats") == 0) {
    printf("{");
    print_counters(&dirs[0]);
    printf(",");
    print_counters(&dirs[1]);
    printf("}\n");
  } else if (strcmp(line, "quit") == 0) {
    printf("bye\n");
    return 0;
  } else if (sscanf(line, "set %7s %lf %lf %lf %lf %lf", which, &rate, &delay, &jitter, &loss, &queue) == 6) {
    struct direction *d = strcmp(which, "up") == 0 ? &dirs[0] : strcmp(which, "down") == 0 ? &dirs[1] : NULL;
    if (!d) printf("error the direction is up or down, not %s\n", which);
    else if (rate < 0 || delay < 0 || jitter < 0 || jitter > delay || loss < 0 || loss > 100 || queue <= 0) printf("error out of range: %s\n", line);
    else {
      d->p.rate_kbit = rate;
      d->p.delay_ns = (int64_t)(delay * 1e6);
      d->p.jitter_ns = (int64_t)(jitter * 1e6);
      d->p.loss = loss / 100.0;
      d->p.queue_ns = (int64_t)(queue * 1e6);
      printf("ok\n");
    }
  } else {
    printf("error unknown command: %s\n", line);
  }
  return 1;
}

/* Reads what stdin has; runs each whole line. Returns 0 at end of input or on quit. */
static int read_commands(struct direction dirs[2]) {
  static char buf[4096];
  static size_t used = 0;
  ssize_t n = read(0, buf + used, sizeof buf - 1 - used);
  if (n < 0) return errno == EINTR || errno == EAGAIN;
  if (n == 0) return 0;
  used += (size_t)n;
  buf[used] = '\0';
  char *start = buf;
  char *nl;
  while ((nl = strchr(start, '\n')) != NULL) {
    *nl = '\0';
    if (!command(start, dirs)) return 0;
    start = nl + 1;
  }
  used -= (size_t)(start - buf);
  memmove(buf, start, used);
  if (used == sizeof buf - 1) used = 0; /* a line longer than the buffer: dropped */
  return 1;
}

int main(int argc, char **argv) {
  const char *netns = NULL, *inner = NULL, *outer = NULL;
  uint64_t seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--netns") == 0) netns = argv[i + 1];
    else if (strcmp(argv[i], "--inner") == 0) inner = argv[i + 1];
    else if (strcmp(argv[i], "--outer") == 0) outer = argv[i + 1];
    else if (strcmp(argv[i], "--seed") == 0) seed = strtoull(argv[i + 1], NULL, 10);
    else usage("unknown option");
  }
  if (argc % 2 == 0 || !netns || !inner || !outer) usage("--netns, --inner and --outer are needed");
  setvbuf(stdout, NULL, _IOLBF, 0);
  /* the network is not one of the two machines: it should not wait behind them for a core */
  if (setpriority(PRIO_PROCESS, 0, -10) < 0) { /* not allowed: runs at normal priority */
  }
  prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0); /* wake within 1 us of a packet's time, not the default 50 us */

  int outer_fd = tun_open(outer);
  int ns_fd = open(netns, O_RDONLY | O_CLOEXEC);
  if (ns_fd < 0) die(netns);
  if (setns(ns_fd, CLONE_NEWNET) < 0) die("setns");
  close(ns_fd);
  int inner_fd = tun_open(inner);

  struct direction dirs[2] = {
      {.name = "up", .in_fd = inner_fd, .out_fd = outer_fd, .rng = seed * 2 + 1},
      {.name = "down", .in_fd = outer_fd, .out_fd = inner_fd, .rng = seed * 2 + 2},
  };
  for (int i = 0; i < 2; i++) {
    dirs[i].p.queue_ns = 200000000LL;
    dirs[i].q = calloc(QUEUE_SLOTS, sizeof(struct slot));
    if (!dirs[i].q) die("calloc");
  }
  printf("ready\n");

  struct pollfd fds[3] = {{.fd = 0, .events = POLLIN}, {.fd = inner_fd, .events = POLLIN}, {.fd = outer_fd, .events = POLLIN}};
  for (;;) {
    int64_t t = now_ns();
    int64_t next = -1;
    for (int i = 0; i < 2; i++) {
      int64_t r = release_due(&dirs[i], t);
      if (r >= 0 && (next < 0 || r < next)) next = r;
    }
    struct timespec wait, *timeout = NULL;
    if (next >= 0) {
      int64_t ns = next - t;
      wait.tv_sec = ns / 1000000000LL;
      wait.tv_nsec = ns % 1000000000LL;
      timeout = &wait;
    }
    if (ppoll(fds, 3, timeout, NULL) < 0) {
      if (errno == EINTR) continue;
      die("ppoll");
    }
    if (fds[1].revents & POLLIN) read_packets(&dirs[0]);
    if (fds[2].revents & POLLIN) read_packets(&dirs[1]);
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      if (!read_commands(dirs)) return 0;
    }
  }
}
