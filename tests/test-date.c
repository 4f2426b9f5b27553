#include "unit.h"
#include "date.h"

#include <string.h>

static void check(const char *s, const char *iso, int tz)
{
	char buf[DATE_ISO_SIZE];
	time_t t;
	int got_tz;

	if (date_parse(s, &t, &got_tz) < 0)
		fail_msg("cannot parse '%s'", s);
	date_format_iso(buf, t);
	if (strcmp(buf, iso) || got_tz != tz)
		fail_msg("'%s' -> %s %+d, want %s %+d", s, buf, got_tz, iso, tz);
}

static void test_rfc5322(void **state)
{
	check("Thu, 30 Oct 2025 11:00:09 +0800", "2025-10-30T03:00:09Z", 480);
	check("Wed, 29 Oct 2025 20:00:24 -0700 (PDT)", "2025-10-30T03:00:24Z", -420);
	check("30 Oct 2025 11:00 +0000", "2025-10-30T11:00:00Z", 0);
	check("Mon,  1 Jun 2026 09:05:03 +0530", "2026-06-01T03:35:03Z", 330);
}

static void test_obsolete_forms(void **state)
{
	check("Thu, 30 Oct 25 11:00:09 GMT", "2025-10-30T11:00:09Z", 0);
	check("Thu, 30 Oct 99 11:00:09 EST", "1999-10-30T16:00:09Z", -300);
	check("Thu, 30 Oct 125 11:00:09 PDT", "2025-10-30T18:00:09Z", -420);
	check("30 Oct 2025 11:00:09 UT", "2025-10-30T11:00:09Z", 0);
	check("Thu,30 Oct 2025 11:00:09 +0100 (CET)", "2025-10-30T10:00:09Z", 60);
	check("Thu, 30 Oct 2025 11:00:09 (no zone)", "2025-10-30T11:00:09Z", 0);
	/* Military zones are "-0000" (RFC 5322 4.3); unknown names too. */
	check("Thu, 30 Oct 2025 11:00:09 Q", "2025-10-30T11:00:09Z", 0);
	check("Thu, 30 Oct 2025 11:00:09 XYZT", "2025-10-30T11:00:09Z", 0);
	check("Thu, 30 Oct 2025 11:00:09 -0000", "2025-10-30T11:00:09Z", 0);
	check("Thu, 30 Oct 49 11:00:09 +0000", "2049-10-30T11:00:09Z", 0);
	check("Thu, 30 Oct 70 11:00:09 +0000", "1970-10-30T11:00:09Z", 0);
	check("30-Oct-2025 11:00:09 +0000", "2025-10-30T11:00:09Z", 0);
	check("thu, 30 OCT 2025 11:00:09 pdt", "2025-10-30T18:00:09Z", -420);
	check("Wed, 01 May 2019 17:16:36 +0200 (Mitteleurop\xc3\xa4ische Sommerzeit)",
	      "2019-05-01T15:16:36Z", 120);
	check("Thu, 30 Oct 2025 11:00:09 +0800 (GMT+08:00)", "2025-10-30T03:00:09Z", 480);
}

static void test_other_forms(void **state)
{
	check("Thu, 30 Oct 2025 2:03:04 PM +0100", "2025-10-30T13:03:04Z", 60);
	check("Thu, 30 Oct 2025 12:03:04 AM +0000", "2025-10-30T00:03:04Z", 0);
	check("Thu, 30 Oct 2025 11:00:09 GMT+0200", "2025-10-30T09:00:09Z", 120);
	check("Thu, 30 Oct 2025 11:00:09.123 +0000", "2025-10-30T11:00:09Z", 0);
	check("Thu, 30 Oct 2025 23:59:60 +0000", "2025-10-30T23:59:59Z", 0);
}

static void test_asctime_and_iso(void **state)
{
	check("Thu Oct 30 11:00:09 2025", "2025-10-30T11:00:09Z", 0);
	check("2025-10-30T11:00:09Z", "2025-10-30T11:00:09Z", 0);
	check("2025-10-30 11:00:09 +02:00", "2025-10-30T09:00:09Z", 120);
}

static void test_garbage(void **state)
{
	time_t t;
	int tz;

	assert_int_equal(date_parse("", &t, &tz), -1);
	assert_int_equal(date_parse("yesterday", &t, &tz), -1);
	assert_int_equal(date_parse("31 Feb 2025 10:00:00 +0000", &t, &tz), -1);
	assert_int_equal(date_parse("Thu, 30 Oct 2025 25:00:09 +0000", &t, &tz), -1);
	/* From patchwork's fuzzed mails: never a crash, never a date. */
	assert_int_equal(date_parse(", 11 Sep 2016 23:20407080403080105:04 +0100", &t, &tz), -1);
	assert_int_equal(date_parse("Wed, 4 Jun 207777777777777777777714 17:50:46 0", &t, &tz), -1);
	assert_int_equal(date_parse(", 11 Sep 2016 23:22:904070804030804 +0100", &t, &tz), -1);
	assert_int_equal(date_parse("Wed, 4 Jun 2014 17:50:\x80\xff\xff\xff", &t, &tz), -1);
	assert_int_equal(date_parse("Thu, 30 Oct 1969 11:00:09 +0000", &t, &tz), -1);
	assert_int_equal(date_parse("Thu, 30 Oct 2025 11:00:09 +9999", &t, &tz), -1);
	assert_int_equal(date_parse("(((unclosed", &t, &tz), -1);
}

static void test_days_and_weeks(void **state)
{
	int y, m, d, iy, iw;

	assert_int_equal(date_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(date_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(date_parse_isoweek("2026-W15", &y, &m, &d), 0);
	assert_int_equal(y * 10000 + m * 100 + d, 20260406);
	assert_int_equal(date_parse_isoweek("2021-W53", &y, &m, &d), -1);
	assert_int_equal(date_parse_isoweek("2020-W53", &y, &m, &d), 0);
	assert_int_equal(y * 10000 + m * 100 + d, 20201228);
	date_isoweek(2027, 1, 1, &iy, &iw);
	assert_int_equal(iy * 100 + iw, 202653);
	assert_int_equal(date_parse_day("2024-02-29", &y, &m, &d), 0);
	assert_int_equal(date_parse_day("2025-02-29", &y, &m, &d), -1);
	assert_int_equal(date_parse_month("2026-13", &y, &m), -1);
}

static void test_time_zones(void **state)
{
	struct tzspec tz;
	char buf[DATE_ISO_SIZE];

	assert_int_equal(tz_parse(&tz, "+0200"), 0);
	date_format_iso(buf, tz_mktime(&tz, 2026, 6, 1, 0, 0, 0));
	assert_string_equal(buf, "2026-05-31T22:00:00Z");
	assert_int_equal(tz_parse(&tz, "Europe/Berlin"), 0);
	date_format_iso(buf, tz_mktime(&tz, 2026, 1, 1, 0, 0, 0));
	assert_string_equal(buf, "2025-12-31T23:00:00Z");
	date_format_iso(buf, tz_mktime(&tz, 2026, 7, 1, 0, 0, 0));
	assert_string_equal(buf, "2026-06-30T22:00:00Z");
	assert_int_equal(tz_parse(&tz, "Nowhere/Atlantis"), -1);
	assert_int_equal(tz_parse(&tz, "../../etc/passwd"), -1);
}

static void test_source_date_epoch(void **state)
{
	setenv("SOURCE_DATE_EPOCH", "1776124800", 1);
	assert_int_equal(date_now(), 1776124800);
	setenv("SOURCE_DATE_EPOCH", "garbage", 1);
	assert_true(date_now() > 1776124800 || date_now() < 1776124800);
	unsetenv("SOURCE_DATE_EPOCH");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc5322),
		cmocka_unit_test(test_obsolete_forms),
		cmocka_unit_test(test_other_forms),
		cmocka_unit_test(test_asctime_and_iso),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_days_and_weeks),
		cmocka_unit_test(test_time_zones),
		cmocka_unit_test(test_source_date_epoch),
	};
	return unit_run("date", tests, ARRAY_SIZE(tests));
}
