#include "capsules/drivers/owners.h"

#include <stddef.h>

bool owners_include(const char *owners, const char *name)
{
    if (owners == NULL || name == NULL || *name == '\0')
        return false;
    for (const char *at = owners; *at;) {
        const char *n = name;
        while (*at == *n && *n && *at != ' ')
            at++, n++;
        if (*n == '\0' && (*at == ' ' || *at == '\0'))
            return true;
        while (*at && *at != ' ')
            at++;
        while (*at == ' ')
            at++;
    }
    return false;
}
