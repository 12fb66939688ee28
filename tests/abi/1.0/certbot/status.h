/* Status codes shared by the core and plugins: 0 is success, errors are
 * negative.  Append only; never renumber. */
#ifndef CERTBOT_STATUS_H
#define CERTBOT_STATUS_H

enum cb_status {
    CB_OK = 0,
    CB_ERR_NOMEM = -1,           /* out of memory */
    CB_ERR_INVAL = -2,           /* bad argument or input */
    CB_ERR_IO = -3,              /* file system error */
    CB_ERR_NET = -4,             /* network / HTTP transport error */
    CB_ERR_ACME = -5,            /* the CA returned an error */
    CB_ERR_CRYPTO = -6,          /* key, signature or certificate error */
    CB_ERR_PLUGIN = -7,          /* generic plugin failure (PluginError) */
    CB_ERR_MISCONFIGURED = -8,   /* MisconfigurationError */
    CB_ERR_NO_INSTALLATION = -9, /* NoInstallationError */
    CB_ERR_NONINTERACTIVE = -10, /* a prompt needed an answer under -n */
    CB_ERR_NOT_FOUND = -11,
    CB_ERR_EXISTS = -12,
    CB_ERR_TIMEOUT = -13,
    CB_ERR_USAGE = -14,          /* command-line usage error: exit status 2 */
    CB_ERR_LOCKED = -15,         /* another instance holds a lock */
    CB_ERR_NOT_SUPPORTED = -16,
    CB_ERR_CANCELLED = -17,      /* the user cancelled a prompt */
    CB_ERR_CONFIG = -18,         /* ConfigurationError */
};

static inline const char *cb_status_str(int status)
{
    switch (status) {
    case CB_OK: return "success";
    case CB_ERR_NOMEM: return "out of memory";
    case CB_ERR_INVAL: return "invalid argument";
    case CB_ERR_IO: return "input/output error";
    case CB_ERR_NET: return "network error";
    case CB_ERR_ACME: return "ACME server error";
    case CB_ERR_CRYPTO: return "cryptographic error";
    case CB_ERR_PLUGIN: return "plugin error";
    case CB_ERR_MISCONFIGURED: return "misconfigured";
    case CB_ERR_NO_INSTALLATION: return "not installed";
    case CB_ERR_NONINTERACTIVE: return "needs interaction";
    case CB_ERR_NOT_FOUND: return "not found";
    case CB_ERR_EXISTS: return "already exists";
    case CB_ERR_TIMEOUT: return "timed out";
    case CB_ERR_USAGE: return "usage error";
    case CB_ERR_LOCKED: return "locked";
    case CB_ERR_NOT_SUPPORTED: return "not supported";
    case CB_ERR_CANCELLED: return "cancelled";
    case CB_ERR_CONFIG: return "configuration error";
    default: return "unknown error";
    }
}

#endif
