#ifndef VITALS_CEPOLL_SHIM_H
#define VITALS_CEPOLL_SHIM_H

// epoll and eventfd for DeviceIO's MultiPortReader. Swift's Glibc module does not export
// <sys/epoll.h>, and `struct epoll_event` is packed on x86_64, so these inline wrappers take
// and return plain integers: a 64-bit token per descriptor and the ready event bits.

#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

/// Readable.
static const uint32_t vitals_epoll_in = EPOLLIN;
/// The other end hung up (a pty master closed, a USB-serial adapter unplugged).
static const uint32_t vitals_epoll_hup = EPOLLHUP;
/// An error condition on the descriptor.
static const uint32_t vitals_epoll_err = EPOLLERR;

/// A close-on-exec epoll instance, or -1 with errno set.
static inline int vitals_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

/// Watches `fd` for input (level-triggered); `token` comes back with its events. 0 or -1/errno.
static inline int vitals_epoll_add(int epfd, int fd, uint64_t token) {
    struct epoll_event event = {0};
    event.events = EPOLLIN;
    event.data.u64 = token;
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event);
}

/// Stops watching `fd`. 0 or -1/errno.
static inline int vitals_epoll_remove(int epfd, int fd) {
    struct epoll_event event = {0};
    return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &event);
}

/// Waits up to `timeout_ms` (-1: forever) for at most `capacity` ready descriptors and writes
/// each one's token and event bits. Returns how many, or -1 with errno set (EINTR included).
static inline int vitals_epoll_wait(int epfd, uint64_t *tokens, uint32_t *events, int capacity, int timeout_ms) {
    struct epoll_event ready[64];
    if (capacity > 64) capacity = 64;
    int n = epoll_wait(epfd, ready, capacity, timeout_ms);
    for (int i = 0; i < n; i++) {
        tokens[i] = ready[i].data.u64;
        events[i] = ready[i].events;
    }
    return n;
}

/// A close-on-exec, non-blocking eventfd (a counter another thread bumps to wake the loop).
static inline int vitals_eventfd(void) { return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK); }

#endif
