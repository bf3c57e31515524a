/*
 * The resmon tracking table, version 1.1 (1.0 plus the module list): the in-memory layout that dumpscan --resmon reads back out of a
 * crash dump, and the table image file. The contract is docs/formats/resmon-table.md; the offsets below are
 * checked against it at compile time.
 */
#ifndef RESMON_TABLE_H
#define RESMON_TABLE_H

#include <stddef.h>
#include <stdint.h>

#define RT_VERSION_MAJOR 1
#define RT_VERSION_MINOR 1
#define RT_MAX_FRAMES 16
#define RT_BUCKETS 32
#define RT_NAME_BYTES 64

enum rt_kind { RT_HEAP = 1, RT_THREAD = 2, RT_SYNC = 3, RT_HANDLE = 4 };
#define RT_KINDS 4

enum rt_flag { RT_FLAG_CLEAN_EXIT = 1, RT_FLAG_FATAL_SIGNAL = 2, RT_FLAG_DROPPED = 4 };

enum rt_heap_subtype {
    RT_MALLOC = 1, RT_CALLOC = 2, RT_REALLOC = 3, RT_POSIX_MEMALIGN = 4, RT_ALIGNED_ALLOC = 5,
    RT_MEMALIGN = 6, RT_VALLOC = 7, RT_MMAP = 8, RT_HEAPALLOC = 9, RT_POOL = 10,
    RT_NEW = 11, RT_NEW_ARRAY = 12, RT_NEW_ALIGN = 13 /* C++ operator new, new[], the aligned forms of both */
};
enum rt_thread_subtype { RT_THREAD_RUNNING = 1, RT_THREAD_EXITED = 2 };
enum rt_sync_subtype { RT_MUTEX = 1, RT_COND = 2, RT_RWLOCK = 3, RT_SEMAPHORE = 4, RT_EVENT = 5 };
enum rt_handle_subtype { RT_FILE = 1, RT_SOCKET = 2, RT_PIPE = 3, RT_EVENTFD = 4, RT_FD_OTHER = 5, RT_WIN_FILE = 6 };

struct rt_header {
    uint8_t magic[8];
    uint8_t magic_not[8];
    uint16_t version_major;
    uint16_t version_minor;
    uint32_t header_size;
    uint64_t self_va;
    uint32_t pointer_size;
    uint32_t flags;
    uint64_t process_id;
    uint64_t start_time_ns;
    uint64_t update_time_ns;
    char process_name[RT_NAME_BYTES];
    uint64_t limit_memory_bytes;
    uint32_t limit_cpu_percent;
    uint32_t limit_threads;
    uint32_t limit_sync_objects;
    uint32_t interval_ms;
    uint64_t limit_disk_bytes;
    uint64_t allocated_bytes;
    uint64_t freed_bytes;
    uint64_t live_bytes;
    uint64_t peak_bytes;
    uint64_t allocations;
    uint64_t frees;
    uint64_t dropped_records;
    uint64_t live_threads;
    uint64_t live_sync_objects;
    uint64_t live_handles;
    uint64_t first_chunk_va[RT_KINDS];
    uint32_t histogram_buckets;
    uint32_t reserved1;
    uint64_t histogram[RT_BUCKETS];
    uint64_t module_list_va; /* 1.1: the first module chunk, 0 = none (reserved, zero, in 1.0) */
    uint8_t reserved2[32];
};

struct rt_chunk {
    uint32_t magic; /* 'RMCK' */
    uint32_t kind;
    uint32_t record_size;
    uint32_t capacity;
    uint32_t used;
    uint32_t reserved1;
    uint64_t next_va;
    /* records follow */
};

struct rt_record {
    uint32_t state;
    uint32_t creator_tid;
    uint64_t time_ns;
    uint64_t handle;
    uint16_t depth;
    uint16_t subtype;
    uint32_t attributes; /* sync objects: how they were created (RT_ATTR_*); RT_POOL blocks: the POOL_TYPE */
    uint64_t frames[RT_MAX_FRAMES];
};

/* Sync attributes: an event's reset type and initial state, a mutex's initial owner, a semaphore's counts. */
#define RT_ATTR_MANUAL_RESET 1u
#define RT_ATTR_INITIALLY_SET 2u /* an event signaled, a mutex owned by its creator */
#define RT_ATTR_SEMAPHORE(initial, maximum)                                                                    \
    ((uint32_t)((initial) > 0xFFFF ? 0xFFFF : (initial)) | (uint32_t)((maximum) > 0xFFFF ? 0xFFFF : (maximum)) << 16)

struct rt_heap_record {
    struct rt_record common;
    uint64_t size;
    uint64_t tag;
};

struct rt_thread_record {
    struct rt_record common;
    uint64_t thread_id;
    uint64_t start_va;
    uint64_t create_time_ns;
    uint64_t exit_time_ns;
    uint64_t user_cpu_ns;
    uint64_t kernel_cpu_ns;
};

#define RT_CHUNK_MAGIC 0x4B434D52u /* "RMCK" */

/* ---- the module list (1.1): chunks of fixed-size entries, each chunk with its own string area ---- */

#define RT_MODULE_CHUNK_MAGIC 0x444D4D52u /* "RMMD" */
#define RT_ID_BYTES 32
#define RT_NO_STRING 0xFFFFFFFFu

enum rt_module_id { RT_ID_NONE = 0, RT_ID_GNU_BUILD_ID = 1, RT_ID_PE_RSDS = 2 };

struct rt_module_chunk {
    uint32_t magic; /* 'RMMD' */
    uint32_t entry_size;
    uint32_t capacity;
    uint32_t used;         /* raised last, when an entry and its strings are whole */
    uint32_t string_bytes; /* the string area after the entries */
    uint32_t string_used;
    uint64_t next_va;
    /* capacity entries, then string_bytes of NUL-terminated strings */
};

struct rt_module {
    uint64_t base;
    uint64_t size;
    uint64_t load_time_ns;   /* since start_time_ns; 0: loaded before the capture started */
    uint64_t unload_time_ns; /* 0 while loaded */
    uint32_t path_offset;    /* in the chunk's string area */
    uint32_t debug_file_offset; /* PE: the CodeView record's PDB path; RT_NO_STRING when none */
    uint16_t id_kind;        /* enum rt_module_id */
    uint16_t id_length;
    uint32_t age;            /* RSDS age */
    uint32_t timestamp;      /* PE TimeDateStamp */
    uint32_t reserved1;
    uint8_t id[RT_ID_BYTES]; /* GNU build id bytes, or the RSDS GUID as stored */
    uint64_t reserved2;
};

_Static_assert(sizeof(struct rt_header) == 576, "header is 576 bytes");
_Static_assert(offsetof(struct rt_header, self_va) == 24, "self_va");
_Static_assert(offsetof(struct rt_header, process_name) == 64, "process_name");
_Static_assert(offsetof(struct rt_header, limit_memory_bytes) == 128, "limits");
_Static_assert(offsetof(struct rt_header, allocated_bytes) == 160, "totals");
_Static_assert(offsetof(struct rt_header, first_chunk_va) == 240, "chunk lists");
_Static_assert(offsetof(struct rt_header, histogram) == 280, "histogram");
_Static_assert(sizeof(struct rt_chunk) == 32, "chunk header");
_Static_assert(sizeof(struct rt_record) == 160, "record prefix");
_Static_assert(sizeof(struct rt_heap_record) == 176, "heap record");
_Static_assert(sizeof(struct rt_thread_record) == 208, "thread record");
_Static_assert(offsetof(struct rt_header, module_list_va) == 536, "module list");
_Static_assert(sizeof(struct rt_module_chunk) == 32, "module chunk header");
_Static_assert(offsetof(struct rt_module_chunk, next_va) == 24, "module chunk link");
_Static_assert(sizeof(struct rt_module) == 96, "module entry");
_Static_assert(offsetof(struct rt_module, path_offset) == 32, "module path");
_Static_assert(offsetof(struct rt_module, id_kind) == 40, "module id kind");
_Static_assert(offsetof(struct rt_module, timestamp) == 48, "module timestamp");
_Static_assert(offsetof(struct rt_module, id) == 56, "module id");

struct rt_limits {
    uint64_t memory_bytes;
    uint32_t cpu_percent;
    uint32_t threads;
    uint32_t sync_objects;
    uint32_t interval_ms;
    uint64_t disk_bytes;
};

/* Sets the table up (once); the header lives in its own anonymous mapping. Returns 0, or -1 without memory. */
int rt_init(const char *process_name, uint64_t pid, const struct rt_limits *limits);

/*
 * Frees the table (header, chunks, index) and forgets it, so rt_init may start again: a driver calls it at
 * unload, where memory left behind stays lost until reboot. No other thread may be inside the table.
 */
void rt_fini(void);

/* At most this many records per kind (0: no limit, the default); past it records are dropped and counted. */
void rt_set_max_records(uint64_t max_records);

/* The header, or NULL before rt_init. */
struct rt_header *rt_header(void);

/*
 * A new live record of `kind`, with the creator, time, handle, subtype and frames filled in; NULL when no chunk
 * could be added (counted in dropped_records). The caller fills the kind's own fields under rt_lock().
 */
struct rt_record *rt_add(int kind, uint16_t subtype, uint64_t handle, uint32_t tid, const uint64_t *frames,
                         int depth);

/* The live record of `kind` for `handle`, or NULL. */
struct rt_record *rt_find(int kind, uint64_t handle);

/* Frees a record's slot (state 0, cleared). */
void rt_remove(struct rt_record *r);

/* A heap block: adds the record and updates totals and the histogram. Thread-safe on its own (it locks the
 * block's stripe), and also callable under rt_lock(). */
struct rt_heap_record *rt_heap_alloc(uint64_t address, uint64_t size, uint16_t subtype, uint64_t tag, uint32_t tid,
                                     const uint64_t *frames, int depth);

/*
 * Folds the heap stripes' counters into the header's totals and histogram. The tracker calls it every 1024
 * heap operations per stripe, at each monitoring interval and before writing anything, so the header trails
 * the records by little; callers that read the header directly (tests) call it first.
 */
void rt_refresh_totals(void);

/* Forgets every live record (a baseline: what the C runtime set up before main is not a leak). Totals of
 * allocations and the histogram stay; live counts restart from zero. Takes rt_lock() itself. */
void rt_forget_all(void);

/* Forgets a heap block; returns its size, or -1 when it was not tracked. */
int64_t rt_heap_free(uint64_t address);

/* A loaded module as the tracker found it, for rt_modules_sync. */
struct rt_module_info {
    uint64_t base;
    uint64_t size;
    const char *path;
    const char *debug_file; /* NULL: none */
    uint16_t id_kind;
    uint16_t id_length;
    uint32_t age;
    uint32_t timestamp;
    uint8_t id[RT_ID_BYTES];
};

/*
 * Brings the table's module list up to `mods`, the modules loaded now: those not listed yet (same base, size and
 * path) are appended, listed ones missing from `mods` get their unload time. Takes the module list's lock, so it
 * must not be called under rt_lock(); the caller collects `mods` first and holds no lock of the loader
 * (dl_iterate_phdr, the Windows loader lock) while calling. 0, or -1 when a chunk could not be added.
 */
int rt_modules_sync(const struct rt_module_info *mods, int count);

/* The table lock: taken around rt_add/rt_find/rt_remove of threads, sync objects and handles, and around any
 * walk of the whole table (it also excludes every heap stripe and the module list). */
void rt_lock(void);
void rt_unlock(void);

/* Frees every lock, whoever holds it: only for a process whose other threads are gone, as at a Windows
 * DLL_PROCESS_DETACH on exit, where a thread killed inside a hook may have left a lock held. */
void rt_unlock_abandoned(void);

/* Nanoseconds since the capture started. */
uint64_t rt_now_ns(void);

/*
 * Writes the table image (docs/formats/resmon-table.md) to `path`: first to `path.tmp`, then renamed. Uses only
 * open/write/rename, so it may run in a fatal-signal handler (with `flags` RT_FLAG_FATAL_SIGNAL). 0 or -1.
 */
int rt_write_image(const char *path, uint32_t flags);

#endif
