#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int err_vset(struct cb_err *err, int code, int replace,
                    const char *fmt, va_list ap)
{
    if (!err)
        return code;
    if (!replace && err->msg[0] != '\0')
        return code;
    err->code = code;
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    return code;
}

int cb_err_set(struct cb_err *err, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    err_vset(err, code, 0, fmt, ap);
    va_end(ap);
    return code;
}

int cb_err_replace(struct cb_err *err, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    err_vset(err, code, 1, fmt, ap);
    va_end(ap);
    return code;
}

int cb_err_plain(struct cb_err *err, int code, const char *fmt, ...)
{
    va_list ap;

    if (err && err->msg[0] != '\0')
        return code;
    va_start(ap, fmt);
    err_vset(err, code, 0, fmt, ap);
    va_end(ap);
    if (err)
        err->plain = 1;
    return code;
}

int cb_err_prefix(struct cb_err *err, const char *fmt, ...)
{
    char buf[2 * CB_ERR_MSG_MAX];
    size_t plen, olen;
    va_list ap;

    if (!err)
        return CB_ERR_INVAL;
    va_start(ap, fmt);
    vsnprintf(buf, CB_ERR_MSG_MAX, fmt, ap);
    va_end(ap);
    plen = strlen(buf);
    olen = strlen(err->msg);
    memcpy(buf + plen, err->msg, olen + 1);
    if (plen + olen >= CB_ERR_MSG_MAX)
        buf[CB_ERR_MSG_MAX - 1] = '\0';
    memcpy(err->msg, buf, strlen(buf) + 1);
    return err->code;
}

void cb_err_reset(struct cb_err *err)
{
    if (!err)
        return;
    err->code = CB_OK;
    err->plain = 0;
    err->msg[0] = '\0';
}

const char *cb_err_msg(const struct cb_err *err)
{
    if (!err)
        return "";
    if (err->msg[0] != '\0')
        return err->msg;
    return cb_status_str(err->code);
}
