/*
 * The .eh_frame unwinder (unwind_cfi.h), x86-64. What a hook may do is narrow: no malloc, no lock of the
 * loader's (dladdr and dl_iterate_phdr take it, and a constructor run by another thread's dlopen can be waiting
 * for a lock the allocating thread holds), no read of memory that may not be mapped. So:
 *  - The module table (executable ranges, readable segments, the .eh_frame_hdr search table of each module) is
 *    built outside the hooks, at start-up and whenever the loader's counters move (the monitor's tick, exit),
 *    and in our dlclose before and after the real one, into one of two mmap'd slots. A hook reads the current
 *    slot lock-free, and only to find a rule not in the cache: it announces itself in a per-thread-stripe
 *    reader count, and a writer reuses a slot only once no reader is left in it. dlclose first publishes a
 *    frozen table (frame pointers only, no module memory read) and waits for the readers of the old one, so no
 *    walk reads a module while it is unmapped.
 *  - Every read of module memory is checked to lie inside one of that module's readable PT_LOAD segments,
 *    every read of the stack to lie between the hook's stack pointer and the top of the thread's stack.
 *  - The rule found for a return address (where the CFA is, whether the caller's rbp was saved) is kept in a
 *    direct-mapped cache of 64 Ki entries tagged with the table's generation; an entry is two words written
 *    without a lock, checked against each other (check = pc ^ rule), so a torn entry reads as a miss (short of
 *    a 64-bit coincidence).
 *  - Each thread keeps its last walk (the shadow, below): a walk that reaches a frame in the same state as then,
 *    under the same stack words, copies the rest instead of stepping through it.
 * A frame whose rule is beyond what is interpreted here (CFA expressions other than *(rbp + n), registers
 * saved in registers) is stepped over with its frame pointer; a signal frame, an undefined return address, a
 * return address outside every module or a stack address outside the stack ends the walk.
 */
#include "unwind_cfi.h"

#include "tracker.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>

#define MAX_MODULES 2048
#define MAX_SEGMENTS 6
#define MAX_RANGES 4096
#define CACHE_BITS 16
#define STRIPES 16
#define STATE_STACK 8

/* DWARF register numbers on x86-64 */
#define REG_RBP 6
#define REG_RSP 7
#define REG_RA 16

struct module {
    uintptr_t seg_lo[MAX_SEGMENTS]; /* readable PT_LOAD segments: every read of CFI lies in one */
    uintptr_t seg_hi[MAX_SEGMENTS];
    int segments;
    uintptr_t hdr;       /* .eh_frame_hdr */
    uintptr_t table;     /* its search table: count pairs of int32 (start, FDE), relative to hdr, sorted */
    uint64_t count;
};

struct range { /* an executable segment */
    uintptr_t lo;
    uintptr_t hi;
    uint32_t module;
};

struct table {
    int frozen; /* no module memory may be read: walk frame pointers */
    uint32_t modules_used;
    uint32_t ranges_used;
    struct module modules[MAX_MODULES];
    struct range ranges[MAX_RANGES]; /* sorted by lo */
};

struct stripe {
    _Atomic uint32_t readers[2];
    char pad[64 - 2 * sizeof(uint32_t)];
};

struct cache_entry {
    _Atomic uint64_t check; /* pc ^ rule */
    _Atomic uint64_t rule;
};

static struct table *slots[2];
static _Atomic uint32_t generation; /* the current slot is generation & 1 */
static struct stripe stripes[STRIPES] __attribute__((aligned(64)));
static struct cache_entry *cache;
static pthread_mutex_t writer = PTHREAD_MUTEX_INITIALIZER;
static TLS uintptr_t stack_top;
extern void *__libc_stack_end; /* the main thread's stack at _start (ld.so) */

/*
 * A rule, as cached: kind (bits 0-2), rbp saved at CFA + 8 * (bits 5-15, signed) when bit 3, rbp unknown after
 * the step when bit 4, the generation in bits 16-39 (it wraps after 16 Mi table changes), the CFA offset in
 * bits 40-63 (signed).
 */
enum kind { K_NONE, K_RSP, K_RBP, K_RBP_DEREF, K_FP_STEP, K_END };
#define GEN_MASK 0xffffffu
#define CFA_LIMIT (1 << 23) /* a CFA offset fits 24 bits */
#define RBP_SAVED 8u
#define RBP_LOST 16u

static uint64_t make_rule(enum kind k, int32_t cfa_off, int rbp_saved, int64_t rbp_off, int rbp_lost, uint32_t gen) {
    uint64_t r = (uint64_t)k | ((uint64_t)(gen & GEN_MASK) << 16) | ((uint64_t)cfa_off << 40);
    if (rbp_saved) {
        r |= RBP_SAVED | (((uint64_t)(rbp_off / 8) & 0x7ff) << 5);
    }
    if (rbp_lost) {
        r |= RBP_LOST;
    }
    return r;
}

static int64_t rule_rbp_off(uint64_t r) {
    int64_t v = (int64_t)((r >> 5) & 0x7ff);
    return (v >= 0x400 ? v - 0x800 : v) * 8;
}

/* ---- reading CFI, bounded by the segment it lies in ---- */

struct reader {
    const uint8_t *p;
    const uint8_t *end;
    int bad;
};

static int segment_of(const struct module *m, uintptr_t a, uintptr_t *hi) {
    for (int i = 0; i < m->segments; i++) {
        if (a >= m->seg_lo[i] && a < m->seg_hi[i]) {
            *hi = m->seg_hi[i];
            return 1;
        }
    }
    return 0;
}

static struct reader reader_at(const struct module *m, uintptr_t a) {
    uintptr_t hi;
    if (!segment_of(m, a, &hi)) {
        return (struct reader){NULL, NULL, 1};
    }
    return (struct reader){(const uint8_t *)a, (const uint8_t *)hi, 0};
}

static int take(struct reader *r, void *out, size_t n) {
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = 1;
        memset(out, 0, n);
        return 0;
    }
    memcpy(out, r->p, n);
    r->p += n;
    return 1;
}

static uint8_t u8(struct reader *r) {
    uint8_t v;
    take(r, &v, 1);
    return v;
}

static uint64_t uleb(struct reader *r) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        uint8_t b = u8(r);
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            return v;
        }
    }
    r->bad = 1;
    return 0;
}

static int64_t sleb(struct reader *r) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        uint8_t b = u8(r);
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            if (shift + 7 < 64 && (b & 0x40)) {
                v |= ~(uint64_t)0 << (shift + 7);
            }
            return (int64_t)v;
        }
    }
    r->bad = 1;
    return 0;
}

/* A DW_EH_PE-encoded pointer; `data` is the base of datarel (the .eh_frame_hdr). Indirect ones are not followed
 * (only a personality routine's is, which is skipped). */
static uintptr_t encoded(struct reader *r, uint8_t enc, uintptr_t data) {
    if (enc == 0xff) { /* DW_EH_PE_omit */
        return 0;
    }
    uintptr_t at = (uintptr_t)r->p;
    uint64_t v;
    switch (enc & 0x0f) {
    case 0x00: { uint64_t x; take(r, &x, 8); v = x; break; }
    case 0x01: v = uleb(r); break;
    case 0x02: { uint16_t x; take(r, &x, 2); v = x; break; }
    case 0x03: { uint32_t x; take(r, &x, 4); v = x; break; }
    case 0x04: { uint64_t x; take(r, &x, 8); v = x; break; }
    case 0x09: v = (uint64_t)sleb(r); break;
    case 0x0a: { int16_t x; take(r, &x, 2); v = (uint64_t)(int64_t)x; break; }
    case 0x0b: { int32_t x; take(r, &x, 4); v = (uint64_t)(int64_t)x; break; }
    case 0x0c: { int64_t x; take(r, &x, 8); v = (uint64_t)x; break; }
    default: r->bad = 1; return 0;
    }
    switch (enc & 0x70) {
    case 0x00: break;
    case 0x10: v += at; break;
    case 0x30: v += data; break;
    default: r->bad = 1; return 0; /* textrel, funcrel, aligned: not produced for x86-64 ELF */
    }
    return (uintptr_t)v;
}

/* ---- the CIE and FDE, and their CFA programs ---- */

struct cie {
    uint64_t code_align;
    int64_t data_align;
    uint64_t ra_reg;
    uint8_t fde_enc;
    int has_z;
    int signal_frame;
    struct reader program;
};

enum how { SAME, AT_CFA, UNDEF, OTHER };

struct state {
    int cfa_reg;
    int64_t cfa_off;
    int cfa_deref; /* CFA = *(reg + off): gcc's DW_OP_breg6 n; DW_OP_deref after stack realignment */
    int cfa_unknown;
    enum how rbp;
    int64_t rbp_off;
    enum how ra;
    int64_t ra_off;
};

static int parse_cie(const struct module *m, uintptr_t at, struct cie *c) {
    struct reader r = reader_at(m, at);
    uint32_t len;
    take(&r, &len, 4);
    if (r.bad || len == 0 || len == 0xffffffffu || len > (size_t)(r.end - r.p)) {
        return -1; /* 64-bit lengths are not produced for x86-64 ELF */
    }
    r.end = r.p + len;
    uint32_t id;
    take(&r, &id, 4);
    uint8_t version = u8(&r);
    if (r.bad || id != 0 || (version != 1 && version != 3)) {
        return -1;
    }
    const char *aug = (const char *)r.p;
    size_t aug_len = strnlen(aug, (size_t)(r.end - r.p));
    if (aug_len == (size_t)(r.end - r.p)) {
        return -1;
    }
    r.p += aug_len + 1;
    memset(c, 0, sizeof *c);
    if (aug_len >= 2 && aug[0] == 'e' && aug[1] == 'h') {
        uint64_t ignored;
        take(&r, &ignored, 8);
    }
    c->code_align = uleb(&r);
    c->data_align = sleb(&r);
    c->ra_reg = version == 1 ? u8(&r) : uleb(&r);
    c->fde_enc = 0; /* absptr unless 'R' says otherwise */
    const uint8_t *after_aug = NULL;
    for (size_t i = 0; i < aug_len && !r.bad; i++) {
        switch (aug[i]) {
        case 'z': {
            uint64_t n = uleb(&r);
            if (n > (size_t)(r.end - r.p)) {
                return -1;
            }
            after_aug = r.p + n;
            c->has_z = 1;
            break;
        }
        case 'R': c->fde_enc = u8(&r); break;
        case 'L': u8(&r); break;
        case 'P': { uint8_t enc = u8(&r); encoded(&r, enc & 0x7f, 0); break; }
        case 'S': c->signal_frame = 1; break;
        case 'e': case 'h': break;
        default:
            if (after_aug == NULL) {
                return -1; /* an augmentation we cannot skip */
            }
            i = aug_len; /* the rest is skipped by the 'z' length */
        }
    }
    if (after_aug != NULL) {
        r.p = after_aug;
    }
    if (r.bad) {
        return -1;
    }
    c->program = r;
    return 0;
}

static void set_rule(struct state *s, uint64_t reg, enum how how, int64_t off) {
    if (reg == REG_RBP) {
        s->rbp = how;
        s->rbp_off = off;
    } else if (reg == REG_RA) {
        s->ra = how;
        s->ra_off = off;
    }
}

static void restore_rule(struct state *s, const struct state *initial, uint64_t reg) {
    if (reg == REG_RBP) {
        s->rbp = initial->rbp;
        s->rbp_off = initial->rbp_off;
    } else if (reg == REG_RA) {
        s->ra = initial->ra;
        s->ra_off = initial->ra_off;
    }
}

/* DW_CFA_def_cfa_expression: only `DW_OP_breg6 n; DW_OP_deref` (rbp-based, after realignment) is followed. */
static void cfa_expression(struct reader *r, struct state *s) {
    uint64_t n = uleb(r);
    if (r->bad || n > (size_t)(r->end - r->p)) {
        r->bad = 1;
        return;
    }
    struct reader e = {r->p, r->p + n, 0};
    r->p += n;
    uint8_t op = u8(&e);
    int64_t off = sleb(&e);
    uint8_t deref = u8(&e);
    s->cfa_deref = 0;
    s->cfa_unknown = 1;
    if (!e.bad && e.p == e.end && op == 0x70 + REG_RBP && deref == 0x06) {
        s->cfa_reg = REG_RBP;
        s->cfa_off = off;
        s->cfa_deref = 1;
        s->cfa_unknown = 0;
    }
}

static void skip_block(struct reader *r) {
    uint64_t n = uleb(r);
    if (r->bad || n > (size_t)(r->end - r->p)) {
        r->bad = 1;
        return;
    }
    r->p += n;
}

/*
 * Runs a CFA program from `*loc` until the instruction that would move past `target`. `initial` is the state
 * after the CIE's program (for DW_CFA_restore), NULL while running the CIE's own. 0, or -1 on a malformed or
 * unknown instruction.
 */
static int run_program(struct reader *r, const struct cie *c, uintptr_t data, uintptr_t *loc, uintptr_t target,
                       struct state *s, const struct state *initial) {
    struct state saved[STATE_STACK];
    int depth = 0;
    while (r->p < r->end && !r->bad) {
        uint8_t op = u8(r);
        uint64_t reg;
        uint64_t delta = 0;
        switch (op >> 6) {
        case 1: delta = op & 0x3f; goto advance;
        case 2: set_rule(s, op & 0x3f, AT_CFA, (int64_t)uleb(r) * c->data_align); continue;
        case 3: if (initial != NULL) { restore_rule(s, initial, op & 0x3f); } continue;
        default: break;
        }
        switch (op) {
        case 0x00: break; /* nop */
        case 0x01: { /* set_loc */
            uintptr_t to = encoded(r, c->fde_enc, data);
            if (to > target) {
                return 0;
            }
            *loc = to;
            break;
        }
        case 0x02: delta = u8(r); goto advance;
        case 0x03: { uint16_t d; take(r, &d, 2); delta = d; goto advance; }
        case 0x04: { uint32_t d; take(r, &d, 4); delta = d; goto advance; }
        case 0x05: reg = uleb(r); set_rule(s, reg, AT_CFA, (int64_t)uleb(r) * c->data_align); break;
        case 0x06: reg = uleb(r); if (initial != NULL) { restore_rule(s, initial, reg); } break;
        case 0x07: set_rule(s, uleb(r), UNDEF, 0); break;
        case 0x08: set_rule(s, uleb(r), SAME, 0); break;
        case 0x09: reg = uleb(r); uleb(r); set_rule(s, reg, OTHER, 0); break; /* register */
        case 0x0a: /* remember_state */
            if (depth == STATE_STACK) {
                return -1;
            }
            saved[depth++] = *s;
            break;
        case 0x0b: /* restore_state: the CFA rule is restored too (as GCC's unwinder does) */
            if (depth == 0) {
                return -1;
            }
            *s = saved[--depth];
            break;
        case 0x0c: /* def_cfa */
            s->cfa_reg = (int)uleb(r);
            s->cfa_off = (int64_t)uleb(r);
            s->cfa_deref = s->cfa_unknown = 0;
            break;
        case 0x0d: s->cfa_reg = (int)uleb(r); s->cfa_deref = s->cfa_unknown = 0; break;
        case 0x0e: s->cfa_off = (int64_t)uleb(r); break;
        case 0x0f: cfa_expression(r, s); break;
        case 0x10: reg = uleb(r); skip_block(r); set_rule(s, reg, OTHER, 0); break; /* expression */
        case 0x11: reg = uleb(r); set_rule(s, reg, AT_CFA, sleb(r) * c->data_align); break;
        case 0x12: /* def_cfa_sf */
            s->cfa_reg = (int)uleb(r);
            s->cfa_off = sleb(r) * c->data_align;
            s->cfa_deref = s->cfa_unknown = 0;
            break;
        case 0x13: s->cfa_off = sleb(r) * c->data_align; break;
        case 0x14: reg = uleb(r); uleb(r); set_rule(s, reg, OTHER, 0); break; /* val_offset */
        case 0x15: reg = uleb(r); sleb(r); set_rule(s, reg, OTHER, 0); break; /* val_offset_sf */
        case 0x16: reg = uleb(r); skip_block(r); set_rule(s, reg, OTHER, 0); break; /* val_expression */
        case 0x2e: uleb(r); break; /* GNU_args_size */
        case 0x2f: reg = uleb(r); set_rule(s, reg, AT_CFA, -(int64_t)uleb(r) * c->data_align); break;
        default: return -1;
        }
        continue;
    advance:
        if (*loc + delta * c->code_align > target) {
            return 0;
        }
        *loc += delta * c->code_align;
    }
    return r->bad ? -1 : 0;
}

/* ---- finding the rule for a return address ---- */

static const struct range *range_of(const struct table *t, uintptr_t pc) {
    uint32_t lo = 0;
    uint32_t hi = t->ranges_used;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (pc < t->ranges[mid].lo) {
            hi = mid;
        } else if (pc >= t->ranges[mid].hi) {
            lo = mid + 1;
        } else {
            return &t->ranges[mid];
        }
    }
    return NULL;
}

/* The FDE covering `pc` from the module's binary-search table, or 0. */
static uintptr_t find_fde(const struct module *m, uintptr_t pc) {
    const int32_t *tab = (const int32_t *)m->table;
    uint64_t lo = 0;
    uint64_t hi = m->count;
    while (lo < hi) { /* the last entry starting at or before pc */
        uint64_t mid = (lo + hi) / 2;
        if (m->hdr + (intptr_t)tab[2 * mid] <= pc) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo == 0 ? 0 : m->hdr + (intptr_t)tab[2 * (lo - 1) + 1];
}

/* The rule for the frame whose code is at `pc` (a return address minus one), computed from the CFI. */
static uint64_t compute_rule(const struct module *m, uintptr_t pc, uint32_t gen) {
    uint64_t fp_step = make_rule(K_FP_STEP, 0, 0, 0, 0, gen);
    uintptr_t fde = m->count > 0 ? find_fde(m, pc) : 0;
    if (fde == 0) {
        return fp_step;
    }
    struct reader r = reader_at(m, fde);
    uint32_t len;
    take(&r, &len, 4);
    if (r.bad || len == 0 || len == 0xffffffffu || len > (size_t)(r.end - r.p)) {
        return fp_step;
    }
    r.end = r.p + len;
    uintptr_t cie_field = (uintptr_t)r.p;
    uint32_t cie_off;
    take(&r, &cie_off, 4);
    struct cie c;
    if (r.bad || cie_off == 0 || parse_cie(m, cie_field - cie_off, &c) != 0) {
        return fp_step;
    }
    uintptr_t start = encoded(&r, c.fde_enc, m->hdr);
    uintptr_t span = encoded(&r, c.fde_enc & 0x0f, 0);
    if (r.bad || pc < start || pc - start >= span) {
        return fp_step; /* between functions: code the CFI does not describe */
    }
    if (c.has_z) {
        skip_block(&r);
    }
    if (r.bad || c.ra_reg != REG_RA) {
        return fp_step;
    }
    if (c.signal_frame) {
        return make_rule(K_END, 0, 0, 0, 0, gen);
    }
    struct state s = {REG_RSP, 8, 0, 0, SAME, 0, AT_CFA, -8};
    uintptr_t loc = start;
    if (run_program(&c.program, &c, m->hdr, &loc, UINTPTR_MAX, &s, NULL) != 0) {
        return fp_step;
    }
    struct state initial = s;
    if (run_program(&r, &c, m->hdr, &loc, pc, &s, &initial) != 0) {
        return fp_step;
    }
    if (s.ra == UNDEF) {
        return make_rule(K_END, 0, 0, 0, 0, gen); /* the outermost frame (_start, clone) */
    }
    int rbp_ok = s.rbp == SAME || s.rbp == UNDEF || (s.rbp == AT_CFA && (s.rbp_off & 7) == 0
                                                     && s.rbp_off >= -8 * 1024 && s.rbp_off < 8 * 1024);
    if (s.cfa_unknown || s.ra != AT_CFA || s.ra_off != -8 || !rbp_ok || s.cfa_off < -CFA_LIMIT
        || s.cfa_off >= CFA_LIMIT) {
        return fp_step;
    }
    enum kind k;
    if (s.cfa_reg == REG_RSP && !s.cfa_deref) {
        k = K_RSP;
    } else if (s.cfa_reg == REG_RBP) {
        k = s.cfa_deref ? K_RBP_DEREF : K_RBP;
    } else {
        return fp_step;
    }
    return make_rule(k, (int32_t)s.cfa_off, s.rbp == AT_CFA, s.rbp_off, s.rbp == UNDEF, gen);
}

/* Enters the current table (a writer reuses a slot only when no reader is in it); returns its generation. */
static uint32_t enter(struct stripe *me) {
    for (;;) {
        uint32_t gen = atomic_load_explicit(&generation, memory_order_acquire);
        atomic_fetch_add_explicit(&me->readers[gen & 1], 1, memory_order_seq_cst);
        if (atomic_load_explicit(&generation, memory_order_seq_cst) == gen) {
            return gen;
        }
        atomic_fetch_sub_explicit(&me->readers[gen & 1], 1, memory_order_release);
    }
}

static void leave(struct stripe *me, uint32_t gen) {
    atomic_fetch_sub_explicit(&me->readers[gen & 1], 1, memory_order_release);
}

#define FROZEN UINT64_MAX

/* The cached rule for return address `ra`, or the one computed now from the current table (then cached): 0
 * outside every module, FROZEN when the table may not be read. Only a miss enters the table: a cached rule
 * holds no pointer into a module. */
static uint64_t rule_for(uintptr_t ra, uint32_t gen) {
    struct cache_entry *e = &cache[(ra * 0x9e3779b97f4a7c15ull) >> (64 - CACHE_BITS)];
    uint64_t rule = atomic_load_explicit(&e->rule, memory_order_relaxed);
    uint64_t check = atomic_load_explicit(&e->check, memory_order_relaxed);
    if ((check ^ rule) == ra && ((rule >> 16) & GEN_MASK) == (gen & GEN_MASK)) {
        return rule;
    }
    struct stripe *me = &stripes[resmon_tid() % STRIPES];
    uint32_t now = enter(me);
    const struct table *t = slots[now & 1];
    const struct range *in = t->frozen ? NULL : range_of(t, ra - 1);
    rule = t->frozen ? FROZEN : in == NULL ? 0 : compute_rule(&t->modules[in->module], ra - 1, now);
    leave(me, now);
    if (rule != 0 && rule != FROZEN) {
        atomic_store_explicit(&e->rule, rule, memory_order_relaxed);
        atomic_store_explicit(&e->check, ra ^ rule, memory_order_relaxed);
    }
    return rule;
}

/* ---- the walk ---- */

/* The top of the stack the thread runs on: glibc puts a thread's descriptor (pthread_self) at the top of the
 * block its stack is in; the main thread's stack ends at __libc_stack_end. Without either, 8 MiB above, as the
 * frame-pointer walk allows. */
static uintptr_t stack_top_for(uintptr_t sp) {
    uintptr_t top = stack_top;
    if (top > sp && top - sp < (1u << 30)) {
        return top;
    }
    uintptr_t self = (uintptr_t)pthread_self();
    uintptr_t main_end = (uintptr_t)__libc_stack_end;
    if (self > sp && self - sp < (1u << 30)) {
        top = self;
    } else if (main_end > sp && main_end - sp < (1u << 30)) {
        top = (main_end | 4095) + 1; /* the page __libc_stack_end is in is mapped */
    } else {
        return sp + (8u << 20);
    }
    stack_top = top;
    return top;
}

/*
 * The thread's last walk, frame by frame: the registers the step from that frame started with and the stack
 * words it read. A step is a function of its registers, the words it reads and the rules (fixed for a table
 * generation), so when a walk reaches a frame in the same registers as last time and every word the last walk
 * read from there on still holds what it held, the rest of the stack is the last walk's: it is copied after
 * those loads are checked, which do not depend on each other (an allocation loop pays for its own frames only).
 * Hooks do not nest on a thread (resmon_busy), so a walk never sees another half-written.
 */
#define MAX_READS (RT_MAX_FRAMES * 3) /* a step reads at most 3 words: the return address, rbp, a deref'd CFA */
struct step {
    uintptr_t pc;
    uintptr_t sp;
    uintptr_t fp;
    uint8_t fp_known;
    uint8_t uses_fp;    /* the step read rbp (its CFA or return address are found from it) */
    uint8_t reloads_fp; /* the step gave the caller's rbp from the stack (or made it unknown) */
    uint8_t fp_matters; /* the walk from this step on depends on the rbp it started with */
    uint32_t first;     /* its reads are the shadow's reads[first ..], up to the next step's first */
};

struct shadow {
    uint32_t gen;
    int depth; /* frames of the last walk; steps[0 .. depth-1] are valid */
    uint32_t reads;
    uintptr_t hi;
    uint64_t frames[RT_MAX_FRAMES];
    struct step steps[RT_MAX_FRAMES];
    uintptr_t addr[MAX_READS];
    uintptr_t value[MAX_READS];
};

static TLS struct shadow shadow;

/* Whether every word the last walk read from step `from` on still holds what it held (independent loads). */
static inline int same_rest(const struct shadow *sh, int from) {
    uintptr_t diff = 0;
    for (uint32_t k = sh->steps[from].first; k < sh->reads; k++) {
        diff |= *(const uintptr_t *)sh->addr[k] ^ sh->value[k];
    }
    return diff == 0;
}

/* Code built without frame pointers keeps data in rbp: it is compared only where the rest of the walk used it. */
static inline int same_state(const struct step *s, uintptr_t pc, uintptr_t sp, uintptr_t fp, uint32_t fp_known) {
    uintptr_t fp_diff = s->fp_matters ? (s->fp ^ fp) | (s->fp_known ^ fp_known) : 0;
    return ((s->pc ^ pc) | (s->sp ^ sp) | fp_diff) == 0;
}

/* fp_matters of steps `to` down to 0, from the one after `to` (none past the last). */
static void mark_fp_matters(struct shadow *sh, int to) {
    int next = to + 1 < sh->depth ? sh->steps[to + 1].fp_matters : 0;
    for (int k = to; k >= 0; k--) {
        struct step *s = &sh->steps[k];
        next = s->fp_matters = s->uses_fp || (!s->reloads_fp && next);
    }
}

/* This walk's reads: kept apart until it ends, the last walk's are still being compared with. */
struct reads {
    uint32_t n;
    uintptr_t addr[MAX_READS];
    uintptr_t value[MAX_READS];
};

static inline uintptr_t load(struct reads *r, uintptr_t a) {
    uintptr_t v = *(const uintptr_t *)a;
    r->addr[r->n] = a;
    r->value[r->n++] = v;
    return v;
}

/* This walk's steps 0 .. i-1 (reads in r) joined to the last walk's from step i on. */
static void splice(struct shadow *sh, const struct reads *r, int i) {
    uint32_t from = i < sh->depth ? sh->steps[i].first : sh->reads;
    uint32_t kept = sh->reads - from;
    if (r->n != from) {
        memmove(sh->addr + r->n, sh->addr + from, kept * sizeof sh->addr[0]);
        memmove(sh->value + r->n, sh->value + from, kept * sizeof sh->value[0]);
        for (int k = i; k < sh->depth; k++) {
            sh->steps[k].first = sh->steps[k].first - from + r->n;
        }
    }
    memcpy(sh->addr, r->addr, r->n * sizeof r->addr[0]);
    memcpy(sh->value, r->value, r->n * sizeof r->value[0]);
    sh->reads = r->n + kept;
}

int resmon_cfi_backtrace(uintptr_t pc, uintptr_t sp, uintptr_t fp, uint64_t *frames, int depth, int max) {
    if (cache == NULL || depth != 1) {
        return -1;
    }
    uint32_t gen = atomic_load_explicit(&generation, memory_order_acquire);
    if (slots[gen & 1]->frozen) {
        return -1;
    }
    uintptr_t hi = stack_top_for(sp);
    struct shadow *sh = &shadow;
    int may_reuse = sh->gen == gen && sh->hi == hi && sh->depth > 0;
    /* the common case, an allocation loop: the same caller, in the same frame, under the same stack */
    if (may_reuse && same_state(&sh->steps[0], pc, sp, fp, 1) && same_rest(sh, 0)) {
        memcpy(frames, sh->frames, sizeof sh->frames);
        return sh->depth;
    }
    if (!may_reuse) {
        sh->depth = 0;
        sh->reads = 0;
        sh->gen = gen;
        sh->hi = hi;
    }
    struct reads r;
    r.n = 0;
#define ON_STACK(a) ((a) >= sp && (a) <= hi - 8)
    uint32_t fp_known = 1;
    for (;;) {
        int i = depth - 1; /* the frame the step starts from */
        struct step *s = &sh->steps[i];
        if (may_reuse && i > 0 && i < sh->depth && same_state(s, pc, sp, fp, fp_known)) {
            if (same_rest(sh, i)) {
                sh->frames[i] = pc;
                splice(sh, &r, i);
                mark_fp_matters(sh, i - 1);
                memcpy(frames, sh->frames, sizeof sh->frames);
                return sh->depth;
            }
            may_reuse = 0; /* a word differs further up: this walk goes to the end */
        }
        s->pc = pc;
        s->sp = sp;
        s->fp = fp;
        s->fp_known = (uint8_t)fp_known;
        s->uses_fp = s->reloads_fp = 0;
        s->first = r.n;
        sh->frames[i] = pc;
        if (depth >= max) {
            break;
        }
        uint64_t rule = rule_for(pc, gen);
        if (rule == FROZEN) {
            sh->depth = 0;
            return -1; /* a dlclose under way: frame pointers, no module memory */
        }
        enum kind k = (enum kind)(rule & 7);
        uintptr_t cfa;
        if (k == K_NONE || k == K_END) {
            break; /* outside every module, or the outermost frame */
        }
        if (k == K_FP_STEP) {
            s->uses_fp = s->reloads_fp = 1;
            if (!fp_known || (fp & 7) != 0 || !ON_STACK(fp) || !ON_STACK(fp + 8)) {
                break;
            }
            cfa = fp + 16;
            uintptr_t ra = load(&r, fp + 8);
            fp = load(&r, fp);
            if (ra < 4096) {
                break;
            }
            frames[depth++] = ra;
            pc = ra;
            sp = cfa;
            continue;
        }
        int64_t off = (int64_t)rule >> 40; /* arithmetic: the offset's sign */
        if (k == K_RSP) {
            cfa = sp + (intptr_t)off;
        } else {
            s->uses_fp = 1;
            if (!fp_known) {
                break;
            }
            cfa = fp + (intptr_t)off;
            if (k == K_RBP_DEREF) {
                if (!ON_STACK(cfa)) {
                    break;
                }
                cfa = load(&r, cfa);
            }
        }
        if (cfa < 8 || cfa <= sp || !ON_STACK(cfa - 8)) {
            break;
        }
        uintptr_t ra = load(&r, cfa - 8);
        if (rule & RBP_SAVED) {
            uintptr_t at = cfa + (intptr_t)rule_rbp_off(rule);
            if (!ON_STACK(at)) {
                break;
            }
            fp = load(&r, at);
            fp_known = 1;
            s->reloads_fp = 1;
        } else if (rule & RBP_LOST) {
            fp_known = 0;
            s->reloads_fp = 1;
        }
        if (ra < 4096) {
            break;
        }
        frames[depth++] = ra;
        pc = ra;
        sp = cfa;
    }
#undef ON_STACK
    /* the whole walk is this one's */
    memcpy(sh->addr, r.addr, r.n * sizeof r.addr[0]);
    memcpy(sh->value, r.value, r.n * sizeof r.value[0]);
    sh->reads = r.n;
    sh->depth = depth;
    mark_fp_matters(sh, depth - 1);
    return depth;
}

/* ---- building the module table (outside the hooks) ---- */

static int add_module(struct dl_phdr_info *info, size_t size, void *data) {
    struct table *t = data;
    if (t->modules_used == MAX_MODULES) {
        return 0;
    }
    uint32_t index = t->modules_used;
    struct module *m = &t->modules[index];
    memset(m, 0, sizeof *m);
    uintptr_t hdr = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t a = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_GNU_EH_FRAME) {
            hdr = a;
        } else if (ph->p_type == PT_LOAD && (ph->p_flags & PF_R) && m->segments < MAX_SEGMENTS) {
            m->seg_lo[m->segments] = a;
            m->seg_hi[m->segments++] = a + ph->p_memsz;
        }
    }
    int ranges = 0;
    for (int i = 0; i < info->dlpi_phnum && t->ranges_used < MAX_RANGES; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && ph->p_memsz > 0) {
            uintptr_t a = info->dlpi_addr + ph->p_vaddr;
            t->ranges[t->ranges_used++] = (struct range){a, a + ph->p_memsz, index};
            ranges++;
        }
    }
    if (ranges == 0) {
        return 0;
    }
    /* .eh_frame_hdr: version 1, then the encodings of eh_frame_ptr, fde_count and the table; a table other
     * than datarel sdata4 (what ld writes) is not searched: that module's frames are stepped by frame pointer */
    struct reader r = reader_at(m, hdr);
    uint8_t version = u8(&r);
    uint8_t ptr_enc = u8(&r);
    uint8_t count_enc = u8(&r);
    uint8_t table_enc = u8(&r);
    if (hdr != 0 && !r.bad && version == 1 && table_enc == 0x3b) {
        m->hdr = hdr;
        encoded(&r, ptr_enc, hdr);
        uint64_t count = encoded(&r, count_enc, hdr);
        if (!r.bad && count <= (uint64_t)(r.end - r.p) / 8) {
            m->table = (uintptr_t)r.p;
            m->count = count;
        }
    }
    t->modules_used++;
    return 0;
}

static void wait_for_readers(int slot) {
    for (;;) {
        uint32_t n = 0;
        for (int i = 0; i < STRIPES; i++) {
            n += atomic_load_explicit(&stripes[i].readers[slot], memory_order_seq_cst);
        }
        if (n == 0) {
            return;
        }
        sched_yield();
    }
}

/* Publishes the next table, built (or frozen) in the slot not current; returns the slot left. */
static int publish(int frozen) {
    uint32_t gen = atomic_load_explicit(&generation, memory_order_relaxed);
    int next = (int)((gen + 1) & 1);
    wait_for_readers(next);
    struct table *t = slots[next];
    t->frozen = frozen;
    t->modules_used = 0;
    t->ranges_used = 0;
    if (!frozen) {
        dl_iterate_phdr(add_module, t);
        for (uint32_t i = 1; i < t->ranges_used; i++) { /* insertion sort: a few dozen ranges */
            struct range x = t->ranges[i];
            uint32_t j = i;
            for (; j > 0 && t->ranges[j - 1].lo > x.lo; j--) {
                t->ranges[j] = t->ranges[j - 1];
            }
            t->ranges[j] = x;
        }
    }
    atomic_store_explicit(&generation, gen + 1, memory_order_seq_cst);
    return (int)(gen & 1);
}

int resmon_cfi_init(void) {
    size_t bytes = sizeof(struct table);
    for (int i = 0; i < 2; i++) {
        void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            return -1;
        }
        slots[i] = p;
        slots[i]->frozen = 1; /* nothing built yet */
    }
    void *c = mmap(NULL, sizeof(struct cache_entry) << CACHE_BITS, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (c == MAP_FAILED) {
        return -1;
    }
    cache = c;
    return 0;
}

void resmon_cfi_refresh(void) {
    if (cache == NULL) {
        return;
    }
    pthread_mutex_lock(&writer);
    publish(0);
    pthread_mutex_unlock(&writer);
}

void resmon_cfi_after_fork_child(void) {
    for (int i = 0; i < STRIPES; i++) { /* readers in other threads of the parent are gone */
        atomic_store(&stripes[i].readers[0], 0);
        atomic_store(&stripes[i].readers[1], 0);
    }
    pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;
    writer = fresh;
}

/*
 * dlclose: once it returns the module may be unmapped. Before, a frozen table is published and the readers of
 * the old one are waited for (no walk reads module memory while the real dlclose runs); after, the table is
 * rebuilt without the module. dlopen needs nothing: a module's frames are unknown (the walk ends there) until
 * the monitor's next tick refreshes the table (dlopen itself is not wrapped: it looks at its caller).
 */
int dlclose(void *handle) {
    static int (*real_dlclose)(void *);
    static TLS int closing; /* a destructor run by this dlclose may dlclose too: the table is frozen already */
    if (real_dlclose == NULL) {
        real_dlclose = (int (*)(void *))dlsym(RTLD_NEXT, "dlclose");
    }
    if (cache == NULL || closing) {
        return real_dlclose(handle);
    }
    closing = 1;
    pthread_mutex_lock(&writer);
    int old = publish(1);
    wait_for_readers(old);
    int rc = real_dlclose(handle);
    publish(0);
    pthread_mutex_unlock(&writer);
    closing = 0;
    return rc;
}
