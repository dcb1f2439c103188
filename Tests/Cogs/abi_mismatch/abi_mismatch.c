/* A cog built for a future ABI version: the host must refuse it before reading further. */
#define BROKEN_COG_ABI_VERSION 99u
#include "broken_cog.h"
