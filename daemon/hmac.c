/* hmac.c: HMAC-SHA256 through GLib, loaded on first use. */
#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

#include <glib.h>

#include "hmac.h"
#include "log.h"

/* The library loaded on first use (Debian 12's libglib2.0-0). */
#define LIBGLIB	"libglib-2.0.so.0"

static gchar	*(*p_hmac)(GChecksumType, const guchar *, gsize, const guchar *, gsize);
static void	 (*p_free)(gpointer);
static int	 loaded;	/* 1 loaded, -1 failed (logged once) */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void
load(void)
{
	void	*dl;

	if ((dl = dlopen(LIBGLIB, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		log_warnx("cannot load %s for webhook signatures: %s", LIBGLIB, dlerror());
		loaded = -1;
		return;
	}
	/* dlsym(3)'s own idiom: POSIX lets the void * be stored into a function pointer. */
	*(void **)&p_hmac = dlsym(dl, "g_compute_hmac_for_data");
	*(void **)&p_free = dlsym(dl, "g_free");
	if (p_hmac == NULL || p_free == NULL) {
		log_warnx("%s has no g_compute_hmac_for_data", LIBGLIB);
		loaded = -1;
		return;
	}
	loaded = 1;	/* the library stays loaded for the life of the process */
}

int
hmac_sha256_hex(const void *key, size_t keylen, const void *data, size_t len, char out[65])
{
	gchar	*hex;

	pthread_once(&once, load);
	if (loaded != 1)
		return -1;
	if ((hex = p_hmac(G_CHECKSUM_SHA256, key, keylen, data, len)) == NULL ||
	    strlen(hex) != 64) {
		log_warnx("g_compute_hmac_for_data failed");
		p_free(hex);
		return -1;
	}
	memcpy(out, hex, 65);
	p_free(hex);
	return 0;
}
