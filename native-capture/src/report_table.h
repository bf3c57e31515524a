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

#endif
