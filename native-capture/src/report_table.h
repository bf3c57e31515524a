/* The resource report of a table in resmon's line shapes (report_table.c). */
#ifndef RESMON_REPORT_TABLE_H
#define RESMON_REPORT_TABLE_H

#include "resmon_table.h"

/* Prints one report line (without the "name|resmon| " prefix, which the printer adds). */
typedef void (*rt_line_fn)(const char *fmt, ...);

/*
 * Prints the live records of `h`: the exit block ("CHECK UNRELEASED RESOUCRES" ... "=====") when `at_exit`,
 * else the on-demand report without the bracket. The caller holds rt_lock() and has called
 * rt_refresh_totals().
 */
void rt_report_table(const struct rt_header *h, int at_exit, rt_line_fn line);

/*
 * One monitor cycle's usage lines (§3, §4): the process's CPU share and disk bytes when either is non-zero, the
 * live counts, and a limit update for each limit exceeded (which raises that limit, as resmon does). Takes
 * rt_lock() itself; the caller has called rt_refresh_totals().
 */
void rt_report_usage(struct rt_header *h, uint32_t pid, unsigned cpu, uint64_t disk, rt_line_fn line);

/* Writes a chunk of output (printf-style) to `arg`. */
typedef void (*rt_put_fn)(void *arg, const char *fmt, ...);

/*
 * The records of a UMDH snapshot log (docs/formats/umdh.md): every live heap block as
 * "SIZE bytes + 0 at ADDRESS by BackTraceID", its stack (raw addresses, TAB-indented) the first time the trace
 * id appears. The caller holds rt_lock() and writes the header, module table and heap framing around it.
 */
void rt_umdh_records(const struct rt_header *h, rt_put_fn put, void *arg);

#endif
