/*
 * ping — a cog written in plain C against cog_abi.h only.
 *
 * /ping answers "Pong!" with how many pings this cog has answered; the count is handed to the
 * next generation on reload through export_state, so it keeps counting across /reload ping.
 *
 * It also listens to one gateway event, MESSAGE_REACTION_ADD: a 🏓 reaction on a message gets
 * the bot's own 🏓 back, through call_service with the ids the host found in the event.
 */
#define _GNU_SOURCE /* memmem */
#include "cog_abi.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char manifest[] =
    "{\"commands\":[{\"type\":1,\"name\":\"ping\",\"description\":\"Check that the bot answers\","
    "\"options\":[]}],\"cooldowns\":[],\"events\":[\"MESSAGE_REACTION_ADD\"],"
    "\"capabilities\":[\"messages.send\"]}";

/* One generation's state. */
typedef struct ping_cog {
    const cog_host_api *host;
    atomic_ullong answered;
} ping_cog;

static void host_log(const cog_host_api *host, cog_log_level level, const char *message) {
    if (host->log != NULL) host->log(host->host_ctx, (int32_t)level, message, strlen(message));
}

static int32_t ping_init(const cog_host_api *host, const uint8_t *previous_state, size_t previous_state_length,
                         void **cog_ctx, cog_buffer *error_message) {
    (void)error_message;
    if (host == NULL || host->struct_size < COG_HOST_API_SIZE_V1) return COG_ERR_UNSUPPORTED;
    ping_cog *cog = calloc(1, sizeof(ping_cog));
    if (cog == NULL) return COG_ERR_FAILED;
    cog->host = host;
    unsigned long long restored = 0;
    if (previous_state != NULL && previous_state_length > 0 && previous_state_length < 32) {
        char text[32];
        memcpy(text, previous_state, previous_state_length);
        text[previous_state_length] = '\0';
        restored = strtoull(text, NULL, 10);
    }
    atomic_store(&cog->answered, restored);
    char message[96];
    snprintf(message, sizeof(message), "ping cog ready, %llu pings answered so far", restored);
    host_log(host, COG_LOG_INFO, message);
    *cog_ctx = cog;
    return COG_OK;
}

static const char done[] = "{\"kind\":\"done\"}";

/* The reaction is fire-and-forget for the cog; the host logs a refused call against it. */
static void reaction_sent(void *completion_ctx, int32_t status, const uint8_t *bytes, size_t length) {
    (void)completion_ctx, (void)status, (void)bytes, (void)length;
}

/* A 🏓 (written raw or escaped in the payload) on any message: react with 🏓 too. */
static void on_reaction(ping_cog *cog, const cog_request *request) {
    static const char raw[] = "\"name\":\"\xf0\x9f\x8f\x93\"";
    static const char escaped[] = "\"name\":\"\\ud83c\\udfd3\"";
    int paddle = memmem(request->payload, request->payload_length, raw, sizeof(raw) - 1) != NULL
        || memmem(request->payload, request->payload_length, escaped, sizeof(escaped) - 1) != NULL;
    if (!paddle || request->struct_size < COG_REQUEST_SIZE_EVENT || request->message_id == 0
        || cog->host->struct_size < COG_HOST_API_SIZE_SERVICES) return;
    char service[192];
    int length = snprintf(service, sizeof(service),
                          "{\"service\":\"discord.add_reaction\",\"channel_id\":\"%llu\",\"message_id\":\"%llu\","
                          "\"emoji\":\"\\ud83c\\udfd3\"}",
                          (unsigned long long)request->channel_id, (unsigned long long)request->message_id);
    cog->host->call_service(cog->host->host_ctx, (const uint8_t *)service, (size_t)length, reaction_sent, NULL);
}

static void ping_handle(void *cog_ctx, const cog_request *request, cog_completion_fn completion,
                        void *completion_ctx) {
    ping_cog *cog = cog_ctx;
    if (request->kind == COG_REQUEST_EVENT) {
        on_reaction(cog, request);
        completion(completion_ctx, COG_OK, (const uint8_t *)done, sizeof(done) - 1);
        return;
    }
    static const char route[] = "ping";
    if (request->kind != COG_REQUEST_COMMAND || request->route_length != sizeof(route) - 1
        || memcmp(request->route, route, sizeof(route) - 1) != 0) {
        static const char unknown[] = "ping cog: unknown route";
        completion(completion_ctx, COG_ERR_BAD_REQUEST, (const uint8_t *)unknown, sizeof(unknown) - 1);
        return;
    }
    unsigned long long count = atomic_fetch_add(&cog->answered, 1) + 1;
    char response[160];
    int length = snprintf(response, sizeof(response),
                          "{\"kind\":\"message\",\"data\":{\"content\":\"Pong! \\ud83c\\udfd3 "
                          "(answered by a cog written in C, ping #%llu)\"}}", count);
    completion(completion_ctx, COG_OK, (const uint8_t *)response, (size_t)length);
}

static int32_t ping_export_state(void *cog_ctx, cog_buffer *state) {
    ping_cog *cog = cog_ctx;
    char text[32];
    int length = snprintf(text, sizeof(text), "%llu", (unsigned long long)atomic_load(&cog->answered));
    state->data = malloc((size_t)length);
    if (state->data == NULL) return COG_ERR_FAILED;
    memcpy(state->data, text, (size_t)length);
    state->length = (size_t)length;
    return COG_OK;
}

static void ping_shutdown(void *cog_ctx) {
    free(cog_ctx);
}

static void ping_free_buffer(cog_buffer buffer) {
    free(buffer.data);
}

static const cog_descriptor descriptor = {
    .abi_version = COG_ABI_VERSION,
    .struct_size = sizeof(cog_descriptor),
    .name = "ping",
    .version = "1.0.0",
    .schema_version = 1,
    .compiler_version = COG_COMPILER_C_PREFIX "cc",
    .manifest_json = (const uint8_t *)manifest,
    .manifest_length = sizeof(manifest) - 1,
    .init = ping_init,
    .handle = ping_handle,
    .export_state = ping_export_state,
    .shutdown = ping_shutdown,
    .free_buffer = ping_free_buffer,
};

__attribute__((visibility("default"))) const cog_descriptor *cog_entry(void) {
    return &descriptor;
}
