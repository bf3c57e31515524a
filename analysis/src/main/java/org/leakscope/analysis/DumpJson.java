package org.leakscope.analysis;

import java.util.List;

/**
 * One dump's summary: the dump-report model ({@link DumpReports}) that the text and the
 * {@code leakscope.dumpscan/2} JSON are both rendered from. Sections whose stream is absent are null (or empty
 * lists); {@code error} is set, and everything else null, when the dump could not be opened at all.
 * {@code crashSignature} is the crashing thread's Socorro-style signature, null when its stack was not walked.
 */
public record DumpJson(String file, Long fileSize, String error, HeaderJson header, SystemJson system,
        ProcessJson process, String comment, ExceptionJson exception, AssertionJson assertion, String crashSignature, List<ThreadJson> threads,
        List<ModuleJson> modules, List<UnloadedModuleJson> unloadedModules, MemoryJson memory,
        AddressSpaceJson addressSpace, HandlesJson handles, List<StreamJson> streams, List<ProblemJson> problems) {

    /** The file header: signature, format version, stream count, time written, MINIDUMP_TYPE flags by name. */
    public record HeaderJson(String signature, String version, int implementationVersion, long streamCount,
            String timestamp, String flags, List<String> flagNames, String checksum) {
    }

    /** SystemInfo: operating system, CPU and pointer size. */
    public record SystemJson(String os, String osVersion, String servicePack, String cpu, String cpuDescription,
            String cpuVendor, int processorCount, int processorLevel, int processorRevision, String platformId,
            Integer pointerSize) {
    }

    /** The process: pid and command line, start time, CPU times (MiscInfo, or Linux /proc streams). */
    public record ProcessJson(Long pid, String commandLine, String createTime, Long uptimeSeconds,
            Long userTimeSeconds, Long kernelTimeSeconds, String buildString, String timeZone) {
    }

    /** The exception or signal: code and name, faulting thread, addresses, the faulting frame. */
    public record ExceptionJson(String code, String name, String flags, List<String> flagNames, String threadId,
            String address, String crashAddress, String instructionPointer, List<String> parameters, FrameJson frame) {
    }

    /** Breakpad's assertion stream: the invalid-parameter or pure-virtual-call report behind the exception. */
    public record AssertionJson(String type, String description, String expression, String function, String file,
            Long line) {
    }

    /**
     * One thread: registers' instruction, stack and frame pointers, its top frame, crashed or wrote the dump; when
     * its stack was walked, its frames, the wait function it is blocked in ({@code waiting}, else null) and why the
     * walk stopped ({@code stackEnd}); those three are null for a thread not walked.
     */
    public record ThreadJson(String id, String name, long suspendCount, String priorityClass, int priority,
            String teb, String stackStart, long stackSize, String instructionPointer, String stackPointer,
            String framePointer, Integer contextSize, FrameJson frame, boolean crashed, boolean wroteDump,
            String startAddress, String createTime, Double userTimeSeconds, Double kernelTimeSeconds,
            String waiting, String stackEnd, List<StackFrameJson> frames) {
    }

    /** One loaded module: address range, file, version, debug identity. */
    public record ModuleJson(String base, long size, String end, String name, String path, String version,
            String productVersion, String debugFile, String debugId, String codeId, String timestamp,
            SymbolsJson symbols) {
    }

    /**
     * Where a module's names came from: null for a module no frame lies in (nothing was looked up).
     *
     * @param status {@code found}, {@code missing} (no file of its name anywhere on the symbol path) or
     *               {@code mismatched} (files of its name, none of its build)
     * @param file   the file used (a .sym, a PDB, the program file), or null
     * @param url    the symbol server it was downloaded from (now or into the cache earlier), or null
     * @param detail for {@code mismatched}: the first file refused, with both ids
     */
    public record SymbolsJson(String status, String file, String url, String detail) {
    }

    /** A module unloaded before the dump was written. */
    public record UnloadedModuleJson(String base, long size, String name, String timestamp) {
    }

    /** The captured memory: ranges, bytes, lowest and highest address. */
    public record MemoryJson(int ranges, long capturedBytes, List<String> streams, String lowest,
            String highest) {
    }

    /** The address space from MemoryInfoList: committed, reserved, free, by type; the largest free regions. */
    public record AddressSpaceJson(int regions, long committed, long reserved, long free, long image,
            long mapped, long privateBytes, RegionJson largestFree, List<RegionJson> topFree) {
    }

    /** One address range. */
    public record RegionJson(String base, long size, String end) {
    }

    /** The handles open at dump time, counted by type. */
    public record HandlesJson(int total, List<HandleTypeJson> byType) {
    }

    /** One handle type and how many were open. */
    public record HandleTypeJson(String type, int count) {
    }

    /** One directory entry: stream type, name, size and offset. */
    public record StreamJson(int index, String type, String name, boolean known, long size, String offset) {
    }

    /** Damage found while reading, at a file offset when known. */
    public record ProblemJson(String message, Long offset) {
    }
}
