/*
 * resmon_driver.sys: a sample driver that uses the kernel-mode tracker (resmon_km.h) and leaks on purpose, so
 * that its unload report can be checked (driver/test.sh). DriverEntry leaks exactly three resources:
 *   a 1024-byte NonPagedPool block tagged "TEST", a synchronization event (auto reset, nonsignaled), and the
 *   handle of a system thread that has already ended;
 * and releases the same kinds properly, which must not be reported: a 64-byte "FREE" block, an untagged
 * PagedPool block, a notification event created signaled, a second system thread.
 */
#include <ntifs.h> /* ntddk.h and more: ZwWaitForSingleObject */

#include "resmon_km.h"

#define TEST_TAG 0x54534554u /* "TEST": a pool tag's bytes read least significant first */
#define FREE_TAG 0x45455246u /* "FREE" */

static PVOID leaked_block; /* kept, never freed: the leak the report must name */

static VOID NTAPI quick_thread(PVOID context) {
    PsTerminateSystemThread(STATUS_SUCCESS);
}

/* Waits for a system thread to end, so that unloading cannot take its code away while it runs. */
static VOID wait_for(HANDLE thread) {
    ZwWaitForSingleObject(thread, FALSE, NULL);
}

static VOID NTAPI DriverUnload(PDRIVER_OBJECT DriverObject) {
    ResMonKmUninstall(); /* the exit report: exactly the three leaks of DriverEntry */
}

/* Every tracked call is made here, each from its own call site, so each record's returnAddress tells them apart
 * (driver/check_report.py finds the call instruction before it). */
NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
    NTSTATUS status = ResMonKmInstall(DriverObject, NULL);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    DriverObject->DriverUnload = DriverUnload;
    OBJECT_ATTRIBUTES kernel_handle;
    InitializeObjectAttributes(&kernel_handle, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);

    PVOID block = ExAllocatePoolWithTag(NonPagedPool, 64, FREE_TAG);
    if (block != NULL) {
        ExFreePoolWithTag(block, FREE_TAG);
    }
    block = ExAllocatePool(PagedPool, 32);
    if (block != NULL) {
        ExFreePool(block);
    }
    leaked_block = ExAllocatePoolWithTag(NonPagedPool, 1024, TEST_TAG);

    HANDLE event;
    if (NT_SUCCESS(ZwCreateEvent(&event, EVENT_ALL_ACCESS, &kernel_handle, NotificationEvent, TRUE))) {
        ZwClose(event);
    }
    HANDLE leaked_event; /* never closed */
    ZwCreateEvent(&leaked_event, EVENT_ALL_ACCESS, &kernel_handle, SynchronizationEvent, FALSE);

    HANDLE thread;
    if (NT_SUCCESS(PsCreateSystemThread(&thread, THREAD_ALL_ACCESS, &kernel_handle, NULL, NULL, quick_thread,
                                        NULL))) {
        wait_for(thread);
        ZwClose(thread);
    }
    HANDLE leaked_thread; /* ended, but its handle is never closed */
    if (NT_SUCCESS(PsCreateSystemThread(&leaked_thread, THREAD_ALL_ACCESS, &kernel_handle, NULL, NULL,
                                        quick_thread, NULL))) {
        wait_for(leaked_thread);
    }

    ResMonKmLogAllResources(); /* an on-demand report: the same three, without the exit bracket */
    return STATUS_SUCCESS;
}
