/* A Swift cog built with another toolchain: the host must refuse it (no stable Swift ABI on Linux). */
#define BROKEN_COG_COMPILER COG_COMPILER_SWIFT_PREFIX "clang 0.0.0 (some other toolchain)"
#include "broken_cog.h"
