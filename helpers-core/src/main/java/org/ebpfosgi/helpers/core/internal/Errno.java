package org.ebpfosgi.helpers.core.internal;

/** The Linux errno values helpers return negated in r0 (asm-generic/errno-base.h, errno.h). */
final class Errno {
    static final int ENOENT = 2;
    static final int E2BIG = 7;
    static final int EFAULT = 14;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int EOPNOTSUPP = 95;

    private Errno() {
    }

    /** r0 for a failure: the negated errno. */
    static long fail(int errno) {
        return -(long) errno;
    }
}
