#include "kernel/errors.h"

static const char *const err_names[VMUX_ERR_COUNT] = {
    "SUCCESS", "FAIL", "BUSY", "ALREADY", "OFF", "RESERVE", "INVALID",
    "SIZE", "CANCEL", "NOMEM", "NOSUPPORT", "NODEVICE", "UNINSTALLED",
    "NOACK",
};

const char *vmux_err_name(int err)
{
    if (err < 0 || err >= VMUX_ERR_COUNT)
        return "?";
    return err_names[err];
}
