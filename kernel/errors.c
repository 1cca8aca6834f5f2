#include "kernel/errors.h"

const char *vmux_string_at(const char *list, unsigned n)
{
    while (n--)
        while (*list++)
            ;
    return list;
}

/* In code order; "?" after the last. */
static const char err_names[] = "SUCCESS\0FAIL\0BUSY\0ALREADY\0OFF\0RESERVE\0INVALID\0SIZE\0"
                                "CANCEL\0NOMEM\0NOSUPPORT\0NODEVICE\0UNINSTALLED\0NOACK\0?";

const char *vmux_err_name(int err)
{
    return vmux_string_at(err_names, err < 0 || err >= VMUX_ERR_COUNT ? VMUX_ERR_COUNT
                                                                       : (unsigned)err);
}
