/* url.h: what the program reads out of a URL (libcurl's URL parser). */
#ifndef NW_URL_H
#define NW_URL_H

/*
 * The lower-case host of an http(s) URL (smtp(s) when mail) as a new string, or NULL when the
 * URL is not one: what the fetcher counts per host, and what a message says once per host.
 */
char	*url_host(const char *url, int mail);

#endif
