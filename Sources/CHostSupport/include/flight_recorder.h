/*
 * flight_recorder.h — crash attribution for the Cogwheel host.
 *
 * The host records, before every call into a cog, which cog and route are in flight, in a
 * small file mapped MAP_SHARED. Stores to such a mapping reach the page cache immediately, so
 * they survive the process dying in any way (a trap in a cog, SIGKILL, an abort) without a
 * syscall per call. A signal handler adds which fatal signal killed the process. The next start
 * reads the previous run's record before resetting it.
 */
#ifndef COGWHEEL_FLIGHT_RECORDER_H
#define COGWHEEL_FLIGHT_RECORDER_H

#include <stdint.h>
#include <stddef.h>

#define FR_MAX_SLOTS 64
#define FR_NAME_CAPACITY 40
#define FR_ROUTE_CAPACITY 88

/** One cog's breadcrumbs. */
typedef struct fr_slot {
    char cog[FR_NAME_CAPACITY];
    char last_route[FR_ROUTE_CAPACITY];
    uint32_t in_flight;
    uint32_t reserved;
    uint64_t calls;
} fr_slot;

/** The whole record of one host run. */
typedef struct fr_record {
    uint32_t magic;
    uint32_t layout_version;
    int32_t pid;
    /** 1 once the host shut down cleanly. */
    uint32_t clean_shutdown;
    /** The fatal signal that ended the run, or 0. */
    int32_t fatal_signal;
    uint32_t slot_count;
    fr_slot slots[FR_MAX_SLOTS];
} fr_record;

/**
 * Read the previous run's record at `path` into `previous` (if the file exists and is valid),
 * then map a fresh record for this run. Returns 0, or an errno value.
 * `*had_previous` is set to 1 when `previous` was filled.
 */
int fr_open(const char *path, fr_record *previous, int *had_previous);

/** Name slot `slot` after a cog (truncated to fit). Returns -1 when `slot` is out of range. */
int fr_assign_slot(uint32_t slot, const char *cog);

/** Record the start of a call into the cog of `slot`. Cheap: two atomic stores and a copy. */
void fr_enter(uint32_t slot, const char *route, size_t route_length);

/** Record the end of a call into the cog of `slot`. */
void fr_exit(uint32_t slot);

/** Mark this run as ended cleanly (graceful shutdown). */
void fr_mark_clean_shutdown(void);

/** Install handlers for fatal signals that note the signal, then chain to the previous handler. */
void fr_install_crash_handlers(void);

#endif
