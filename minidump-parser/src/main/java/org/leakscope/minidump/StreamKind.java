package org.leakscope.minidump;

/**
 * The one registry of stream types Leakscope knows by name. Adding a stream: add it here, add its type to
 * {@code minidump.ksy}, add an accessor to {@link Minidump} (see CONTRIBUTING.md). Types not listed here
 * (including user streams at or above 0x10000) are still listed and readable as raw bytes.
 */
public enum StreamKind {
    UNUSED(0x0, "UnusedStream"),
    THREAD_LIST(0x3, "ThreadListStream"),
    MODULE_LIST(0x4, "ModuleListStream"),
    MEMORY_LIST(0x5, "MemoryListStream"),
    EXCEPTION(0x6, "ExceptionStream"),
    SYSTEM_INFO(0x7, "SystemInfoStream"),
    THREAD_EX_LIST(0x8, "ThreadExListStream"),
    MEMORY64_LIST(0x9, "Memory64ListStream"),
    COMMENT_A(0xa, "CommentStreamA"),
    COMMENT_W(0xb, "CommentStreamW"),
    HANDLE_DATA(0xc, "HandleDataStream"),
    FUNCTION_TABLE(0xd, "FunctionTableStream"),
    UNLOADED_MODULE_LIST(0xe, "UnloadedModuleListStream"),
    MISC_INFO(0xf, "MiscInfoStream"),
    MEMORY_INFO_LIST(0x10, "MemoryInfoListStream"),
    THREAD_INFO_LIST(0x11, "ThreadInfoListStream"),
    HANDLE_OPERATION_LIST(0x12, "HandleOperationListStream"),
    TOKEN(0x13, "TokenStream"),
    JAVASCRIPT_DATA(0x14, "JavaScriptDataStream"),
    SYSTEM_MEMORY_INFO(0x15, "SystemMemoryInfoStream"),
    PROCESS_VM_COUNTERS(0x16, "ProcessVmCountersStream"),
    IPT_TRACE(0x17, "IptTraceStream"),
    THREAD_NAMES(0x18, "ThreadNamesStream"),
    BREAKPAD_INFO(0x47670001L, "BreakpadInfoStream"),
    BREAKPAD_ASSERTION_INFO(0x47670002L, "BreakpadAssertionInfoStream"),
    LINUX_CPU_INFO(0x47670003L, "LinuxCpuInfoStream"),
    LINUX_PROC_STATUS(0x47670004L, "LinuxProcStatusStream"),
    LINUX_LSB_RELEASE(0x47670005L, "LinuxLsbReleaseStream"),
    LINUX_CMD_LINE(0x47670006L, "LinuxCmdLineStream"),
    LINUX_ENVIRON(0x47670007L, "LinuxEnvironStream"),
    LINUX_AUXV(0x47670008L, "LinuxAuxvStream"),
    LINUX_MAPS(0x47670009L, "LinuxMapsStream"),
    LINUX_DSO_DEBUG(0x4767000aL, "LinuxDsoDebugStream"),
    CRASHPAD_INFO(0x43500001L, "CrashpadInfoStream"),
    /** Leakscope's own: the resmon table image resmon_client copies out of the crashed process. */
    LEAKSCOPE_RESMON_TABLE(0x4C4B0001L, "LeakscopeResmonTableStream"),
    /** A type this registry does not name; {@link StreamEntry#type()} holds the number. */
    OTHER(-1, "unknown");

    private final long type;
    private final String label;

    StreamKind(long type, String label) {
        this.type = type;
        this.label = label;
    }

    /** The stream type number in the directory. */
    public long type() {
        return type;
    }

    /** Microsoft's or Breakpad's name for the stream type. */
    public String label() {
        return label;
    }

    public static StreamKind of(long type) {
        for (StreamKind k : values()) {
            if (k.type == type && k != OTHER) {
                return k;
            }
        }
        return OTHER;
    }

    /** Label for any type number: the registry name, "UserStream" at or above 0x10000, else "unknown". */
    public static String labelOf(long type) {
        StreamKind k = of(type);
        if (k != OTHER) {
            return k.label;
        }
        if (type >= 0x10000 && type < 0x40000000L) {
            return "UserStream";
        }
        return type > 0xffff ? "unknown (vendor)" : "unknown (reserved)";
    }
}
