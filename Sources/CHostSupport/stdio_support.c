#include "stdio_support.h"

#include <stdio.h>

void chs_line_buffer_stdout(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
}
