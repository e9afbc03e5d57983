#define _GNU_SOURCE
#include "CConduitSystem.h"

#include <errno.h>

#if defined(__linux__)
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

int conduit_open_beneath(int directory, const char *path, int flags, unsigned int mode, int no_symlinks) {
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (uint64_t)(flags | O_CLOEXEC);
    how.mode = (flags & O_CREAT) ? mode : 0;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | (no_symlinks ? RESOLVE_NO_SYMLINKS : 0);
    long fd;
    int tries = 0;
    /* EAGAIN: a rename raced the lookup and the kernel could not prove the result beneath. */
    do {
        fd = syscall(SYS_openat2, directory, path, &how, sizeof how);
    } while (fd < 0 && (errno == EAGAIN || errno == EINTR) && ++tries < 64);
    return (int)fd;
}
int conduit_o_path(void) { return O_PATH; }
#else
int conduit_o_path(void) { return 0; }

int conduit_open_beneath(int directory, const char *path, int flags, unsigned int mode, int no_symlinks) {
    (void)directory; (void)path; (void)flags; (void)mode; (void)no_symlinks;
    errno = ENOSYS;
    return -1;
}
#endif
