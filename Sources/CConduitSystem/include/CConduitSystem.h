#ifndef CCONDUIT_SYSTEM_H
#define CCONDUIT_SYSTEM_H

#include <stdint.h>

/// Opens `path` relative to `directory` with the kernel refusing every step that leaves
/// `directory` (`..` above it, an absolute symbolic link, a link pointing outside) and every
/// magic link (`/proc/self/fd/…`): Linux's openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
/// plus RESOLVE_NO_SYMLINKS when `no_symlinks` is set.
///
/// Returns the new descriptor, or -1 with errno set: EXDEV when the path leaves `directory`,
/// ELOOP for too many links (or any link with `no_symlinks`), ENOENT when a part is missing,
/// ENOSYS where openat2 does not exist (Linux before 5.6, or another system).
int conduit_open_beneath(int directory, const char *path, int flags, unsigned int mode, int no_symlinks);

/// O_PATH (Linux: a descriptor that only names a place; glibc shows it only under _GNU_SOURCE). 0 elsewhere.
int conduit_o_path(void);

/// Sends the one byte `byte` on the Unix socket `socket`, carrying `descriptor` (SCM_RIGHTS) with it.
/// Returns 0, or -1 with errno set.
int conduit_send_descriptor(int socket, char byte, int descriptor);

/// Receives what ``conduit_send_descriptor`` sent: one byte that must be `byte`, and the descriptor
/// it carries (close-on-exec). Returns the descriptor, or -1 when the socket ended first or anything
/// else arrived.
int conduit_receive_descriptor(int socket, char byte);

#endif
