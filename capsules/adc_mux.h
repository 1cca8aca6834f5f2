/*
 * ADC mux: one converter shared by many clients.
 *
 * Single samples. adc_mux_sample() asks for one reading of a channel; each
 * client has at most one request outstanding (VMUX_BUSY otherwise). A
 * request is served by the next reading of its channel that the mux
 * receives: the hardware does not know who owns a reading, so every
 * client waiting on a channel gets the same one, from one conversion
 * (policy: simultaneous requests may share a single reading).
 *
 * Fairness. Clients with outstanding requests are served round robin
 * (kernel/rr.h): each conversion is started for the next waiting client
 * after the one served last, on that client's channel. With N attached
 * clients, and while no run (below) holds the converter, at most N-1
 * conversions start between a request and the start of the conversion
 * that serves it (not counting the one already running when it asked).
 * There is no "lowest index first".
 *
 * Continuous and buffered runs hold the converter for as long as their
 * holder wants, so they need the kernel capability cap_adc_continuous_t
 * (VMUX_RESERVE without it; nothing starts), and only one runs at a time
 * (VMUX_BUSY). A run starts from the kernel loop, ahead of queued single
 * requests, once the conversion in flight (if any) is over. While a run
 * is held:
 *   - a single request on the channel of a continuous run is served from
 *     the stream's next sample, without a conversion of its own;
 *   - any other new single request gets VMUX_BUSY at once (a buffered
 *     run's samples go into its holder's buffer and are never shared);
 *   - requests queued before the run wait, and proceed when it ends.
 * A run ends when its holder stops it, detaches, or departs.
 * Continuous samples reach the holder as sample_done; a conversion error
 * is reported there and the stream goes on. If the run cannot start, the
 * holder gets sample_done (value 0) or buffer_done (count 0) with the
 * driver's error and holds nothing any more (adc_mux_holds_run() false).
 * A buffered run always ends with buffer_done, which returns the buffer.
 *
 * Hardware errors. A conversion that completes with an error status
 * delivers it to every client waiting on that channel. If the driver
 * refuses to start a conversion, the waiting clients get its error. A
 * single conversion that does not complete within the timeout (a virtual
 * alarm; ADC_MUX_DEFAULT_TIMEOUT_US unless set) is stopped with
 * hil_adc_stop(); the clients waiting on its channel get VMUX_FAIL (the
 * generic failure: NOACK means a packet was not acknowledged), and the
 * mux goes on serving the others. Only if stop() answers VMUX_ALREADY,
 * which the HIL defines as "the reading is on its way", does the mux
 * wait for it.
 *
 * A reading above the converter's range (resolution_bits) cannot have
 * come from the converter: it is delivered as VMUX_FAIL with value 0 and
 * counted (errors, out_of_range). After a single conversion or a
 * buffered run completes, the next one starts from the mux's deferred
 * call, not inside the completion, so a completion the driver makes
 * twice finds nothing in flight and is dropped (spurious) instead of
 * serving the next request with a stale reading or ending the next run.
 *
 * Departure. When a client detaches or its id departs (kernel/client.h),
 * its request is dropped without a callback and its run is stopped.
 *
 * Conservation (kernel/tally.h), per client and for all, in samples: a
 * single request accepted, each sample of a stream as it comes, and the
 * length of a buffered run accepted are taken; each sample ends
 * delivered (to its client, status SUCCESS; a buffered run's count),
 * failed (an error status; a buffered run's samples not filled), or
 * departed (the request or the buffer of a client that left).
 *
 * Callbacks come from the kernel loop, never from inside a request.
 *
 * Wiring, in a board:
 *
 *     static struct client_entry *adc_clients[8];
 *     static uint32_t adc_rr_bits[RR_WORDS(8)];
 *     static struct virtual_alarm adc_watchdog;
 *     static struct adc_mux adc_mux;
 *     virtual_alarm_init(&adc_watchdog, &alarm_mux);
 *     adc_mux_init(&adc_mux, &sim_adc.hil, &adc_watchdog.hil, adc_clients, adc_rr_bits, 8);
 *     adc_mux_attach(&adc_mux, &thermometer, thermometer_id, &thermometer_ops);
 *     adc_mux_sample(&thermometer, 3);
 *     adc_mux_start_continuous(&scope, board_cap_adc_continuous, 5, 1000);
 */
#ifndef VMUX_CAPSULES_ADC_MUX_H
#define VMUX_CAPSULES_ADC_MUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hil/adc.h"
#include "hil/alarm.h"
#include "kernel/capability.h"
#include "kernel/client.h"
#include "kernel/client_table.h"
#include "kernel/deferred.h"
#include "kernel/rr.h"
#include "kernel/tally.h"

#define ADC_MUX_DEFAULT_TIMEOUT_US 10000u

struct adc_mux_client;

struct adc_mux_client_ops {
    /* A single sample, or one sample of the client's continuous run. */
    void (*sample_done)(struct adc_mux_client *c, unsigned channel, uint16_t value,
                        vmux_err_t status);
    /* The end of the client's buffered run; may be NULL if it never runs one. */
    void (*buffer_done)(struct adc_mux_client *c, unsigned channel, uint16_t *buf,
                        size_t count, vmux_err_t status);
};

struct adc_mux_client {
    struct client_entry entry;     /* identity and slot in the mux's table */
    struct adc_mux *mux;
    const struct adc_mux_client_ops *ops;
    bool waiting;           /* a single sample is requested */
    bool in_delivery;       /* gets the reading being delivered */
    unsigned channel;       /* of the request */
    struct tally samples;   /* see Conservation */
};

enum adc_mux_run_kind { ADC_RUN_NONE, ADC_RUN_CONTINUOUS, ADC_RUN_BUFFER };

/* The one continuous or buffered run, from its request to its end. */
struct adc_mux_run {
    enum adc_mux_run_kind kind;
    struct adc_mux_client *holder;  /* NULL once it left a buffered run */
    unsigned channel;
    uint32_t hz;
    uint16_t *buf;
    size_t len;
    bool cancelled;                 /* stopped before it started */
};

/* What the converter is doing for the mux. */
enum adc_mux_hw { ADC_HW_IDLE, ADC_HW_SINGLE, ADC_HW_RUN };

struct adc_mux_counters {
    struct tally samples;           /* all clients */
    uint32_t conversions;           /* single conversions started */
    uint32_t runs;                  /* continuous or buffered runs started */
    uint32_t shared;                /* deliveries beyond the first per reading */
    uint32_t errors;                /* failed conversions, runs and starts */
    uint32_t timeouts;              /* conversions given up as hung */
    uint32_t refused_no_capability;
    uint32_t out_of_range;          /* readings beyond the resolution, refused */
    uint32_t spurious;              /* readings with no conversion in flight */
};

struct adc_mux {
    struct hil_adc *adc;
    struct hil_adc_client hw_client;
    struct hil_alarm *watchdog;
    struct hil_alarm_client watchdog_client;
    uint32_t timeout_ticks;
    unsigned channel_count;
    uint32_t max_value;             /* the largest reading the converter can make */
    struct client_table clients;
    struct rr rr;
    enum adc_mux_hw hw;
    unsigned hw_channel;            /* of the single conversion in flight */
    struct adc_mux_run run;
    struct deferred_call work;
    struct client_observer departures;
    struct adc_mux_counters counters;
};

/* The watchdog is an alarm the mux alone uses, typically a virtual alarm.
 * INVALID for missing storage; NOMEM when no deferred call is left. */
vmux_err_t adc_mux_init(struct adc_mux *mux, struct hil_adc *adc, struct hil_alarm *watchdog,
                        struct client_entry **client_storage, uint32_t *rr_words,
                        unsigned client_capacity);

/* How long a single conversion may take before it is given up (from the
 * next conversion on). */
void adc_mux_set_timeout_us(struct adc_mux *mux, uint32_t timeout_us);

/* NOMEM when the client table is full; ALREADY when attached. */
vmux_err_t adc_mux_attach(struct adc_mux *mux, struct adc_mux_client *c, client_id_t id,
                          const struct adc_mux_client_ops *ops);
void adc_mux_detach(struct adc_mux_client *c);

/* OFF when not attached; INVALID for a channel the ADC lacks; BUSY while
 * the client has a request or a run, or another client's run blocks it. */
vmux_err_t adc_mux_sample(struct adc_mux_client *c, unsigned channel);

/* RESERVE without a valid capability; INVALID for a bad channel or hz 0
 * (the driver may refuse other rates later, through sample_done). */
vmux_err_t adc_mux_start_continuous(struct adc_mux_client *c, const cap_adc_continuous_t *cap,
                                    unsigned channel, uint32_t hz);
/* Ends the client's stream silently. ALREADY when it holds none. */
vmux_err_t adc_mux_stop_continuous(struct adc_mux_client *c);

/* As start_continuous, plus INVALID for a NULL buffer and SIZE for len 0.
 * buf belongs to the mux until buffer_done hands it back. */
vmux_err_t adc_mux_sample_buffer(struct adc_mux_client *c, const cap_adc_continuous_t *cap,
                                 unsigned channel, uint32_t hz, uint16_t *buf, size_t len);
/* buffer_done(VMUX_CANCEL, count filled) follows. ALREADY when the client
 * holds no buffered run, or when the run has just finished and its
 * buffer_done is on its way. */
vmux_err_t adc_mux_stop_buffer(struct adc_mux_client *c);

/* Does c hold a continuous or buffered run (started or about to)? */
bool adc_mux_holds_run(const struct adc_mux_client *c);

#endif
