// ccc-tether: runs one action handler on a tether to ccc-server, so the handler ends when the
// broker ends, however the broker ends (kill -9 included).
//
//     ccc-tether PROGRAM [ARGUMENT...]        (started by ccc-server, never by hand)
//
// Standard input is one end of a Unix stream socket whose other end only the broker holds. The
// protocol on it, in order:
//
// 1. The broker records that the handler starts, then sends one byte ('g') carrying, as
//    SCM_RIGHTS, the descriptor that becomes the handler's standard input. If the socket ends
//    before that (the broker died, or could not record the start), nothing is run: exit 125.
// 2. ccc-tether forks and execs PROGRAM (PATH searched), in its own process group (the broker made
//    ccc-tether a session and group leader), and answers "started\n" — or "failed ERRNO\n" when
//    exec failed, then exits 127.
// 3. While PROGRAM runs, an end of the socket means the broker is gone: the whole process group
//    (PROGRAM, its children that stayed in the group, ccc-tether) is killed with SIGKILL.
// 4. When PROGRAM ends, ccc-tether ends the same way (its exit status, or the same signal).
//
// The broker's own timeout signals the process group; ccc-tether ignores SIGTERM, SIGINT, SIGHUP
// and SIGQUIT so that it outlives PROGRAM and reports how PROGRAM ended (SIGKILL still ends it).
#define _GNU_SOURCE
#include "CConduitSystem.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

enum { exit_not_started = 125, exit_cannot_run = 127 };

/// Writes all of `text` to the broker; a broker that is gone is noticed by poll, not here.
static void tell(int sock, const char *text) {
    size_t left = strlen(text);
    while (left > 0) {
        ssize_t written = send(sock, text, left, MSG_NOSIGNAL);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return;
        text += written;
        left -= (size_t)written;
    }
}

/// In the forked child: PROGRAM gets the signal handling and mask of a fresh process.
static void reset_signals(void) {
    for (int signal_number = 1; signal_number < NSIG; signal_number++) signal(signal_number, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "ccc-tether: started by ccc-server to run an action handler; not for use by hand\n");
        return 2;
    }
    const int sock = 0;
    if (getpgrp() != getpid()) {
        // Killing "the group" must never reach the broker's own group.
        fprintf(stderr, "ccc-tether: not a process group leader; ccc-server starts it in a session of its own\n");
        return exit_not_started;
    }
    const int ignored[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE};
    for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++) signal(ignored[i], SIG_IGN);

    int input = conduit_receive_descriptor(sock, 'g');
    if (input < 0) return exit_not_started;

    // SIGCHLD is read from a signalfd, so one poll waits for PROGRAM and for the broker together.
    sigset_t child_signal;
    sigemptyset(&child_signal);
    sigaddset(&child_signal, SIGCHLD);
    sigprocmask(SIG_BLOCK, &child_signal, NULL);
    int child_events = signalfd(-1, &child_signal, SFD_CLOEXEC);
    // A close-on-exec pipe tells whether exec succeeded: it closes empty, or carries errno.
    int exec_status[2];
    if (child_events < 0 || pipe2(exec_status, O_CLOEXEC) != 0) {
        int error = errno;
        char text[64];
        snprintf(text, sizeof text, "failed %d\n", error);
        tell(sock, text);
        fprintf(stderr, "ccc-tether: cannot prepare to run %s: %s\n", argv[1], strerror(error));
        return exit_cannot_run;
    }

    pid_t child = fork();
    if (child == 0) {
        close(exec_status[0]);
        if (dup2(input, 0) < 0) _exit(exit_cannot_run);
        if (input != 0) close(input);
        reset_signals();
        execvp(argv[1], argv + 1);
        int error = errno;
        ssize_t ignored_result = write(exec_status[1], &error, sizeof error);
        (void)ignored_result;
        _exit(exit_cannot_run);
    }
    int fork_error = errno;
    close(input);
    close(exec_status[1]);
    if (child < 0) {
        char text[64];
        snprintf(text, sizeof text, "failed %d\n", fork_error);
        tell(sock, text);
        fprintf(stderr, "ccc-tether: cannot run %s: %s\n", argv[1], strerror(fork_error));
        return exit_cannot_run;
    }
    int exec_error = 0;
    ssize_t got;
    do {
        got = read(exec_status[0], &exec_error, sizeof exec_error);
    } while (got < 0 && errno == EINTR);
    close(exec_status[0]);
    if (got == sizeof exec_error) {
        waitpid(child, NULL, 0);
        char text[64];
        snprintf(text, sizeof text, "failed %d\n", exec_error);
        tell(sock, text);
        fprintf(stderr, "ccc-tether: cannot run %s: %s\n", argv[1], strerror(exec_error));
        return exit_cannot_run;
    }
    tell(sock, "started\n");

    for (;;) {
        int status = 0;
        pid_t ended = waitpid(child, &status, WNOHANG);
        if (ended == child) {
            if (WIFEXITED(status)) return WEXITSTATUS(status);
            int signal_number = WTERMSIG(status);
            // End by the same signal, without a core file of our own.
            struct rlimit no_core = {0, 0};
            setrlimit(RLIMIT_CORE, &no_core);
            signal(signal_number, SIG_DFL);
            sigset_t only;
            sigemptyset(&only);
            sigaddset(&only, signal_number);
            sigprocmask(SIG_UNBLOCK, &only, NULL);
            raise(signal_number);
            return 128 + signal_number;
        }
        struct pollfd watched[2] = {{.fd = sock, .events = POLLIN}, {.fd = child_events, .events = POLLIN}};
        if (poll(watched, 2, -1) < 0 && errno != EINTR) break;
        if (watched[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            char byte;
            ssize_t count = recv(sock, &byte, 1, MSG_DONTWAIT);
            if (count == 0 || (count < 0 && errno != EAGAIN && errno != EINTR)) {
                // The broker is gone: end PROGRAM and everything it left in the group, and this.
                kill(0, SIGKILL);
                _exit(exit_not_started);
            }
        }
        if (watched[1].revents & POLLIN) {
            struct signalfd_siginfo info;
            ssize_t ignored_result = read(child_events, &info, sizeof info);
            (void)ignored_result;
        }
    }
    kill(0, SIGKILL);
    return exit_cannot_run;
}
