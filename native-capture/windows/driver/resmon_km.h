/*
 * resmon for kernel drivers: the driver links resmon_km.c (with ../../src/table.c and ../../src/report_table.c
 * built with -DRESMON_NT_KERNEL) and includes this header after <ntddk.h> (or <wdm.h>) in each source file whose
 * calls should be tracked. The macros below send those calls to wrappers that record the call site in the
 * resmon table (docs/formats/resmon-table.md) in nonpaged pool:
 *   ExAllocatePool, ExAllocatePoolWithTag        heap records, subtype RT_POOL: pool tag, pool type, size
 *   ExFreePool, ExFreePoolWithTag                forget the block
 *   ZwCreateEvent                                a sync record (RT_EVENT, reset type and initial state)
 *   PsCreateSystemThread                         a thread record keyed by the returned handle
 *   ZwClose                                      forgets whichever record the handle has
 * At unload ResMonKmUninstall() prints resmon's exit report (docs/formats/resmon.md §5), one DbgPrint per line:
 *   resmon_driver.sys|resmon| base 0xFFFFB70C4E2A1000 size 1024 tag 0000000054534554 (NonPagedPool)
 *
 * Not wrapped: ExAllocatePool2/ExAllocatePool3 (Windows 10 2004): mingw-w64's DDK headers and libntoskrnl.a
 * declare neither (nor POOL_FLAGS), and Wine 8's ntoskrnl.exe does not export them, so a mingw-built driver
 * cannot call them and a wrapper could not be tested here. Handles closed with ObCloseHandle, objects reached
 * through ObReferenceObjectByHandle, and calls from files that do not include this header are not seen.
 *
 * IRQL: the pool wrappers may run at <= DISPATCH_LEVEL like the calls they wrap (the table takes spin locks
 * and allocates its chunks from NonPagedPool); the others, and Install/Uninstall/LogAllResources, at
 * PASSIVE_LEVEL.
 */
#ifndef RESMON_KM_H
#define RESMON_KM_H

#include <ntddk.h>

/*
 * Starts tracking. The report's module name is `Name` when given, else the driver's service name from
 * DriverObject->DriverName (\Driver\NAME) with ".sys" appended, which is the file name when the service is
 * named after the file, as usual. Prints one module line (base and size of the driver image) so that return
 * addresses resolve to offsets in the .sys. STATUS_INSUFFICIENT_RESOURCES when the table cannot be allocated.
 */
NTSTATUS ResMonKmInstall(PDRIVER_OBJECT DriverObject, PCSTR Name);

/*
 * Prints the exit report (the resources still live are the leaks) and frees the table. Call it last in
 * DriverUnload, once the driver's own threads are gone: nothing may call a wrapper during or after it (calls
 * after it are passed through untracked).
 */
VOID ResMonKmUninstall(VOID);

/* Prints the live resources now (the report without the exit block's bracket). */
VOID ResMonKmLogAllResources(VOID);

#ifdef __MINGW32__
/* in ntoskrnl and mingw's libntoskrnl.a, but not declared by mingw's DDK headers */
NTSYSAPI NTSTATUS NTAPI ZwCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                      POBJECT_ATTRIBUTES ObjectAttributes, EVENT_TYPE EventType,
                                      BOOLEAN InitialState);
#endif

/* The wrappers: same signatures as the functions they stand for. */
PVOID NTAPI ResMonKmExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes);
PVOID NTAPI ResMonKmExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
VOID NTAPI ResMonKmExFreePool(PVOID P);
VOID NTAPI ResMonKmExFreePoolWithTag(PVOID P, ULONG Tag);
NTSTATUS NTAPI ResMonKmZwCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                     POBJECT_ATTRIBUTES ObjectAttributes, EVENT_TYPE EventType,
                                     BOOLEAN InitialState);
NTSTATUS NTAPI ResMonKmZwClose(HANDLE Handle);
NTSTATUS NTAPI ResMonKmPsCreateSystemThread(PHANDLE ThreadHandle, ULONG DesiredAccess,
                                            POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ProcessHandle,
                                            PCLIENT_ID ClientId, PKSTART_ROUTINE StartRoutine, PVOID StartContext);

#ifndef RESMON_KM_NO_REDIRECT
/* object-like macros, so taking a function's address gets the wrapper too; mingw's wdm.h makes
 * ExAllocatePoolWithTag a macro for ExAllocatePool (dropping the tag) unless POOL_TAGGING is defined */
#undef ExAllocatePool
#undef ExAllocatePoolWithTag
#undef ExFreePool
#undef ExFreePoolWithTag
#undef ZwCreateEvent
#undef ZwClose
#undef PsCreateSystemThread
#define ExAllocatePool ResMonKmExAllocatePool
#define ExAllocatePoolWithTag ResMonKmExAllocatePoolWithTag
#define ExFreePool ResMonKmExFreePool
#define ExFreePoolWithTag ResMonKmExFreePoolWithTag
#define ZwCreateEvent ResMonKmZwCreateEvent
#define ZwClose ResMonKmZwClose
#define PsCreateSystemThread ResMonKmPsCreateSystemThread
#endif

#endif
