/*
 * Reading the target's memory, and copying its resmon table out as a table image (LKRMIMG1,
 * docs/formats/resmon-table.md) for the crash dump's user stream. The table sits in a process that has just
 * crashed, so nothing it says is trusted: the header is checked, every chunk is validated before it is copied,
 * lists that loop are cut, and the limits below cap what a corrupt table can make the client read or allocate.
 * A chunk that does not validate ends its list, with a warning; what was read before stays.
 */
#include "client.h"

#include <stdlib.h>
#include <string.h>

#include "resmon_table.h"

/* limits on what a corrupt table can make the client read or allocate */
#define MAX_CHUNKS_TOTAL 1000000u            /* chunks over all four lists (the contract: 1,000,000 per list) */
#define MAX_CHUNK_BYTES (64ull << 20)        /* record_size x capacity of one chunk (the contract's cap) */
#define MAX_IMAGE_BYTES (1024ull << 20)      /* the whole image */
#define MAX_HEADER_BYTES 65536u              /* header_size of a later minor */
#define MAX_MODULE_CHUNKS 4096u              /* module chunks (the contract's cap) */
#define MAX_MODULE_CHUNK_BYTES (16ull << 20) /* entries and string area of one module chunk (the contract's cap) */

/* ---- the target's memory ---- */

int peek(HANDLE process, uint64_t va, void *buf, size_t n) {
    SIZE_T got = 0;
    return ReadProcessMemory(process, (LPCVOID)(uintptr_t)va, buf, n, &got) && got == n ? 0 : -1;
}

/*
 * The address the data export `name` of the module at `base` holds in the target, read through the module's
 * export directory in the target's memory (an image is mapped at its RVAs). 0 when absent.
 */
uint64_t remote_export(HANDLE process, uint64_t base, const char *name) {
    IMAGE_DOS_HEADER dos;
    IMAGE_NT_HEADERS64 nt;
    if (peek(process, base, &dos, sizeof dos) != 0 || dos.e_magic != IMAGE_DOS_SIGNATURE || dos.e_lfanew <= 0
        || dos.e_lfanew > 0x10000 || peek(process, base + (uint32_t)dos.e_lfanew, &nt, sizeof nt) != 0
        || nt.Signature != IMAGE_NT_SIGNATURE || nt.OptionalHeader.Magic != IMAGE_NT_OPTIONAL_HDR64_MAGIC
        || nt.OptionalHeader.NumberOfRvaAndSizes <= IMAGE_DIRECTORY_ENTRY_EXPORT) {
        return 0;
    }
    IMAGE_DATA_DIRECTORY dir = nt.OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT];
    IMAGE_EXPORT_DIRECTORY exp;
    if (dir.VirtualAddress == 0 || dir.Size < sizeof exp
        || peek(process, base + dir.VirtualAddress, &exp, sizeof exp) != 0) {
        return 0;
    }
    size_t want = strlen(name) + 1;
    DWORD count = exp.NumberOfNames < 65536 ? exp.NumberOfNames : 65536;
    for (DWORD i = 0; i < count; i++) {
        uint32_t name_rva;
        char got[64];
        if (peek(process, base + exp.AddressOfNames + 4ull * i, &name_rva, 4) != 0
            || peek(process, base + name_rva, got, want) != 0 || memcmp(got, name, want) != 0) {
            continue;
        }
        uint16_t ordinal;
        uint32_t rva;
        if (peek(process, base + exp.AddressOfNameOrdinals + 2ull * i, &ordinal, 2) != 0
            || ordinal >= exp.NumberOfFunctions
            || peek(process, base + exp.AddressOfFunctions + 4ull * ordinal, &rva, 4) != 0 || rva == 0) {
            return 0;
        }
        return base + rva;
    }
    return 0;
}

/* ---- the table image ---- */

struct image {
    unsigned char *bytes;
    size_t length, capacity;
    uint32_t ranges;
};

static int image_reserve(struct image *im, uint64_t more) {
    if (im->length + more > MAX_IMAGE_BYTES) {
        return -1;
    }
    if (im->length + more > im->capacity) {
        size_t c = im->capacity ? im->capacity : 65536;
        while (c < im->length + more) {
            c *= 2;
        }
        unsigned char *b = realloc(im->bytes, c);
        if (b == NULL) {
            return -1;
        }
        im->bytes = b;
        im->capacity = c;
    }
    return 0;
}

/* Appends the range {va, length, bytes read from the target, pad}; -1 when it cannot be read or is too big. */
static int image_range(struct image *im, HANDLE process, uint64_t va, uint64_t length) {
    uint64_t padded = (length + 7) & ~7ull;
    if (image_reserve(im, 16 + padded) != 0) {
        return -1;
    }
    unsigned char *p = im->bytes + im->length;
    memcpy(p, &va, 8);
    memcpy(p + 8, &length, 8);
    memset(p + 16 + length, 0, padded - length);
    if (peek(process, va, p + 16, (size_t)length) != 0) {
        return -1;
    }
    im->length += 16 + padded;
    im->ranges++;
    return 0;
}

/* visited chunk VAs: open addressing, sized for MAX_CHUNKS_TOTAL at under half load */
#define SEEN_SLOTS (1u << 21)
static uint64_t *seen;

static int seen_add(uint64_t va) {
    uint64_t h = (va >> 3) * 0x9E3779B97F4A7C15ull;
    for (uint32_t i = (uint32_t)(h >> 43) & (SEEN_SLOTS - 1);; i = (i + 1) & (SEEN_SLOTS - 1)) {
        if (seen[i] == va) {
            return 1;
        }
        if (seen[i] == 0) {
            seen[i] = va;
            return 0;
        }
    }
}

static const uint32_t min_record[RT_KINDS + 1] = {0, 176, 208, 160, 160};

/*
 * The module list (1.1): each chunk as the tracker writes it, its header with the entries in use, then the part
 * of its string area in use. A chunk that does not validate ends the list, with a warning.
 */
static void copy_modules(struct image *im, HANDLE process, const struct rt_header *h) {
    uint32_t chunks = 0;
    for (uint64_t va = h->version_minor >= 1 ? h->module_list_va : 0; va != 0;) {
        struct rt_module_chunk c;
        if (chunks >= MAX_MODULE_CHUNKS) {
            say("table: more than %u module chunks; the rest of the module list is left out", MAX_MODULE_CHUNKS);
            return;
        }
        if (seen_add(va)) {
            say("table: the module list loops back to the chunk at 0x%016llx; stopped there", (unsigned long long)va);
            return;
        }
        if (peek(process, va, &c, sizeof c) != 0 || c.magic != RT_MODULE_CHUNK_MAGIC
            || c.entry_size < sizeof(struct rt_module) || c.entry_size > 65536 || c.used > c.capacity
            || c.string_used > c.string_bytes
            || (uint64_t)c.entry_size * c.capacity + c.string_bytes > MAX_MODULE_CHUNK_BYTES) {
            say("table: no valid module chunk at 0x%016llx; the rest of the module list is left out",
                (unsigned long long)va);
            return;
        }
        uint64_t strings = va + sizeof c + (uint64_t)c.entry_size * c.capacity;
        if (image_range(im, process, va, sizeof c + (uint64_t)c.used * c.entry_size) != 0
            || image_range(im, process, strings, c.string_used) != 0) {
            say("table: the module chunk at 0x%016llx cannot be read or the image would pass %llu MiB; the rest of "
                "the module list is left out", (unsigned long long)va, MAX_IMAGE_BYTES >> 20);
            return;
        }
        chunks++;
        va = c.next_va;
    }
}

/*
 * Copies the table whose header is at `header_va` out of the target as a table image (LKRMIMG1). A chunk that
 * does not validate ends its list (with a warning); what was read before stays. NULL when the header is bad.
 */
unsigned char *copy_table(HANDLE process, uint64_t header_va, size_t *length) {
    struct rt_header h;
    if (peek(process, header_va, &h, sizeof h) != 0) {
        say("table: the header at 0x%016llx cannot be read", (unsigned long long)header_va);
        return NULL;
    }
    uint8_t magic[16] = {'L', 'K', 'R', 'E', 'S', 'M', 'O', 'N'};
    for (int i = 0; i < 8; i++) {
        magic[8 + i] = (uint8_t)~magic[i];
    }
    if (memcmp(h.magic, magic, 16) != 0 || h.version_major != RT_VERSION_MAJOR || h.header_size < sizeof h
        || h.header_size > MAX_HEADER_BYTES || h.self_va != header_va || (h.pointer_size != 4 && h.pointer_size != 8)) {
        say("table: no valid table header at 0x%016llx (magic, version %u, header size %u, self_va 0x%016llx)",
            (unsigned long long)header_va, h.version_major, h.header_size, (unsigned long long)h.self_va);
        return NULL;
    }
    struct image im;
    memset(&im, 0, sizeof im);
    if (image_reserve(&im, 24) != 0) {
        return NULL;
    }
    im.length = 24;
    if (image_range(&im, process, header_va, h.header_size) != 0) {
        free(im.bytes);
        return NULL;
    }
    if (seen == NULL && (seen = calloc(SEEN_SLOTS, sizeof *seen)) == NULL) {
        free(im.bytes);
        return NULL;
    }
    memset(seen, 0, SEEN_SLOTS * sizeof *seen);
    uint32_t chunks = 0;
    for (int kind = 1; kind <= RT_KINDS; kind++) {
        for (uint64_t va = h.first_chunk_va[kind - 1]; va != 0;) {
            struct rt_chunk c;
            if (chunks >= MAX_CHUNKS_TOTAL) {
                say("table: more than %u chunks; the rest of list %d is left out", MAX_CHUNKS_TOTAL, kind);
                break;
            }
            if (seen_add(va)) {
                say("table: list %d loops back to the chunk at 0x%016llx; stopped there", kind, (unsigned long long)va);
                break;
            }
            if (peek(process, va, &c, sizeof c) != 0 || c.magic != RT_CHUNK_MAGIC || c.kind != (uint32_t)kind
                || c.record_size < min_record[kind] || c.used > c.capacity
                || (uint64_t)c.record_size * c.capacity > MAX_CHUNK_BYTES) {
                say("table: list %d: no valid chunk at 0x%016llx; the rest of the list is left out", kind,
                    (unsigned long long)va);
                break;
            }
            if (image_range(&im, process, va, sizeof c + (uint64_t)c.used * c.record_size) != 0) {
                say("table: list %d: the chunk at 0x%016llx cannot be read or the image would pass %llu MiB; "
                    "the rest of the list is left out", kind, (unsigned long long)va, MAX_IMAGE_BYTES >> 20);
                break;
            }
            chunks++;
            va = c.next_va;
        }
    }
    copy_modules(&im, process, &h);
    memcpy(im.bytes, "LKRMIMG1", 8);
    uint32_t version = 1;
    memcpy(im.bytes + 8, &version, 4);
    memcpy(im.bytes + 12, &im.ranges, 4);
    memcpy(im.bytes + 16, &header_va, 8);
    *length = im.length;
    return im.bytes;
}
