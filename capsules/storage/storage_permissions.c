#include "capsules/storage/storage_permissions.h"

#include <string.h>

static bool listed(const uint32_t *ids, unsigned count, uint32_t id)
{
    for (unsigned i = 0; i < count && i < STORAGE_IDS_MAX; i++)
        if (ids[i] == id)
            return true;
    return false;
}

bool storage_may_read(const struct storage_permissions *p, uint32_t id)
{
    return id == 0 ? p->kernel : listed(p->read_ids, p->read_count, id);
}

bool storage_may_modify(const struct storage_permissions *p, uint32_t id)
{
    return id == 0 ? p->kernel : listed(p->modify_ids, p->modify_count, id);
}

bool storage_write_id(const struct storage_permissions *p, uint32_t *id)
{
    *id = p->write_id;
    return p->kernel || p->write_id != 0;
}

vmux_err_t storage_permissions_kernel(struct storage_permissions *p,
                                      const cap_storage_kernel_t *cap, uint32_t write_id)
{
    if (!capability_valid(cap))
        return VMUX_RESERVE;
    memset(p, 0, sizeof *p);
    p->kernel = true;
    p->write_id = write_id;
    return VMUX_SUCCESS;
}

bool storage_permissions_from_tbf(struct storage_permissions *p, const uint8_t *obj,
                                  const struct tbf_header *h)
{
    memset(p, 0, sizeof *p);
    if (!h->has_storage)
        return false;
    p->write_id = h->storage_write_id;
    p->read_count = h->storage_read_count;
    p->modify_count = h->storage_modify_count;
    for (unsigned i = 0; i < p->read_count; i++)
        p->read_ids[i] = tbf_storage_id(obj, h, false, i);
    for (unsigned i = 0; i < p->modify_count; i++)
        p->modify_ids[i] = tbf_storage_id(obj, h, true, i);
    return true;
}
