/* url.c: what the program reads out of a URL, with libcurl's URL parser (a URL as curl will
 * fetch it, IPv6 literals and user info included). */
#include <ctype.h>
#include <strings.h>

#include <curl/curl.h>

#include "url.h"
#include "util.h"

char *
url_host(const char *url, int mail)
{
	CURLU	*u;
	char	*scheme = NULL, *host = NULL, *out = NULL, *p;

	if ((u = curl_url()) == NULL)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		goto done;
	if (strcasecmp(scheme, mail ? "smtp" : "http") != 0 &&
	    strcasecmp(scheme, mail ? "smtps" : "https") != 0)
		goto done;
	out = xstrdup(host);
	for (p = out; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
done:
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return out;
}
