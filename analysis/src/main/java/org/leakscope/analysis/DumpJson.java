package org.leakscope.analysis;

import java.util.List;

/**
 * One dump's summary. Sections whose stream is absent are null (or empty lists); {@code error} is set, and
 * everything else null, when the dump could not be opened at all.
 */
public record DumpJson(String file, Long fileSize, String error, HeaderJson header, SystemJson system,
        ProcessJson process, String comment, ExceptionJson exception, AssertionJson assertion, List<ThreadJson> threads,
        List<ModuleJson> modules, List<UnloadedModuleJson> unloadedModules, MemoryJson memory,
        AddressSpaceJson addressSpace, HandlesJson handles, List<StreamJson> streams, List<ProblemJson> problems) {

    public record HeaderJson(String signature, String version, int implementationVersion, long streamCount,
            String timestamp, String flags, List<String> flagNames, String checksum) {
    }

    public record SystemJson(String os, String osVersion, String servicePack, String cpu, String cpuDescription,
            String cpuVendor, int processorCount, int processorLevel, int processorRevision, String platformId,
            Integer pointerSize) {
    }

    public record ProcessJson(Long pid, String commandLine, String createTime, Long uptimeSeconds,
            Long userTimeSeconds, Long kernelTimeSeconds, String buildString, String timeZone) {
    }

    public record ExceptionJson(String code, String name, String flags, List<String> flagNames, String threadId,
            String address, String crashAddress, String instructionPointer, List<String> parameters, FrameJson frame) {
    }

    /** Breakpad's assertion stream: the invalid-parameter or pure-virtual-call report behind the exception. */
    public record AssertionJson(String type, String description, String expression, String function, String file,
            Long line) {
    }

    public record ThreadJson(String id, String name, long suspendCount, String priorityClass, int priority,
            String teb, String stackStart, long stackSize, String instructionPointer, String stackPointer,
            String framePointer, Integer contextSize, FrameJson frame, boolean crashed, boolean wroteDump,
            String startAddress, String createTime, Double userTimeSeconds, Double kernelTimeSeconds) {
    }

    public record ModuleJson(String base, long size, String end, String name, String path, String version,
            String productVersion, String debugFile, String debugId, String codeId, String timestamp) {
    }

    public record UnloadedModuleJson(String base, long size, String name, String timestamp) {
    }

    public record MemoryJson(int ranges, long capturedBytes, List<String> streams, String lowest,
            String highest) {
    }

    public record AddressSpaceJson(int regions, long committed, long reserved, long free, long image,
            long mapped, long privateBytes, RegionJson largestFree, List<RegionJson> topFree) {
    }

    public record RegionJson(String base, long size, String end) {
    }

    public record HandlesJson(int total, List<HandleTypeJson> byType) {
    }

    public record HandleTypeJson(String type, int count) {
    }

    public record StreamJson(int index, String type, String name, boolean known, long size, String offset) {
    }

    public record ProblemJson(String message, Long offset) {
    }
}
