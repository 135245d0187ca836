#ifndef CTERMIOS2_H
#define CTERMIOS2_H

/// Sets an arbitrary input and output speed on a tty with the Linux termios2 ioctl
/// (TCGETS2/TCSETS2 with BOTHER). Lives in its own translation unit because
/// <asm/termbits.h> clashes with glibc's <termios.h>. Returns 0, or -1 with errno set.
int vitals_set_custom_baud(int fd, unsigned int baud);

/// Reads back the output speed termios2 reports; -1 with errno set on failure.
long vitals_get_baud(int fd);

#endif
