meta:
  id: minidump_file
  title: Windows / Breakpad / Crashpad minidump
  application:
    - Windows dbghelp MiniDumpWriteDump
    - Google Breakpad and Crashpad
  file-extension:
    - dmp
    - mdmp
  license: CC0-1.0
  ks-version: 0.11
  endian: le
  bit-endian: le
doc: |
  A minidump is a header, a directory of typed streams, and the streams themselves, each addressed by an
  RVA (file offset). Leakscope parses each stream on its own from the bytes its directory entry names, so
  this spec reads only the header at the top level; the hand-written API (org.leakscope.minidump.Minidump)
  instantiates the stream types below on bounded buffers and never maps the whole file.

  Counts are validated against the bytes present before the entries are read (count * entry size <= stream
  size), so a damaged count fails with a validation error instead of a long loop or a large allocation.
doc-ref:
  - https://learn.microsoft.com/en-us/windows/win32/api/minidumpapiset/
  - https://chromium.googlesource.com/breakpad/breakpad/+/refs/heads/main/src/google_breakpad/common/minidump_format.h
seq:
  - id: header
    type: header
types:
  header:
    -orig-id: MINIDUMP_HEADER
    doc-ref: https://learn.microsoft.com/en-us/windows/win32/api/minidumpapiset/ns-minidumpapiset-minidump_header
    seq:
      - id: magic
        -orig-id: Signature
        contents: MDMP
      - id: version
        -orig-id: Version
        type: u2
        doc: MINIDUMP_VERSION, 0xa793; the high word is the writer's implementation version.
        valid: 0xa793
      - id: implementation_version
        type: u2
      - id: num_streams
        -orig-id: NumberOfStreams
        type: u4
      - id: ofs_streams
        -orig-id: StreamDirectoryRva
        type: u4
      - id: checksum
        -orig-id: CheckSum
        type: u4
      - id: time_date_stamp
        -orig-id: TimeDateStamp
        type: u4
        doc: Seconds since 1970-01-01 UTC.
      - id: flags
        -orig-id: Flags
        type: u8
        doc: MINIDUMP_TYPE bits the writer was asked for.

  directory:
    doc: The stream directory, read from exactly num_entries * 12 bytes.
    params:
      - id: num_entries
        type: u4
    seq:
      - id: entries
        type: dir_entry
        repeat: expr
        repeat-expr: num_entries

  dir_entry:
    -orig-id: MINIDUMP_DIRECTORY
    seq:
      - id: stream_type
        -orig-id: StreamType
        type: u4
      - id: location
        -orig-id: Location
        type: location_descriptor

  location_descriptor:
    -orig-id: MINIDUMP_LOCATION_DESCRIPTOR
    seq:
      - id: len_data
        -orig-id: DataSize
        type: u4
      - id: ofs_data
        -orig-id: Rva
        type: u4

  memory_descriptor:
    -orig-id: MINIDUMP_MEMORY_DESCRIPTOR
    seq:
      - id: addr_memory_range
        -orig-id: StartOfMemoryRange
        type: u8
      - id: memory
        -orig-id: Memory
        type: location_descriptor

  memory_descriptor64:
    -orig-id: MINIDUMP_MEMORY_DESCRIPTOR64
    seq:
      - id: addr_memory_range
        -orig-id: StartOfMemoryRange
        type: u8
      - id: len_data
        -orig-id: DataSize
        type: u8

  minidump_string:
    -orig-id: MINIDUMP_STRING
    doc: Read from a buffer the API bounds to the string limit; the length is in bytes, not characters.
    seq:
      - id: len_data
        -orig-id: Length
        type: u4
        valid:
          expr: _ <= _io.size - 4
      - id: data
        -orig-id: Buffer
        size: len_data

  # ---------------------------------------------------------------- threads

  thread_list:
    -orig-id: MINIDUMP_THREAD_LIST
    doc-ref: https://learn.microsoft.com/en-us/windows/win32/api/minidumpapiset/ns-minidumpapiset-minidump_thread_list
    seq:
      - id: num_threads
        -orig-id: NumberOfThreads
        type: u4
        valid:
          expr: _ <= (_io.size - 4) / 48
      - id: padding
        doc: Some writers (Breakpad on some platforms) align the array to 8 bytes.
        size: 4
        if: _io.size == 8 + num_threads * 48
      - id: threads
        type: thread
        repeat: expr
        repeat-expr: num_threads

  thread:
    -orig-id: MINIDUMP_THREAD
    seq:
      - id: thread_id
        -orig-id: ThreadId
        type: u4
      - id: suspend_count
        -orig-id: SuspendCount
        type: u4
      - id: priority_class
        -orig-id: PriorityClass
        type: u4
      - id: priority
        -orig-id: Priority
        type: u4
      - id: teb
        -orig-id: Teb
        type: u8
      - id: stack
        -orig-id: Stack
        type: memory_descriptor
      - id: thread_context
        -orig-id: ThreadContext
        type: location_descriptor

  thread_info_list:
    -orig-id: MINIDUMP_THREAD_INFO_LIST
    seq:
      - id: len_header
        -orig-id: SizeOfHeader
        type: u4
        valid:
          min: 12
      - id: len_entries
        -orig-id: SizeOfEntry
        type: u4
        valid:
          min: 64
      - id: num_entries
        -orig-id: NumberOfEntries
        type: u4
        valid:
          expr: len_header <= _io.size and _ <= (_io.size - len_header) / len_entries
      - id: header_rest
        size: len_header - 12
      - id: entries
        size: len_entries
        type: thread_info
        repeat: expr
        repeat-expr: num_entries

  thread_info:
    -orig-id: MINIDUMP_THREAD_INFO
    seq:
      - id: thread_id
        -orig-id: ThreadId
        type: u4
      - id: dump_flags
        -orig-id: DumpFlags
        type: u4
      - id: dump_error
        -orig-id: DumpError
        type: u4
      - id: exit_status
        -orig-id: ExitStatus
        type: u4
      - id: create_time
        -orig-id: CreateTime
        type: u8
        doc: FILETIME, 100 ns since 1601-01-01.
      - id: exit_time
        -orig-id: ExitTime
        type: u8
      - id: kernel_time
        -orig-id: KernelTime
        type: u8
        doc: 100 ns units.
      - id: user_time
        -orig-id: UserTime
        type: u8
      - id: start_address
        -orig-id: StartAddress
        type: u8
      - id: affinity
        -orig-id: Affinity
        type: u8

  thread_name_list:
    -orig-id: MINIDUMP_THREAD_NAME_LIST
    seq:
      - id: num_names
        -orig-id: NumberOfThreadNames
        type: u4
        valid:
          expr: _ <= (_io.size - 4) / 12
      - id: names
        type: thread_name
        repeat: expr
        repeat-expr: num_names

  thread_name:
    -orig-id: MINIDUMP_THREAD_NAME
    doc: Packed to 12 bytes; the name RVA is 64-bit.
    seq:
      - id: thread_id
        -orig-id: ThreadId
        type: u4
      - id: ofs_name
        -orig-id: RvaOfThreadName
        type: u8

  # ---------------------------------------------------------------- thread contexts

  context_x86:
    -orig-id: CONTEXT (x86)
    doc: 716 bytes with ExtendedRegisters; only the registers a stack walk starts from are named.
    seq:
      - id: context_flags
        type: u4
      - id: debug_registers
        size: 24
      - id: float_save
        size: 112
      - id: segments
        doc: gs, fs, es, ds
        size: 16
      - id: edi
        type: u4
      - id: esi
        type: u4
      - id: ebx
        type: u4
      - id: edx
        type: u4
      - id: ecx
        type: u4
      - id: eax
        type: u4
      - id: ebp
        type: u4
      - id: eip
        type: u4
      - id: cs
        type: u4
      - id: eflags
        type: u4
      - id: esp
        type: u4
      - id: ss
        type: u4

  context_amd64:
    -orig-id: CONTEXT (AMD64)
    doc: |
      1232 bytes. Dumps with AVX state declare larger contexts (1663, 2747) whose first 1232 bytes are this
      layout followed by an XSTATE area; the API honours the declared size and reads only this prefix.
    seq:
      - id: home_registers
        doc: P1Home..P6Home
        size: 48
      - id: context_flags
        type: u4
      - id: mx_csr
        type: u4
      - id: segments
        doc: cs, ds, es, fs, gs, ss
        size: 12
      - id: eflags
        type: u4
      - id: debug_registers
        size: 48
      - id: rax
        type: u8
      - id: rcx
        type: u8
      - id: rdx
        type: u8
      - id: rbx
        type: u8
      - id: rsp
        type: u8
      - id: rbp
        type: u8
      - id: rsi
        type: u8
      - id: rdi
        type: u8
      - id: r8_to_r15
        type: u8
        repeat: expr
        repeat-expr: 8
      - id: rip
        type: u8

  context_arm64:
    -orig-id: CONTEXT (ARM64)
    doc: 912 bytes as written by dbghelp and Crashpad.
    seq:
      - id: context_flags
        type: u4
      - id: cpsr
        type: u4
      - id: x0_to_x28
        type: u8
        repeat: expr
        repeat-expr: 29
      - id: fp
        type: u8
      - id: lr
        type: u8
      - id: sp
        type: u8
      - id: pc
        type: u8

  # ---------------------------------------------------------------- modules

  module_list:
    -orig-id: MINIDUMP_MODULE_LIST
    seq:
      - id: num_modules
        -orig-id: NumberOfModules
        type: u4
        valid:
          expr: _ <= (_io.size - 4) / 108
      - id: padding
        size: 4
        if: _io.size == 8 + num_modules * 108
      - id: modules
        type: module
        repeat: expr
        repeat-expr: num_modules

  module:
    -orig-id: MINIDUMP_MODULE
    seq:
      - id: addr_base
        -orig-id: BaseOfImage
        type: u8
      - id: len_image
        -orig-id: SizeOfImage
        type: u4
      - id: checksum
        -orig-id: CheckSum
        type: u4
      - id: time_date_stamp
        -orig-id: TimeDateStamp
        type: u4
      - id: ofs_name
        -orig-id: ModuleNameRva
        type: u4
      - id: version_info
        -orig-id: VersionInfo
        type: fixed_file_info
      - id: cv_record
        -orig-id: CvRecord
        type: location_descriptor
      - id: misc_record
        -orig-id: MiscRecord
        type: location_descriptor
      - id: reserved
        size: 16

  fixed_file_info:
    -orig-id: VS_FIXEDFILEINFO
    seq:
      - id: signature
        -orig-id: dwSignature
        type: u4
        doc: 0xfeef04bd when the writer filled the structure in.
      - id: struc_version
        type: u4
      - id: file_version_hi
        -orig-id: dwFileVersionMS
        type: u4
      - id: file_version_lo
        -orig-id: dwFileVersionLS
        type: u4
      - id: product_version_hi
        -orig-id: dwProductVersionMS
        type: u4
      - id: product_version_lo
        -orig-id: dwProductVersionLS
        type: u4
      - id: file_flags_mask
        type: u4
      - id: file_flags
        type: u4
      - id: file_os
        type: u4
      - id: file_type
        type: u4
      - id: file_subtype
        type: u4
      - id: file_date_hi
        type: u4
      - id: file_date_lo
        type: u4

  codeview_record:
    doc: The record a module's CvRecord points to; its signature says which layout follows.
    seq:
      - id: signature
        size: 4
        type: str
        encoding: ASCII
        doc: The codeview_signature u4 values as their bytes in the file ("RSDS", "NB10", and "LEpB" for Breakpad's 'BpEL' constant 0x4270454c); unknown ones stay readable.
      - id: info
        type:
          switch-on: signature
          cases:
            '"RSDS"': codeview_pdb70
            '"NB10"': codeview_pdb20
            '"LEpB"': codeview_elf

  codeview_pdb70:
    -orig-id: CV_INFO_PDB70
    seq:
      - id: guid
        size: 16
      - id: age
        type: u4
      - id: pdb_file_name
        type: strz
        encoding: UTF-8

  codeview_pdb20:
    -orig-id: CV_INFO_PDB20
    seq:
      - id: cv_offset
        type: u4
      - id: signature
        type: u4
      - id: age
        type: u4
      - id: pdb_file_name
        type: strz
        encoding: UTF-8

  codeview_elf:
    -orig-id: MDCVInfoELF
    doc: Breakpad's record for ELF modules; the rest of the record is the build id.
    seq:
      - id: build_id
        size-eos: true

  unloaded_module_list:
    -orig-id: MINIDUMP_UNLOADED_MODULE_LIST
    seq:
      - id: len_header
        type: u4
        valid:
          min: 12
      - id: len_entries
        type: u4
        valid:
          min: 24
      - id: num_entries
        type: u4
        valid:
          expr: len_header <= _io.size and _ <= (_io.size - len_header) / len_entries
      - id: header_rest
        size: len_header - 12
      - id: entries
        size: len_entries
        type: unloaded_module
        repeat: expr
        repeat-expr: num_entries

  unloaded_module:
    -orig-id: MINIDUMP_UNLOADED_MODULE
    seq:
      - id: addr_base
        type: u8
      - id: len_image
        type: u4
      - id: checksum
        type: u4
      - id: time_date_stamp
        type: u4
      - id: ofs_name
        type: u4

  # ---------------------------------------------------------------- memory

  memory_list:
    -orig-id: MINIDUMP_MEMORY_LIST
    seq:
      - id: num_ranges
        -orig-id: NumberOfMemoryRanges
        type: u4
        valid:
          expr: _ <= (_io.size - 4) / 16
      - id: padding
        size: 4
        if: _io.size == 8 + num_ranges * 16
      - id: ranges
        type: memory_descriptor
        repeat: expr
        repeat-expr: num_ranges

  memory64_list:
    -orig-id: MINIDUMP_MEMORY64_LIST
    doc: The ranges' bytes follow each other from ofs_base on, which may lie beyond 4 GB.
    seq:
      - id: num_ranges
        -orig-id: NumberOfMemoryRanges
        type: u8
        valid:
          expr: _ >= 0 and _ <= (_io.size - 16) / 16
      - id: ofs_base
        -orig-id: BaseRva
        type: u8
      - id: ranges
        type: memory_descriptor64
        repeat: expr
        repeat-expr: num_ranges

  memory_info_list:
    -orig-id: MINIDUMP_MEMORY_INFO_LIST
    seq:
      - id: len_header
        type: u4
        valid:
          min: 16
      - id: len_entries
        type: u4
        valid:
          min: 48
      - id: num_entries
        type: u8
        valid:
          expr: _ >= 0 and len_header <= _io.size and _ <= (_io.size - len_header) / len_entries
      - id: header_rest
        size: len_header - 16
      - id: entries
        size: len_entries
        type: memory_info
        repeat: expr
        repeat-expr: num_entries

  memory_info:
    -orig-id: MINIDUMP_MEMORY_INFO
    seq:
      - id: addr_base
        -orig-id: BaseAddress
        type: u8
      - id: addr_allocation_base
        -orig-id: AllocationBase
        type: u8
      - id: allocation_protect
        type: u4
      - id: alignment1
        type: u4
      - id: len_region
        -orig-id: RegionSize
        type: u8
      - id: state
        type: u4
        doc: A memory_state value.
      - id: protect
        type: u4
      - id: type
        type: u4
        doc: A memory_type value (0 for free regions).
      - id: alignment2
        type: u4

  # ---------------------------------------------------------------- exception, system, process

  exception_stream:
    -orig-id: MINIDUMP_EXCEPTION_STREAM
    seq:
      - id: thread_id
        type: u4
      - id: alignment
        type: u4
      - id: record
        -orig-id: ExceptionRecord
        type: exception_record
      - id: thread_context
        type: location_descriptor

  exception_record:
    -orig-id: MINIDUMP_EXCEPTION
    seq:
      - id: code
        -orig-id: ExceptionCode
        type: u4
      - id: flags
        -orig-id: ExceptionFlags
        type: u4
      - id: addr_record
        -orig-id: ExceptionRecord
        type: u8
      - id: addr_exception
        -orig-id: ExceptionAddress
        type: u8
      - id: num_params
        -orig-id: NumberParameters
        type: u4
      - id: unused_alignment
        type: u4
      - id: params
        -orig-id: ExceptionInformation
        type: u8
        repeat: expr
        repeat-expr: 15

  system_info:
    -orig-id: MINIDUMP_SYSTEM_INFO
    seq:
      - id: processor_architecture
        type: u2
        doc: A processor_architecture value.
      - id: processor_level
        type: u2
      - id: processor_revision
        type: u2
      - id: num_processors
        type: u1
      - id: product_type
        type: u1
      - id: major_version
        type: u4
      - id: minor_version
        type: u4
      - id: build_number
        type: u4
      - id: platform_id
        type: u4
        doc: A platform_id value.
      - id: ofs_csd_version
        -orig-id: CSDVersionRva
        type: u4
      - id: suite_mask
        type: u2
      - id: reserved2
        type: u2
      - id: cpu
        -orig-id: Cpu
        size: 24
        type: cpu_information

  cpu_information:
    -orig-id: CPU_INFORMATION
    doc: A union; x86 dumps fill the first form, others the ProcessorFeatures form.
    seq:
      - id: vendor_id
        size: 12
      - id: version_information
        type: u4
      - id: feature_information
        type: u4
      - id: amd_extended_cpu_features
        type: u4
    instances:
      processor_features:
        pos: 0
        type: u8
        repeat: expr
        repeat-expr: 2
      arm_cpuid:
        -orig-id: cpuid
        doc: ARM dumps (Breakpad's MDARMCPUInfo) - the MIDR register, implementer in bits 24-31.
        pos: 0
        type: u4
      arm_elf_hwcaps:
        -orig-id: elf_hwcaps
        doc: ARM dumps - the kernel's AT_HWCAP bits (swp, half, thumb ... neon, vfpv4, idiva, idivt).
        pos: 4
        type: u4

  misc_info:
    -orig-id: MINIDUMP_MISC_INFO_N
    doc: |
      Five sizes occur (24, 44, 232, 832, 1364 bytes: MISC_INFO 1 to 5); each adds fields to the previous.
      What is present is decided by the stream's size; flags1 says which fields are valid.
    seq:
      - id: len_info
        -orig-id: SizeOfInfo
        type: u4
      - id: flags1
        type: u4
      - id: process_id
        type: u4
      - id: process_create_time
        type: u4
      - id: process_user_time
        type: u4
      - id: process_kernel_time
        type: u4
      - id: power
        type: misc_info_power
        if: _io.size >= 44
      - id: integrity
        type: misc_info_integrity
        if: _io.size >= 232
      - id: build
        type: misc_info_build
        if: _io.size >= 832
      - id: xstate
        size: 528
        if: _io.size >= 1364
      - id: process_cookie
        type: u4
        if: _io.size >= 1364

  misc_info_power:
    seq:
      - id: processor_max_mhz
        type: u4
      - id: processor_current_mhz
        type: u4
      - id: processor_mhz_limit
        type: u4
      - id: processor_max_idle_state
        type: u4
      - id: processor_current_idle_state
        type: u4

  misc_info_integrity:
    seq:
      - id: process_integrity_level
        type: u4
      - id: process_execute_flags
        type: u4
      - id: protected_process
        type: u4
      - id: time_zone_id
        type: u4
      - id: bias
        type: s4
      - id: standard_name
        size: 64
        type: strz
        encoding: UTF-16LE
      - id: standard_date
        size: 16
      - id: standard_bias
        type: s4
      - id: daylight_name
        size: 64
        type: strz
        encoding: UTF-16LE
      - id: daylight_date
        size: 16
      - id: daylight_bias
        type: s4

  misc_info_build:
    seq:
      - id: build_string
        size: 520
        type: strz
        encoding: UTF-16LE
      - id: dbg_bld_str
        size: 80
        type: strz
        encoding: UTF-16LE

  handle_data:
    -orig-id: MINIDUMP_HANDLE_DATA_STREAM
    seq:
      - id: len_header
        type: u4
        valid:
          min: 16
      - id: len_descriptors
        type: u4
        valid:
          min: 32
      - id: num_descriptors
        type: u4
        valid:
          expr: len_header <= _io.size and _ <= (_io.size - len_header) / len_descriptors
      - id: reserved
        type: u4
      - id: header_rest
        size: len_header - 16
      - id: descriptors
        size: len_descriptors
        type: handle_descriptor
        repeat: expr
        repeat-expr: num_descriptors

  handle_descriptor:
    -orig-id: MINIDUMP_HANDLE_DESCRIPTOR_2
    doc: Version 1 is 32 bytes; version 2 (40 bytes) adds ObjectInfoRva.
    seq:
      - id: handle
        type: u8
      - id: ofs_type_name
        type: u4
      - id: ofs_object_name
        type: u4
      - id: attributes
        type: u4
      - id: granted_access
        type: u4
      - id: handle_count
        type: u4
      - id: pointer_count
        type: u4
      - id: ofs_object_info
        type: u4
        if: _io.size >= 40

  # ---------------------------------------------------------------- Breakpad and Crashpad

  breakpad_info:
    -orig-id: MDRawBreakpadInfo
    seq:
      - id: validity
        type: u4
        doc: bit 0 dump_thread_id valid, bit 1 requesting_thread_id valid
      - id: dump_thread_id
        type: u4
      - id: requesting_thread_id
        type: u4

  assertion_info:
    -orig-id: MDRawAssertionInfo
    seq:
      - id: expression
        size: 256
        type: strz
        encoding: UTF-16LE
      - id: function
        size: 256
        type: strz
        encoding: UTF-16LE
      - id: file
        size: 256
        type: strz
        encoding: UTF-16LE
      - id: line
        type: u4
      - id: type
        type: u4

  crashpad_info:
    -orig-id: MinidumpCrashpadInfo
    seq:
      - id: version
        type: u4
      - id: report_id
        size: 16
      - id: client_id
        size: 16
      - id: simple_annotations
        type: location_descriptor
      - id: module_list
        type: location_descriptor

  linux_dso_debug:
    -orig-id: MDRawDebug64
    doc: |
      The dynamic linker's r_debug, packed (no padding before the 64-bit fields). ofs_map is the file offset
      of num_dsos MDRawLinkMap records; the dynamic section's bytes follow this header in the stream.
    seq:
      - id: version
        type: u4
      - id: ofs_map
        -orig-id: map
        type: u4
      - id: num_dsos
        -orig-id: dso_count
        type: u4
      - id: addr_brk
        type: u8
      - id: addr_ldbase
        type: u8
      - id: addr_dynamic
        type: u8

enums:
  codeview_signature:
    0x53445352: pdb70
    0x3031424e: pdb20
    0x4c457042: elf_build_id

  memory_state:
    0x1000: commit
    0x2000: reserve
    0x10000: free

  memory_type:
    0x20000: private
    0x40000: mapped
    0x1000000: image

  processor_architecture:
    0: x86
    1: mips
    2: alpha
    3: ppc
    4: shx
    5: arm
    6: ia64
    7: alpha64
    8: msil
    9: amd64
    10: x86_on_win64
    12: arm64
    0x8001: sparc
    0x8002: ppc64
    0x8003: arm64_old
    0x8004: mips64
    0x8005: riscv
    0x8006: riscv64
    0xffff: unknown

  platform_id:
    0: win32s
    1: win32_windows
    2: win32_nt
    3: win32_ce
    0x8000: unix
    0x8101: mac_os_x
    0x8102: ios
    0x8201: linux
    0x8202: solaris
    0x8203: android
    0x8204: ps3
    0x8205: nacl
    0x8206: fuchsia
