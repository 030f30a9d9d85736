/* test_tmsg.c: the messages the push targets send, for one alert and for digests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tmsg.h"

static char *rules[] = { "syria", "lebanon" };

static struct alert
mk(int64_t id, int rule, int sev, const char *title)
{
	struct alert	a = { 0 };

	a.id = id;
	a.time = 1796515200;
	a.rule = rules[rule];
	a.severity = sev;
	a.feed = "wire";
	a.title = (char *)title;
	a.link = "https://example.org/a?b=1&c=<2>";
	return a;
}

static void
key__one_and_digest__stable_ids(void **state)
{
	struct alert	a[2] = { mk(7, 0, SEV_NORMAL, "A"), mk(9, 1, SEV_LOW, "B") };
	char		*k;

	(void)state;
	k = tmsg_key(a, 1, 0);
	assert_string_equal(k, "newswatch-7");
	free(k);
	k = tmsg_key(a, 2, 1);
	assert_string_equal(k, "newswatch-digest-7-9-2");
	free(k);
}

static void
json__one_alert__record_with_id_first(void **state)
{
	struct alert	a = mk(42, 0, SEV_CRITICAL, "Strike \"near\" Homs");
	struct buf	b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(tmsg_json(&a, 1, 0, &b), 0);
	assert_true(strncmp(b.data, "{\"alert_id\":42,\"key\":\"newswatch-42\",", 36) == 0);
	assert_non_null(strstr(b.data, "\"title\":\"Strike \\\"near\\\" Homs\""));
	assert_non_null(strstr(b.data, "\"severity\":\"critical\""));
	assert_int_equal(b.data[b.len - 1], '}');
	assert_null(strchr(b.data, '\n'));
	buf_free(&b);
}

static void
json__digest__grouped_by_rule_with_counts(void **state)
{
	struct alert	a[3] = { mk(1, 0, SEV_NORMAL, "A1"), mk(2, 1, SEV_NORMAL, "B1"),
			    mk(3, 0, SEV_LOW, "A2") };
	struct buf	b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(tmsg_json(a, 3, 1, &b), 0);
	assert_non_null(strstr(b.data, "\"digest\":true,\"count\":3,\"rules\":[{\"rule\":\"syria\","
	    "\"count\":2,\"titles\":[\"A1\",\"A2\"]},{\"rule\":\"lebanon\",\"count\":1,"
	    "\"titles\":[\"B1\"]}]"));
	assert_non_null(strstr(b.data, "\"alerts\":[{\"alert_id\":1,"));
	buf_free(&b);
}

static void
text__digest_over_title_limit__and_more(void **state)
{
	struct alert	a[TMSG_DIGEST_TITLES + 5];
	char		*title, *body, *link;
	size_t		i;

	(void)state;
	for (i = 0; i < TMSG_DIGEST_TITLES + 5; i++)
		a[i] = mk((int64_t)i + 1, 0, SEV_NORMAL, "T");
	tmsg_text(a, TMSG_DIGEST_TITLES + 5, 1, &title, &body, &link);
	assert_string_equal(title, "newswatch digest: 25 alerts");
	assert_non_null(strstr(body, "syria (25)\n"));
	assert_non_null(strstr(body, "and 5 more\n"));
	assert_null(link);
	free(title);
	free(body);
}

static void
ntfy__critical__priority_5_tags_and_click(void **state)
{
	struct alert	a = mk(5, 1, SEV_CRITICAL, "Alarm");
	struct buf	b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(tmsg_ntfy("alerts", &a, 1, 0, &b), 0);
	assert_non_null(strstr(b.data, "{\"topic\":\"alerts\",\"title\":\"lebanon: Alarm\""));
	assert_non_null(strstr(b.data, "\"priority\":5,\"tags\":[\"lebanon\",\"warning\"]"));
	assert_non_null(strstr(b.data, "\"click\":\"https://example.org/a?b=1&c=<2>\""));
	buf_free(&b);
}

static void
slack__markup__escaped(void **state)
{
	struct alert	a = mk(5, 0, SEV_NORMAL, "A < B & C");
	struct buf	b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(tmsg_slack(&a, 1, 0, &b), 0);
	assert_non_null(strstr(b.data, "{\"text\":\"*syria: A &lt; B &amp; C*\\n"));
	buf_free(&b);
}

static void
matrix__plain_and_html(void **state)
{
	struct alert	a = mk(5, 0, SEV_NORMAL, "A <b>");
	struct buf	b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(tmsg_matrix(&a, 1, 0, &b), 0);
	assert_non_null(strstr(b.data, "\"msgtype\":\"m.text\",\"body\":\"syria: A <b>\\n"));
	assert_non_null(strstr(b.data, "\"formatted_body\":\"<strong>syria: A &lt;b&gt;</strong>"));
	assert_non_null(strstr(b.data, "<a href=\\\"https://example.org/a?b=1&amp;c=&lt;2&gt;\\\">"));
	buf_free(&b);
}

static void
email__utf8_subject__encoded_words_and_base64(void **state)
{
	struct alert		a = mk(5, 0, SEV_NORMAL,
				    "Erdoğan’s visit — a very long title that needs more than one "
				    "encoded word in the subject line");
	char			*to[] = { "a@example.org", "b@example.org" };
	struct conf_target	t = { .from = "nw@example.org", .to = to, .nto = 2 };
	struct buf		b;
	const char		*p;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(tmsg_email(&t, &a, 1, 0, 1796515200, &b), 0);
	assert_true(strncmp(b.data, "From: nw@example.org\r\nTo: a@example.org, b@example.org\r\n"
	    "Subject: =?UTF-8?B?", 74) == 0);
	assert_non_null(strstr(b.data, "?=\r\n =?UTF-8?B?"));
	assert_non_null(strstr(b.data, "Date: Sun, 06 Dec 2026 00:00:00 +0000\r\n"));
	assert_non_null(strstr(b.data, "Message-ID: <newswatch-5@newswatch>\r\n"));
	assert_non_null(strstr(b.data, "Content-Transfer-Encoding: base64\r\n\r\n"));
	/* No line over 78 characters, every one ends in CRLF. */
	for (p = b.data; *p != '\0'; ) {
		const char *nl = strstr(p, "\r\n");

		assert_non_null(nl);
		assert_true(nl - p <= 78);
		p = nl + 2;
	}
	buf_free(&b);
}

static void
topic__substitutions__no_extra_levels(void **state)
{
	struct alert	a = mk(5, 0, SEV_CRITICAL, "T");
	char		*t;

	(void)state;
	a.feed = "a/b+#";
	t = tmsg_topic("news/{rule}/{severity}/{feed}", &a, 0);
	assert_string_equal(t, "news/syria/critical/a_b__");
	free(t);
	t = tmsg_topic("news/{rule}", &a, 1);
	assert_string_equal(t, "news/digest");
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(key__one_and_digest__stable_ids),
		cmocka_unit_test(json__one_alert__record_with_id_first),
		cmocka_unit_test(json__digest__grouped_by_rule_with_counts),
		cmocka_unit_test(text__digest_over_title_limit__and_more),
		cmocka_unit_test(ntfy__critical__priority_5_tags_and_click),
		cmocka_unit_test(slack__markup__escaped),
		cmocka_unit_test(matrix__plain_and_html),
		cmocka_unit_test(email__utf8_subject__encoded_words_and_base64),
		cmocka_unit_test(topic__substitutions__no_extra_levels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
