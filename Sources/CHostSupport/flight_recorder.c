#include "flight_recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define FR_MAGIC 0x43574652u /* "CWFR" */
#define FR_LAYOUT_VERSION 1u

static fr_record *current_record = NULL;

static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE };
#define FATAL_SIGNAL_COUNT (sizeof(fatal_signals) / sizeof(fatal_signals[0]))
static struct sigaction previous_actions[FATAL_SIGNAL_COUNT];

int fr_open(const char *path, fr_record *previous, int *had_previous) {
    *had_previous = 0;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return errno;

    struct stat info;
    if (fstat(fd, &info) == 0 && (size_t)info.st_size == sizeof(fr_record)) {
        ssize_t got = pread(fd, previous, sizeof(fr_record), 0);
        if (got == (ssize_t)sizeof(fr_record) && previous->magic == FR_MAGIC
            && previous->layout_version == FR_LAYOUT_VERSION) {
            *had_previous = 1;
        }
    }
    if (ftruncate(fd, sizeof(fr_record)) != 0) {
        int error = errno;
        close(fd);
        return error;
    }
    void *mapping = mmap(NULL, sizeof(fr_record), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    int map_error = errno;
    close(fd);
    if (mapping == MAP_FAILED) return map_error;

    fr_record *record = (fr_record *)mapping;
    memset(record, 0, sizeof(fr_record));
    record->magic = FR_MAGIC;
    record->layout_version = FR_LAYOUT_VERSION;
    record->pid = (int32_t)getpid();
    record->slot_count = FR_MAX_SLOTS;
    current_record = record;
    return 0;
}

int fr_assign_slot(uint32_t slot, const char *cog) {
    if (current_record == NULL || slot >= FR_MAX_SLOTS) return -1;
    fr_slot *target = &current_record->slots[slot];
    strncpy(target->cog, cog, FR_NAME_CAPACITY - 1);
    target->cog[FR_NAME_CAPACITY - 1] = '\0';
    return 0;
}

void fr_enter(uint32_t slot, const char *route, size_t route_length) {
    if (current_record == NULL || slot >= FR_MAX_SLOTS) return;
    fr_slot *target = &current_record->slots[slot];
    __atomic_fetch_add(&target->in_flight, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&target->calls, 1, __ATOMIC_RELAXED);
    /* A breadcrumb, not a lock-protected value: concurrent callers may interleave bytes. */
    size_t length = route_length < FR_ROUTE_CAPACITY - 1 ? route_length : FR_ROUTE_CAPACITY - 1;
    memcpy(target->last_route, route, length);
    target->last_route[length] = '\0';
}

void fr_exit(uint32_t slot) {
    if (current_record == NULL || slot >= FR_MAX_SLOTS) return;
    __atomic_fetch_sub(&current_record->slots[slot].in_flight, 1, __ATOMIC_RELAXED);
}

void fr_mark_clean_shutdown(void) {
    if (current_record == NULL) return;
    __atomic_store_n(&current_record->clean_shutdown, 1u, __ATOMIC_SEQ_CST);
}

static void fr_on_fatal_signal(int signal_number) {
    if (current_record != NULL) {
        __atomic_store_n(&current_record->fatal_signal, signal_number, __ATOMIC_SEQ_CST);
    }
    for (size_t index = 0; index < FATAL_SIGNAL_COUNT; index++) {
        if (fatal_signals[index] == signal_number) {
            sigaction(signal_number, &previous_actions[index], NULL);
            break;
        }
    }
    raise(signal_number);
}

void fr_install_crash_handlers(void) {
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = fr_on_fatal_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_NODEFER | SA_ONSTACK;
    for (size_t index = 0; index < FATAL_SIGNAL_COUNT; index++) {
        sigaction(fatal_signals[index], &action, &previous_actions[index]);
    }
}
