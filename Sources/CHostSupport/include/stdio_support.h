/*
 * stdio_support.h — standard stream settings Swift cannot reach under strict concurrency
 * (`stdout` is a C global).
 */
#ifndef COGWHEEL_STDIO_SUPPORT_H
#define COGWHEEL_STDIO_SUPPORT_H

/** Makes standard output line-buffered, so transcripts appear as they happen in pipes. */
void chs_line_buffer_stdout(void);

#endif
