#include "unit.h"
#include "period.h"
#include "strbuf.h"

static void describe(const struct period *p, const char *want_words, const char *want_label)
{
	struct strbuf sb = STRBUF_INIT;

	period_describe(&sb, p);
	assert_string_equal(sb.buf, want_words);
	strbuf_reset(&sb);
	period_label(&sb, p);
	assert_string_equal(sb.buf, want_label);
	strbuf_release(&sb);
}

static void test_kinds(void **state)
{
	struct tzspec utc;
	struct period p;
	char buf[DATE_ISO_SIZE];

	tz_parse(&utc, "UTC");
	assert_int_equal(period_daily(&p, "2026-06-01", &utc), 0);
	describe(&p, "June 1st", "2026-06-01");
	date_format_iso(buf, p.end);
	assert_string_equal(buf, "2026-06-02T00:00:00Z");
	assert_int_equal(period_weekly(&p, "2026-W15", NULL, &utc), 0);
	describe(&p, "April 6-12", "2026-W15");
	assert_int_equal(period_weekly(&p, NULL, "2026-04-01", &utc), 0);
	describe(&p, "March 30 - April 5", "2026-W14");
	assert_int_equal(period_monthly(&p, "2026-02", &utc), 0);
	describe(&p, "February 2026", "2026-02");
	date_format_iso(buf, p.end);
	assert_string_equal(buf, "2026-03-01T00:00:00Z");
	assert_int_equal(period_range(&p, "2025-12-29", "2026-01-03", &utc), 0);
	describe(&p, "December 29, 2025 - January 2, 2026", "2025-12-29..2026-01-02");
	assert_true(period_contains(&p, p.start));
	assert_false(period_contains(&p, p.end));
}

static void test_defaults_follow_source_date_epoch(void **state)
{
	struct tzspec utc;
	struct period p;

	tz_parse(&utc, "UTC");
	setenv("SOURCE_DATE_EPOCH", "1776124800", 1);	/* Tue 2026-04-14 */
	period_daily(&p, NULL, &utc);
	describe(&p, "April 13th", "2026-04-13");
	period_weekly(&p, NULL, NULL, &utc);
	describe(&p, "April 6-12", "2026-W15");
	period_monthly(&p, NULL, &utc);
	describe(&p, "March 2026", "2026-03");
	unsetenv("SOURCE_DATE_EPOCH");
}

static void test_time_zone_boundaries(void **state)
{
	struct tzspec tz;
	struct period p;
	char buf[DATE_ISO_SIZE];

	tz_parse(&tz, "America/New_York");
	period_daily(&p, "2026-03-08", &tz);	/* DST starts: a 23-hour day */
	date_format_iso(buf, p.start);
	assert_string_equal(buf, "2026-03-08T05:00:00Z");
	assert_int_equal(p.end - p.start, 23 * 3600);
}

static void test_errors(void **state)
{
	struct tzspec utc;
	struct period p;

	tz_parse(&utc, "UTC");
	assert_int_equal(period_daily(&p, "2026-6-1", &utc), -1);
	assert_int_equal(period_weekly(&p, "2026-W60", NULL, &utc), -1);
	assert_int_equal(period_monthly(&p, "2026", &utc), -1);
	assert_int_equal(period_range(&p, "2026-01-02", "2026-01-01", &utc), -1);
	assert_int_equal(period_range(&p, NULL, "2026-01-01", &utc), -1);
	assert_string_equal(period_ordinal(11), "th");
	assert_string_equal(period_ordinal(22), "nd");
	assert_string_equal(period_ordinal(23), "rd");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_defaults_follow_source_date_epoch),
		cmocka_unit_test(test_time_zone_boundaries),
		cmocka_unit_test(test_errors),
	};
	return unit_run("period", tests, ARRAY_SIZE(tests));
}
