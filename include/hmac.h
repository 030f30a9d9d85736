/*
 * hmac.h: HMAC-SHA256 for the webhook signature, through GLib's g_compute_hmac_for_data. No
 * crypto library is added for one hash: GLib is on every machine libnotify is, and it is
 * loaded with dlopen on the first signature (as notify.c loads libnotify), so a daemon that
 * signs nothing never maps it.
 */
#ifndef NW_HMAC_H
#define NW_HMAC_H

#include <stddef.h>

/* hmac.c */
/*
 * The HMAC-SHA256 of data under key as 64 lower-case hex digits and a NUL in out. 0, or -1
 * (logged once) when GLib cannot be loaded.
 */
int	hmac_sha256_hex(const void *key, size_t keylen, const void *data, size_t len,
	    char out[65]);

#endif
