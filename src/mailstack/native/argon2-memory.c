/*
 * Preloaded into Dovecot's auth workers (src/mailstack/argon2-memory.ts): keeps libsodium's
 * argon2id memory between verifications instead of mapping and unmapping it for each one.
 *
 * libsodium maps a fresh anonymous region of the hash's memory cost for every verification
 * (19 MiB with OWASP's parameters) and unmaps it after. The kernel faults in and zeroes its
 * 4,864 pages each time: 8 ms of system time on top of 10 ms of hashing on our test machines,
 * more on virtual machines whose host reclaims freed guest memory. Keeping one region per
 * process makes every verification after the first one fault nothing.
 *
 * Scope: only a map libsodium itself asks for (the caller's object is libsodium), only
 * anonymous private read-write ones of a mebibyte or more, one region per process, reused
 * only at the same size. Everything else goes to the C library untouched.
 *
 * Nothing of a verification outlives it: the region is wiped when libsodium unmaps it, so it
 * is also zero, as a fresh anonymous map is, when it is handed out again.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>

#define KEEP_FROM_BYTES ((size_t)1 << 20)

typedef void *(*mmap_fn)(void *, size_t, int, int, int, off_t);
typedef int (*munmap_fn)(void *, size_t);

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void *kept;
static size_t kept_size;
static int kept_in_use;

static int from_libsodium(const void *caller) {
  Dl_info info;
  return dladdr(caller, &info) != 0 && info.dli_fname != NULL &&
         strstr(info.dli_fname, "libsodium") != NULL;
}

static int keepable(void *addr, size_t size, int prot, int flags, int fd, off_t offset) {
  return addr == NULL && fd == -1 && offset == 0 && size >= KEEP_FROM_BYTES &&
         prot == (PROT_READ | PROT_WRITE) &&
         (flags & ~(MAP_POPULATE | MAP_NORESERVE)) == (MAP_PRIVATE | MAP_ANONYMOUS);
}

void *mmap(void *addr, size_t size, int prot, int flags, int fd, off_t offset) {
  static mmap_fn next;
  if (next == NULL) next = (mmap_fn)dlsym(RTLD_NEXT, "mmap");
  if (!keepable(addr, size, prot, flags, fd, offset) ||
      !from_libsodium(__builtin_return_address(0))) {
    return next(addr, size, prot, flags, fd, offset);
  }
  void *region;
  pthread_mutex_lock(&lock);
  if (kept != NULL && !kept_in_use && kept_size == size) {
    region = kept;
    kept_in_use = 1;
  } else {
    region = next(addr, size, prot, flags, fd, offset);
    if (kept == NULL && region != MAP_FAILED) {
      kept = region;
      kept_size = size;
      kept_in_use = 1;
    }
  }
  pthread_mutex_unlock(&lock);
  return region;
}

int munmap(void *addr, size_t size) {
  static munmap_fn next;
  if (next == NULL) next = (munmap_fn)dlsym(RTLD_NEXT, "munmap");
  pthread_mutex_lock(&lock);
  if (addr == kept && kept_in_use) {
    if (size == kept_size) {
      explicit_bzero(addr, size);
      kept_in_use = 0;
      pthread_mutex_unlock(&lock);
      return 0;
    }
    /* Unmapped in part: no longer a region to hand out whole. */
    kept = NULL;
  }
  pthread_mutex_unlock(&lock);
  return next(addr, size);
}
