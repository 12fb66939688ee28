/* SIGINT/SIGTERM/SIGHUP as a request to stop: the handler only records
 * the signal; long waits (ACME polling sleeps, HTTP transfers) check it
 * and unwind through their normal error paths, so plugin cleanup, lock
 * release and file-system rollback all run.  A second signal
 * ends the process at once. */
#ifndef CB_UTIL_INTERRUPT_H
#define CB_UTIL_INTERRUPT_H

void interrupt_install(void);
/* The signal received, or 0. */
int interrupted(void);

#define INTERRUPT_MESSAGE "Exiting due to user request."

#endif
