// The ABI is header-only; this file gives SwiftPM a compilation unit for the target.
#include "cog_abi.h"
