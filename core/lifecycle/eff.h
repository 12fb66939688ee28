/* EFF mailing-list subscription (Certbot's eff.py): an address the user
 * agreed to share waits in the account's meta.json (register_to_eff)
 * until a command has succeeded, is sent once, then cleared.
 *
 * Nothing is returned for the caller to free. */
#ifndef CB_LIFECYCLE_EFF_H
#define CB_LIFECYCLE_EFF_H

#include "cli/config.h"
#include "storage/account_store.h"

/* Where the address goes; the environment variable CERTBOT_EFF_SUBSCRIBE_URL
 * replaces it (tests point it at a local server). */
#define EFF_SUBSCRIBE_URL "https://supporters.eff.org/subscribe/certbot"

/* Certbot's handle_subscription: nothing on a dry run or without a
 * pending address; otherwise POST it, tell the user how that went
 * (failures only notify, never fail the command) and clear the pending
 * address in meta.json. */
void eff_handle_subscription(const struct cb_config *cfg,
                             struct account *acct);

#endif
