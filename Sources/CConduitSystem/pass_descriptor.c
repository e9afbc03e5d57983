#define _GNU_SOURCE
#include "CConduitSystem.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

/// Room for one SCM_RIGHTS descriptor, aligned as cmsg needs.
union descriptor_control {
    struct cmsghdr header;
    char space[CMSG_SPACE(sizeof(int))];
};

/// A one-byte message over `byte` with `control` as its (zeroed) control buffer.
static struct msghdr one_byte_message(char *byte, struct iovec *vector, union descriptor_control *control) {
    memset(control, 0, sizeof *control);
    vector->iov_base = byte;
    vector->iov_len = 1;
    struct msghdr message = {
        .msg_iov = vector, .msg_iovlen = 1, .msg_control = control->space, .msg_controllen = sizeof control->space};
    return message;
}

int conduit_send_descriptor(int socket, char byte, int descriptor) {
    struct iovec vector;
    union descriptor_control control;
    struct msghdr message = one_byte_message(&byte, &vector, &control);
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(header), &descriptor, sizeof descriptor);
    ssize_t sent;
    do {
        sent = sendmsg(socket, &message, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    return sent == 1 ? 0 : -1;
}

int conduit_receive_descriptor(int socket, char byte) {
    char received = 0;
    struct iovec vector;
    union descriptor_control control;
    struct msghdr message = one_byte_message(&received, &vector, &control);
    ssize_t count;
    do {
        count = recvmsg(socket, &message, MSG_CMSG_CLOEXEC);
    } while (count < 0 && errno == EINTR);
    if (count != 1 || received != byte) return -1;
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    if (header == NULL || header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS
        || header->cmsg_len != CMSG_LEN(sizeof(int)))
        return -1;
    int descriptor;
    memcpy(&descriptor, CMSG_DATA(header), sizeof descriptor);
    return descriptor;
}
