/* xmlcharset.c: what libxml2 makes of a charset name, for the input stage. */
#include <libxml/encoding.h>

#include "xmlcharset.h"

enum input_charset
xmlcharset_cb(void *arg, const char *name)
{
	xmlCharEncodingHandlerPtr	h;
	xmlCharEncoding			ce;

	(void)arg;
	if ((h = xmlFindCharEncodingHandler(name)) == NULL)
		return INPUT_CS_UNKNOWN;
	xmlCharEncCloseFunc(h);
	ce = xmlParseCharEncoding(name);
	if (ce == XML_CHAR_ENCODING_UTF8)
		return INPUT_CS_UTF8;
	return ce == XML_CHAR_ENCODING_ASCII ? INPUT_CS_ASCII : INPUT_CS_OTHER;
}
