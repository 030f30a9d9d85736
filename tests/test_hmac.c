/* test_hmac.c: hmac.c against the HMAC-SHA256 test vectors of RFC 4231. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hmac.h"

static void
check(const void *key, size_t keylen, const void *data, size_t len, const char *want)
{
	char	out[65];

	assert_int_equal(hmac_sha256_hex(key, keylen, data, len, out), 0);
	assert_string_equal(out, want);
}

/* Test case 1: a 20-byte key of 0x0b, "Hi There". */
static void
hmac__rfc4231_case1__matches(void **state)
{
	unsigned char	key[20];

	(void)state;
	memset(key, 0x0b, sizeof(key));
	check(key, sizeof(key), "Hi There", 8,
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

/* Test case 2: a key shorter than the block, "Jefe". */
static void
hmac__rfc4231_case2__matches(void **state)
{
	(void)state;
	check("Jefe", 4, "what do ya want for nothing?", 28,
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

/* Test case 3: 0xaa key, 50 bytes of 0xdd. */
static void
hmac__rfc4231_case3__matches(void **state)
{
	unsigned char	key[20], data[50];

	(void)state;
	memset(key, 0xaa, sizeof(key));
	memset(data, 0xdd, sizeof(data));
	check(key, sizeof(key), data, sizeof(data),
	    "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
}

/* Test case 6: a 131-byte key, longer than the block, is hashed first. */
static void
hmac__rfc4231_case6_long_key__matches(void **state)
{
	unsigned char	key[131];
	const char	*data = "Test Using Larger Than Block-Size Key - Hash Key First";

	(void)state;
	memset(key, 0xaa, sizeof(key));
	check(key, sizeof(key), data, strlen(data),
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hmac__rfc4231_case1__matches),
		cmocka_unit_test(hmac__rfc4231_case2__matches),
		cmocka_unit_test(hmac__rfc4231_case3__matches),
		cmocka_unit_test(hmac__rfc4231_case6_long_key__matches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
