/* A cog whose command manifest breaks Discord's rules: an uppercase name. */
#define BROKEN_COG_MANIFEST "{\"commands\":[{\"type\":1,\"name\":\"Probe\",\"description\":\"Uppercase is not allowed\",\"options\":[]}]}"
#include "broken_cog.h"
