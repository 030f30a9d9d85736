/*
 * mqtt.h: publishing to an MQTT broker (mqtt:// or mqtts://) with libmosquitto, on a thread of
 * its own per client: mosquitto_connect resolves and connects synchronously, and its network
 * loop blocks in select, so none of it may run on the libuv loop. The thread owns the mosquitto
 * handle; the loop hands it messages through a bounded queue and hears back through uv_async.
 *
 * MQTT v5, QoS 1: a message is done when the broker's PUBACK arrives (reason code below 0x80),
 * and each carries its key as the user property "idempotency-key", so a subscriber can drop a
 * repeat. The connection is made when the first message waits and kept; when it is lost, or a
 * PUBACK takes longer than the timeout, every message in flight fails (the caller retries it:
 * at least once) and the next message connects afresh with a new handle, so libmosquitto never
 * resends one behind the caller's back.
 */
#ifndef NW_MQTT_H
#define NW_MQTT_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

/* Once per message handed to mqtt_publish, on the loop thread: ok 1 (PUBACK) or 0 with error
 * (one sentence, valid during the call). Never after mqtt_client_close. */
typedef void (*mqtt_done_cb)(void *arg, uint64_t cookie, int ok, const char *error);

struct mqtt_client;

/* mqtt.c */
/*
 * A client of the broker at url (mqtt://HOST[:PORT] or mqtts://; 1883 and 8883 by default),
 * logging in with user and password when user is set, waiting timeout seconds at most for a
 * connection or a PUBACK. mqtts:// trusts the CAs of the PEM file ca_file, or when it is NULL
 * those of the system (/etc/ssl/certs). NULL on error (logged: a bad URL, no thread).
 */
struct mqtt_client *mqtt_client_new(uv_loop_t *, const char *url, const char *user,
		    const char *password, const char *ca_file, const char *client_id,
		    unsigned timeout,
		    mqtt_done_cb, void *arg);
/* Queues a QoS 1 message (copied). 0, or -1 when MQTT_QUEUE_MAX wait already. */
int		 mqtt_publish(struct mqtt_client *, const char *topic, const void *payload,
		    size_t len, const char *key, uint64_t cookie);
#define MQTT_QUEUE_MAX	256
/* Stops the thread (without waiting for a blocked connect: the thread frees what it shares
 * when it ends) and frees the client once its handle is closed; no done callback after this.
 * The loop must run to finish that. */
void		 mqtt_client_close(struct mqtt_client *);

#endif
