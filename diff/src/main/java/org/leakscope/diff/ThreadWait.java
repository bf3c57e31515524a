package org.leakscope.diff;

import java.util.List;
import java.util.Optional;
import org.leakscope.model.Frame;

/**
 * Whether a thread was blocked in the kernel when the dump was written: its innermost named frames are a wait
 * (Windows {@code NtWaitFor*}, critical sections and SRW locks, Linux {@code futex}, condition variables, joins,
 * sleeps, polls). Two threads each waiting on what the other holds is how a deadlock reads, so the report marks
 * them.
 */
public final class ThreadWait {
    /** How many innermost frames are looked at: a system call stub, its wrapper, the library's wait function. */
    static final int TOP_FRAMES = 4;

    static final List<String> WAIT_FUNCTIONS = List.of(
            // Windows native and Win32 waits
            "NtWaitFor*", "ZwWaitFor*", "NtDelayExecution", "ZwDelayExecution", "NtRemoveIoCompletion*",
            "ZwRemoveIoCompletion*", "NtWaitForAlertByThreadId", "NtUserGetMessage", "NtUserMsgWaitForMultipleObjects*",
            "NtSignalAndWaitForSingleObject", "NtReplyWaitReceivePort*", "NtAlpcSendWaitReceivePort",
            "WaitForSingleObject*", "WaitForMultipleObjects*", "SleepEx", "Sleep", "SleepConditionVariable*",
            "RtlpWaitOnCriticalSection", "RtlpWaitOnAddress*", "RtlSleepConditionVariable*", "RtlAcquireSRWLock*",
            "RtlpWaitCouldDeadlock", "EnterCriticalSection", "RtlEnterCriticalSection", "GetQueuedCompletionStatus*",
            // Linux
            "futex*", "__futex_abstimed_wait*", "futex_wait*", "__lll_lock_wait*", "__pthread_mutex_lock*",
            "pthread_mutex_lock", "___pthread_mutex_lock", "pthread_cond_wait*", "__pthread_cond_wait*",
            "___pthread_cond_wait*", "pthread_cond_timedwait*", "__pthread_cond_timedwait*", "pthread_join",
            "__pthread_clockjoin_ex", "__GI___pthread_timedjoin_ex", "sem_wait", "__new_sem_wait*", "sem_timedwait",
            "nanosleep", "__GI___nanosleep", "clock_nanosleep*", "__clock_nanosleep*", "usleep", "sleep",
            "epoll_wait", "epoll_pwait*", "poll", "__poll", "ppoll", "select", "__select", "pselect*", "pause",
            "sigwait*", "sigtimedwait", "waitpid", "__waitpid", "wait4", "__wait4", "accept", "__libc_accept",
            "msgrcv", "semop");

    /** the allocator rules' glob matcher (names without parameter lists, mangled names too), over the wait list */
    private final AllocatorFolding waits = new AllocatorFolding(WAIT_FUNCTIONS, List.of());

    /** The wait function the thread is blocked in (as its frame names it), or empty when it was running. */
    public Optional<String> waitingIn(List<Frame> frames) {
        int n = Math.min(TOP_FRAMES, frames.size());
        for (int i = 0; i < n; i++) {
            Frame f = frames.get(i);
            if (f.function() != null && waits.isAllocator(f)) {
                return Optional.of(AllocatorFolding.matchName(f.function()));
            }
        }
        return Optional.empty();
    }
}
