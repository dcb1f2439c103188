/*
 * A deliberately broken cog named "probe", for the host's refusal tests. Each including file
 * defines the one thing that is wrong before including this header.
 */
#include "cog_abi.h"

#include <stdlib.h>
#include <string.h>

#ifndef BROKEN_COG_ABI_VERSION
#define BROKEN_COG_ABI_VERSION COG_ABI_VERSION
#endif
#ifndef BROKEN_COG_COMPILER
#define BROKEN_COG_COMPILER COG_COMPILER_C_PREFIX "cc"
#endif
#ifndef BROKEN_COG_MANIFEST
#define BROKEN_COG_MANIFEST "{\"commands\":[{\"type\":1,\"name\":\"probe\",\"description\":\"Broken probe\",\"options\":[]}]}"
#endif

static const char broken_manifest[] = BROKEN_COG_MANIFEST;

static int32_t broken_init(const cog_host_api *host, const uint8_t *state, size_t length, void **ctx, cog_buffer *error) {
    (void)host; (void)state; (void)length; (void)error;
    *ctx = NULL;
    return COG_OK;
}

static void broken_handle(void *ctx, const cog_request *request, cog_completion_fn completion, void *completion_ctx) {
    (void)ctx; (void)request;
    static const char answer[] = "{\"kind\":\"message\",\"data\":{\"content\":\"broken probe answered\"}}";
    completion(completion_ctx, COG_OK, (const uint8_t *)answer, sizeof(answer) - 1);
}

static void broken_shutdown(void *ctx) { (void)ctx; }

static void broken_free(cog_buffer buffer) { free(buffer.data); }

static const cog_descriptor broken_descriptor = {
    .abi_version = BROKEN_COG_ABI_VERSION,
    .struct_size = sizeof(cog_descriptor),
    .name = "probe",
    .version = "0.0.0-broken",
    .schema_version = 1,
    .compiler_version = BROKEN_COG_COMPILER,
    .manifest_json = (const uint8_t *)broken_manifest,
    .manifest_length = sizeof(broken_manifest) - 1,
    .init = broken_init,
    .handle = broken_handle,
    .export_state = NULL,
    .shutdown = broken_shutdown,
    .free_buffer = broken_free,
};

__attribute__((visibility("default"))) const cog_descriptor *cog_entry(void) { return &broken_descriptor; }
