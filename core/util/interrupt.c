#include "util/interrupt.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
    if (got_signal) {
        /* Second request: stop waiting for a graceful exit. */
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    got_signal = sig;
}

void interrupt_install(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: blocking calls return EINTR so waits can end early. */
    sa.sa_flags = 0;
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        sigaction(sigs[i], &sa, NULL);
}

int interrupted(void)
{
    return got_signal;
}
