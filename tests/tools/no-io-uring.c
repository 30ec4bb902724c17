/*
 * no-io-uring: runs a program with io_uring refused, as Docker's default seccomp profile refuses it.
 *
 *     no-io-uring PROGRAM [ARGUMENT...]
 *
 * Installs a seccomp filter answering EPERM to io_uring_setup, io_uring_enter and io_uring_register (425, 426 and
 * 427 on both x86_64 and aarch64) and allowing every other call, then executes PROGRAM. The filter is inherited by
 * every thread and child of PROGRAM. The integration tests compile it with cc at test time; nothing binary is kept.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define IO_URING_SETUP 425
#define IO_URING_REGISTER 427

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: no-io-uring PROGRAM [ARGUMENT...]\n");
        return 2;
    }

    struct sock_filter filter[] = {
        /* Another architecture numbers its calls differently: refuse nothing there rather than the wrong calls. */
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_AARCH64, 0, 4),
        /* 425 <= nr <= 427: EPERM. (x32 calls, nr | 0x40000000, lie above and pass.) */
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, IO_URING_SETUP, 0, 2),
        BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, IO_URING_REGISTER, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog program = { .len = sizeof filter / sizeof filter[0], .filter = filter };

    /* Without CAP_SYS_ADMIN a filter may only be installed by a process that can gain no privileges. */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        fprintf(stderr, "no-io-uring: PR_SET_NO_NEW_PRIVS: %s\n", strerror(errno));
        return 125;
    }

    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program, 0, 0) != 0) {
        fprintf(stderr, "no-io-uring: PR_SET_SECCOMP: %s\n", strerror(errno));
        return 125;
    }

    execvp(argv[1], argv + 1);
    fprintf(stderr, "no-io-uring: cannot run %s: %s\n", argv[1], strerror(errno));
    return 127;
}
