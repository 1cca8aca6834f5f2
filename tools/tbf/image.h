/*
 * Apps images and the TBF objects that go in them, for the host tools
 * (tools/tbf image, tools/vmuxload). An image is what the lm3s6965evb's
 * loader walks from _apps_flash_start (boards/lm3s6965evb/apps.h): TBF
 * objects back to back, then a word of zeros (a version 0 header: the
 * end of the list).
 */
#ifndef VMUX_TOOLS_TBF_IMAGE_H
#define VMUX_TOOLS_TBF_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/tbf.h"

#define TBF_IMAGE_OBJECTS_MAX 32u

struct tbf_object {
    uint8_t *data;          /* size bytes (malloc'd): the object, total_size bytes */
    size_t size;
    struct tbf_header h;    /* its parse */
    enum tbf_verdict verdict;
    const char *source;     /* the file it came from */
};

/*
 * One object from a file: a TBF as tools/tbf pack or elf2tab writes it
 * (elf2tab may write a few padding bytes after total_size, outside the
 * object: dropped), or a TAB, elf2tab's tar archive of one TBF per
 * architecture (the Cortex-M3 one: a member named cortex-m3*.tbf, or the
 * only .tbf). Its size must be trustworthy (kernel/tbf.h: any verdict
 * the walk can skip; the caller looks at verdict) and a power of two, as
 * the MPU needs.
 */
void tbf_object_load(struct tbf_object *o, const char *path);

/*
 * The objects in an image file, in flash order, into objs (at most max):
 * every object the loader would see, padding objects left out (they only
 * align the next one). A file that does not exist is an empty image.
 * Returns how many.
 */
unsigned tbf_image_load(const char *path, struct tbf_object *objs, unsigned max);

/*
 * The image of objs[0, n): largest first (so that each object starts at
 * a multiple of its size, every size being a power of two; equal sizes
 * keep their order), then the end word. Sorts objs into that order;
 * returns the image (malloc'd) and its length in *len.
 */
uint8_t *tbf_image_build(struct tbf_object *objs, unsigned n, size_t *len);

/*
 * What tbf list and info print of one object (at: its offset in the
 * image; v and h: its parse): a line with its verdict, name, sizes and
 * entry, then, for an object whose TLVs parsed, every TLV of its header
 * and every footer.
 */
void tbf_object_print(const uint8_t *obj, size_t at, const struct tbf_header *h,
                      enum tbf_verdict v);

#endif
