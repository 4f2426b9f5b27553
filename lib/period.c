#include "period.h"
#include "strbuf.h"
#include "usage.h"

#include <string.h>

const char *const period_month_names[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

static void add_days(int *y, int *m, int *d, int n)
{
	long days = date_days_from_civil(*y, *m, *d) + n;
	time_t t = (time_t)days * 86400;
	struct tm tm;

	gmtime_r(&t, &tm);
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}

/* Fill p for the local days [y-m-d, +ndays). */
static void set_days(struct period *p, enum period_kind kind, int y, int m, int d,
		     int ndays, const struct tzspec *tz)
{
	int ey = y, em = m, ed = d;

	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->tz = *tz;
	p->year = y;
	p->month = m;
	p->day = d;
	add_days(&ey, &em, &ed, ndays);
	p->start = tz_mktime(tz, y, m, d, 0, 0, 0);
	p->end = tz_mktime(tz, ey, em, ed, 0, 0, 0);
	add_days(&ey, &em, &ed, -1);
	p->last_year = ey;
	p->last_month = em;
	p->last_day = ed;
}

static void today(const struct tzspec *tz, int *y, int *m, int *d)
{
	struct tm tm;

	tz_localtime(tz, date_now(), &tm);
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}

int period_daily(struct period *p, const char *date, const struct tzspec *tz)
{
	int y, m, d;

	if (date) {
		if (date_parse_day(date, &y, &m, &d) < 0)
			return error("invalid date '%s' (expected YYYY-MM-DD)", date);
	} else {
		today(tz, &y, &m, &d);
		add_days(&y, &m, &d, -1);
	}
	set_days(p, PERIOD_DAILY, y, m, d, 1, tz);
	return 0;
}

int period_weekly(struct period *p, const char *week, const char *date,
		  const struct tzspec *tz)
{
	int y, m, d;

	if (week) {
		if (date_parse_isoweek(week, &y, &m, &d) < 0)
			return error("invalid week '%s' (expected YYYY-Www)", week);
	} else {
		long days;
		int wd;

		if (date) {
			if (date_parse_day(date, &y, &m, &d) < 0)
				return error("invalid date '%s' (expected YYYY-MM-DD)", date);
		} else {
			today(tz, &y, &m, &d);
			add_days(&y, &m, &d, -7);	/* the last complete week */
		}
		days = date_days_from_civil(y, m, d);
		wd = (int)(((days + 3) % 7 + 7) % 7);	/* 0 = Monday */
		add_days(&y, &m, &d, -wd);
	}
	set_days(p, PERIOD_WEEKLY, y, m, d, 7, tz);
	return 0;
}

int period_monthly(struct period *p, const char *month, const struct tzspec *tz)
{
	int y, m, d;

	if (month) {
		if (date_parse_month(month, &y, &m) < 0)
			return error("invalid month '%s' (expected YYYY-MM)", month);
	} else {
		today(tz, &y, &m, &d);
		if (--m == 0) {
			m = 12;
			y--;
		}
	}
	set_days(p, PERIOD_MONTHLY, y, m, 1, date_month_days(y, m), tz);
	return 0;
}

int period_range(struct period *p, const char *since, const char *until,
		 const struct tzspec *tz)
{
	int y, m, d, ey, em, ed;
	long n;

	if (!since || date_parse_day(since, &y, &m, &d) < 0)
		return error("invalid --since date '%s' (expected YYYY-MM-DD)", since ? since : "");
	if (!until || date_parse_day(until, &ey, &em, &ed) < 0)
		return error("invalid --until date '%s' (expected YYYY-MM-DD)", until ? until : "");
	n = date_days_from_civil(ey, em, ed) - date_days_from_civil(y, m, d);
	if (n <= 0)
		return error("empty range: --until '%s' is not after --since '%s'", until, since);
	set_days(p, PERIOD_RANGE, y, m, d, (int)n, tz);
	return 0;
}

int period_contains(const struct period *p, time_t when)
{
	return when >= p->start && when < p->end;
}

const char *period_ordinal(int day)
{
	if (day % 100 >= 11 && day % 100 <= 13)
		return "th";
	switch (day % 10) {
	case 1: return "st";
	case 2: return "nd";
	case 3: return "rd";
	default: return "th";
	}
}

void period_describe(struct strbuf *out, const struct period *p)
{
	const char *m1 = period_month_names[p->month - 1];
	const char *m2 = period_month_names[p->last_month - 1];

	switch (p->kind) {
	case PERIOD_DAILY:
		strbuf_addf(out, "%s %d%s", m1, p->day, period_ordinal(p->day));
		return;
	case PERIOD_MONTHLY:
		strbuf_addf(out, "%s %d", m1, p->year);
		return;
	case PERIOD_WEEKLY:
	case PERIOD_RANGE:
		if (p->year != p->last_year)
			strbuf_addf(out, "%s %d, %d - %s %d, %d", m1, p->day, p->year,
				    m2, p->last_day, p->last_year);
		else if (p->month != p->last_month)
			strbuf_addf(out, "%s %d - %s %d", m1, p->day, m2, p->last_day);
		else if (p->day == p->last_day)
			strbuf_addf(out, "%s %d", m1, p->day);
		else
			strbuf_addf(out, "%s %d-%d", m1, p->day, p->last_day);
		return;
	}
}

void period_label(struct strbuf *out, const struct period *p)
{
	int iy, iw;

	switch (p->kind) {
	case PERIOD_DAILY:
		strbuf_addf(out, "%04d-%02d-%02d", p->year, p->month, p->day);
		return;
	case PERIOD_WEEKLY:
		date_isoweek(p->year, p->month, p->day, &iy, &iw);
		strbuf_addf(out, "%04d-W%02d", iy, iw);
		return;
	case PERIOD_MONTHLY:
		strbuf_addf(out, "%04d-%02d", p->year, p->month);
		return;
	case PERIOD_RANGE:
		strbuf_addf(out, "%04d-%02d-%02d..%04d-%02d-%02d", p->year, p->month,
			    p->day, p->last_year, p->last_month, p->last_day);
		return;
	}
}
