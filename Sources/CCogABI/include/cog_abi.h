/*
 * cog_abi.h — the only contract between the Cogwheel host and a cog.
 *
 * A cog is a shared library exporting one symbol, `cog_entry`, that returns a pointer to a
 * static `cog_descriptor`. Everything else — initialisation, requests, state hand-over,
 * shutdown — goes through function pointers in that descriptor and in the `cog_host_api`
 * table the host passes to `init`. No Swift type, object or symbol crosses this boundary, so a
 * cog can be written in any language that can export a C function.
 *
 * Versioning: every struct starts with `abi_version` and `struct_size`. New fields are only
 * ever appended, so a reader checks `struct_size` before touching a field it did not know
 * about. The host refuses a cog whose `abi_version` it does not support or whose structs are
 * shorter than that version requires.
 *
 * Memory: bytes passed *into* a call are owned by the caller and valid only during the call.
 * Bytes a cog returns in a `cog_buffer` are owned by the cog and released by the host through
 * the descriptor's `free_buffer`. Bytes passed to a completion callback are valid only during
 * that callback; the receiver copies what it keeps.
 *
 * Threads: the host may call `handle` from any thread, concurrently. `handle` must not block:
 * it starts the work and returns; the cog calls `completion` exactly once, from any thread,
 * when the response is ready. `init`, `export_state` and `shutdown` are never called
 * concurrently with each other for the same context.
 *
 * See docs/cog-abi.md for the request and response documents and a complete cog in C.
 */
#ifndef COG_ABI_H
#define COG_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The ABI version this header describes. */
#define COG_ABI_VERSION 1u

/** Name of the symbol every cog exports: `const cog_descriptor *cog_entry(void)`. */
#define COG_ENTRY_SYMBOL "cog_entry"

/** Prefix of `compiler_version` for cogs written in C: their ABI does not depend on a toolchain. */
#define COG_COMPILER_C_PREFIX "c:"

/** Prefix of `compiler_version` for Swift cogs; the rest must match the host's toolchain exactly. */
#define COG_COMPILER_SWIFT_PREFIX "swift:"

/** Status codes shared by every call. */
typedef enum cog_status {
    COG_OK = 0,
    /** The request could not be understood (bad bytes, unknown route). */
    COG_ERR_BAD_REQUEST = 1,
    /** The cog failed; the accompanying bytes are a UTF-8 message for the logs. */
    COG_ERR_FAILED = 2,
    /** The cog does not implement this call. */
    COG_ERR_UNSUPPORTED = 3,
    /** Storage: no value under that key. */
    COG_ERR_NOT_FOUND = 4,
    /** Storage: the statement touches something the cog does not own; the bytes say what. */
    COG_ERR_DENIED = 5,
    /** Storage: SQLite failed (constraint, syntax, full disk…); the bytes carry its message. */
    COG_ERR_STORAGE = 6,
} cog_status;

/** Log levels for `cog_host_api.log`, matching the host's logger. */
typedef enum cog_log_level {
    COG_LOG_TRACE = 0,
    COG_LOG_DEBUG = 1,
    COG_LOG_INFO = 2,
    COG_LOG_NOTICE = 3,
    COG_LOG_WARNING = 4,
    COG_LOG_ERROR = 5,
} cog_log_level;

/** What a request asks of the cog. */
typedef enum cog_request_kind {
    /** A slash command (or a context-menu command): `route` is the command path, e.g. "roll" or "config set". */
    COG_REQUEST_COMMAND = 1,
    /** A message component: `route` is the custom_id without the "cogname:" prefix. */
    COG_REQUEST_COMPONENT = 2,
    /** A modal submit: `route` is the custom_id without the "cogname:" prefix. */
    COG_REQUEST_MODAL = 3,
    /** An autocomplete request: `route` is the command path. */
    COG_REQUEST_AUTOCOMPLETE = 4,
    /**
     * A scheduled job is due: `route` is the job's name, the payload is JSON
     * {"job": name, "state": "...", "scheduled_for": unix seconds, "missed": n}. The response
     * document's kind is "done" or "error"; nothing is shown to a player.
     */
    COG_REQUEST_JOB = 5,
    /**
     * A gateway event the cog declared in its manifest's "events": `route` is the dispatch name
     * ("MESSAGE_CREATE"), the payload is the dispatch's `d` exactly as Discord sent it, and the
     * appended fields of `cog_request` (check struct_size >= COG_REQUEST_SIZE_EVENT) carry the
     * shard and the ids found in it. The response document's kind is "done" or "error".
     */
    COG_REQUEST_EVENT = 6,
} cog_request_kind;

/** Bits of `cog_request.event_flags`: what the host knows about an event that its payload does not say. */
typedef enum cog_event_flag {
    /** A GUILD_CREATE for a guild the bot joined now, not one becoming available after connecting. */
    COG_EVENT_GUILD_JOINED = 1u << 0,
} cog_event_flag;

/** A byte buffer allocated by the cog; the host releases it with `cog_descriptor.free_buffer`. */
typedef struct cog_buffer {
    uint8_t *data;
    size_t length;
} cog_buffer;

/**
 * Scopes of the key–value store, after Red-DiscordBot's Config. A location names the ids the
 * scope needs; unused ids are 0. In `kv_list`, an id of 0 matches every id.
 */
typedef enum cog_kv_scope {
    COG_KV_GLOBAL = 0,  /* no id */
    COG_KV_GUILD = 1,   /* first_id = guild */
    COG_KV_CHANNEL = 2, /* first_id = channel */
    COG_KV_USER = 3,    /* first_id = user */
    COG_KV_MEMBER = 4,  /* first_id = guild, second_id = user */
} cog_kv_scope;

/** Where a key–value entry lives. */
typedef struct cog_kv_location {
    int32_t scope;
    uint64_t first_id;
    uint64_t second_id;
} cog_kv_location;

/**
 * One step of a cog's database schema: the SQL (one or more statements, NUL-terminated) that
 * brings version `version - 1` to `version`. The host runs pending steps at start-up only, in
 * one transaction per cog, after a backup, under the cog's authorizer: tables and indexes must
 * be named `<cog>__<name>`.
 */
typedef struct cog_migration {
    uint32_t version;
    /** What the step does, for logs and errors. NUL-terminated. */
    const char *summary;
    const char *sql;
} cog_migration;

/**
 * Called by the cog exactly once per `handle`, with `COG_OK` and a response document, or an
 * error status and a UTF-8 message for the logs. `bytes` are valid only during the call.
 */
typedef void (*cog_completion_fn)(void *completion_ctx, int32_t status, const uint8_t *bytes, size_t length);

/**
 * Services the host offers a cog, passed to `init`. The cog keeps the pointer for its
 * lifetime. Check `struct_size` before using a field added after version 1.
 */
typedef struct cog_host_api {
    uint32_t abi_version;
    uint32_t struct_size;
    /** Opaque; pass back unchanged as the first argument of every service. */
    void *host_ctx;
    /** Write a UTF-8 message (not NUL-terminated) to the host's log, attributed to the cog. */
    void (*log)(void *host_ctx, int32_t level, const char *message, size_t length);
    /**
     * Send a deferred response ("the bot is thinking…") for the interaction of request
     * `request_id` now; the cog's completion later becomes an edit of that response.
     * Returns COG_OK, or COG_ERR_BAD_REQUEST when the request is unknown or already answered.
     */
    int32_t (*defer_interaction)(void *host_ctx, uint64_t request_id, int32_t ephemeral);

    /*
     * Storage, appended to version 1 (check struct_size >= COG_HOST_API_SIZE_STORAGE). Every
     * call returns a cog_status. On COG_OK `*out` holds the result (possibly empty); on an
     * error it holds a UTF-8 reason. Release a non-NULL `out->data` with `release_buffer`.
     * Calls are synchronous and thread-safe; keys are UTF-8, at most 256 bytes.
     */

    /** The value under `key`; COG_ERR_NOT_FOUND when there is none. */
    int32_t (*kv_get)(void *host_ctx, const cog_kv_location *where, const char *key, size_t key_length,
                      cog_buffer *out);
    /** Stores `value` (at most 1 MiB) under `key`, replacing what was there. */
    int32_t (*kv_set)(void *host_ctx, const cog_kv_location *where, const char *key, size_t key_length,
                      const uint8_t *value, size_t value_length, cog_buffer *out);
    /** Removes `key`; COG_ERR_NOT_FOUND when there was nothing. */
    int32_t (*kv_delete)(void *host_ctx, const cog_kv_location *where, const char *key, size_t key_length,
                         cog_buffer *out);
    /**
     * Entries whose key starts with `prefix`, at most 1,000, ordered by ids then key. `*out`
     * holds records, little-endian: u64 first_id, u64 second_id, u32 key length, key bytes,
     * u32 value length, value bytes.
     */
    int32_t (*kv_list)(void *host_ctx, const cog_kv_location *where, const char *prefix, size_t prefix_length,
                       cog_buffer *out);
    /**
     * Runs SQL on the cog's own tables. `request` is JSON: {"sql": "...", "params": [...]} for one
     * statement, or {"batch": [{"sql": ..., "params": [...]}, ...]} for several in one transaction.
     * Parameters are JSON null, booleans, integers, reals, strings, or {"blob": "<base64>"}.
     * `*out` is JSON: {"columns": [...], "rows": [[...]], "changes": n, "last_insert_rowid": n},
     * or {"results": [ ...one per statement... ]} for a batch; blobs come back as {"blob": ...}.
     */
    int32_t (*sql)(void *host_ctx, const uint8_t *request, size_t request_length, cog_buffer *out);
    /** Releases a buffer the host returned in `out`. */
    void (*release_buffer)(void *host_ctx, cog_buffer buffer);

    /*
     * Services, appended to version 1 (check struct_size >= COG_HOST_API_SIZE_SERVICES).
     */

    /**
     * Asks the host for something that may take a while: a Discord action through the host's
     * rate-limited REST client, a job to schedule, the guild's activity. `request` is JSON
     * {"service": "<name>", ...} (see docs/cog-abi.md for the services and their fields).
     * Returns at once; `completion(completion_ctx, ...)` is called exactly once, from any thread,
     * with COG_OK and a JSON result, or an error status and a UTF-8 reason. The cog never sees
     * the bot's token.
     */
    void (*call_service)(void *host_ctx, const uint8_t *request, size_t request_length,
                         cog_completion_fn completion, void *completion_ctx);
} cog_host_api;

/** One request: fixed routing facts plus the raw Discord payload, so the cog decodes lazily. */
typedef struct cog_request {
    uint32_t abi_version;
    uint32_t struct_size;
    /** Unique per host process; pass to `cog_host_api.defer_interaction`. */
    uint64_t request_id;
    /** A `cog_request_kind`. */
    int32_t kind;
    /** The command path or custom_id remainder (UTF-8, not NUL-terminated). */
    const char *route;
    size_t route_length;
    /** The Discord interaction object (the `d` of INTERACTION_CREATE) as JSON. */
    const uint8_t *payload;
    size_t payload_length;

    /*
     * Appended to version 1 (read when struct_size >= COG_REQUEST_SIZE_EVENT). Set for
     * COG_REQUEST_EVENT; 0 for other kinds and for ids the event does not carry.
     */
    /** The gateway shard the event arrived on. */
    uint32_t shard;
    /** `cog_event_flag` bits. */
    uint32_t event_flags;
    /** The guild, channel, user and message the event is about (the author of a message, the member who joined or reacted). */
    uint64_t guild_id;
    uint64_t channel_id;
    uint64_t user_id;
    uint64_t message_id;
} cog_request;

/** The static description of a cog, returned by `cog_entry`. */
typedef struct cog_descriptor {
    uint32_t abi_version;
    uint32_t struct_size;
    /** Cog name, NUL-terminated: 1–32 characters of [a-z0-9_-]. Must match the library's file name. */
    const char *name;
    /** Free-form version shown to admins, NUL-terminated (e.g. "1.4.0"). */
    const char *version;
    /** Version of the cog's database schema; a change needs a restart, not a reload. */
    uint32_t schema_version;
    /** "swift:<toolchain id>" for Swift cogs, "c:<anything>" for C cogs. NUL-terminated. */
    const char *compiler_version;
    /** The command manifest, JSON (see docs/cog-abi.md). Not NUL-terminated. */
    const uint8_t *manifest_json;
    size_t manifest_length;

    /**
     * Create one generation of the cog. `previous_state` holds what the previous generation's
     * `export_state` returned (or is NULL with length 0). On success store an opaque context in
     * `*cog_ctx` and return COG_OK; on failure return an error and, optionally, a message in
     * `*error_message` (released with `free_buffer`).
     */
    int32_t (*init)(const cog_host_api *host, const uint8_t *previous_state, size_t previous_state_length,
                    void **cog_ctx, cog_buffer *error_message);

    /** Start handling `request`; call `completion(completion_ctx, ...)` exactly once. Never block. */
    void (*handle)(void *cog_ctx, const cog_request *request, cog_completion_fn completion, void *completion_ctx);

    /** Serialise state for the next generation into `*state` (may be empty). Optional: NULL if unused. */
    int32_t (*export_state)(void *cog_ctx, cog_buffer *state);

    /** Stop: cancel the cog's own work. The image stays mapped; the context is not used again. */
    void (*shutdown)(void *cog_ctx);

    /** Release a buffer this cog returned. */
    void (*free_buffer)(cog_buffer buffer);

    /*
     * Appended to version 1 (the host reads them when struct_size >= COG_DESCRIPTOR_SIZE_MIGRATIONS).
     * The schema steps up to `schema_version`, ordered by version; NULL and 0 when the cog
     * keeps no tables of its own.
     */
    const cog_migration *migrations;
    size_t migration_count;
} cog_descriptor;

/** The entry symbol's type. */
typedef const cog_descriptor *(*cog_entry_fn)(void);

/** Size of each struct as first published in ABI version 1; fields appended since only grow them. */
#define COG_DESCRIPTOR_SIZE_V1 offsetof(cog_descriptor, migrations)
#define COG_HOST_API_SIZE_V1 offsetof(cog_host_api, kv_get)
#define COG_REQUEST_SIZE_V1 offsetof(cog_request, shard)

/** Sizes that include the appended fields: storage, services, migrations, and events. */
#define COG_HOST_API_SIZE_STORAGE offsetof(cog_host_api, call_service)
#define COG_HOST_API_SIZE_SERVICES sizeof(cog_host_api)
#define COG_DESCRIPTOR_SIZE_MIGRATIONS sizeof(cog_descriptor)
#define COG_REQUEST_SIZE_EVENT sizeof(cog_request)

/**
 * Identifies the C compiler (and so the toolchain) that compiled the including code. Swift cogs
 * and the host both call it through the Swift toolchain's own clang, so equal strings mean the
 * same toolchain.
 */
static inline const char *cog_toolchain_id(void) {
#ifdef __clang_version__
    return "clang " __clang_version__;
#else
    return "unknown";
#endif
}

#ifdef __cplusplus
}
#endif

#endif /* COG_ABI_H */
