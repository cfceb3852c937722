package org.ebpfosgi.helpers.core;

/**
 * Implemented by a hook's per-event object ({@code HelperContext.hookContext()}) when the event acts for a
 * process other than the JVM, e.g. a supervised process's {@code bind()}: the current-task helpers
 * ({@code bpf_get_current_pid_tgid}, {@code bpf_get_current_uid_gid}, {@code bpf_get_current_comm}) then
 * report that process, as Linux reports the task that entered the kernel. Without it they report the
 * calling JVM thread.
 */
public interface CurrentTask {
    /** {@code tgid << 32 | pid}: the process id and the thread id, as Linux numbers them. */
    long pidTgid();

    /** {@code gid << 32 | uid}: the real group and user ids. */
    long uidGid();

    /** The command name ({@code task->comm}); programs see at most its first 15 bytes. */
    String comm();
}
