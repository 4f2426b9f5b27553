/*
 * period.h - the span of time a digest covers.
 *
 * A period is half-open, [start, end), computed in a time zone: "daily
 * 2026-06-01 --tz=Europe/Berlin" runs from Berlin's midnight to the next.
 * The defaults are the last complete day, ISO week or month before now
 * (date_now(), so SOURCE_DATE_EPOCH makes them reproducible).
 */
#ifndef BPFDIGEST_PERIOD_H
#define BPFDIGEST_PERIOD_H

#include <time.h>

#include "date.h"

enum period_kind { PERIOD_DAILY, PERIOD_WEEKLY, PERIOD_MONTHLY, PERIOD_RANGE };

struct period {
	enum period_kind kind;
	time_t start, end;		/* UTC instants, half-open */
	int year, month, day;		/* first local day */
	int last_year, last_month, last_day;	/* last local day included */
	struct tzspec tz;
};

/*
 * Each returns 0, or -1 after an error naming the malformed argument.
 * A NULL argument selects the default period.
 */
int period_daily(struct period *p, const char *date, const struct tzspec *tz);
int period_weekly(struct period *p, const char *week, const char *date,
		  const struct tzspec *tz);
int period_monthly(struct period *p, const char *month, const struct tzspec *tz);
/* since and until are dates (YYYY-MM-DD); until is excluded. */
int period_range(struct period *p, const char *since, const char *until,
		 const struct tzspec *tz);

int period_contains(const struct period *p, time_t when);

struct strbuf;
/* "June 1st", "April 6-13", "April 2026", "May 28 - June 3, 2026". */
void period_describe(struct strbuf *out, const struct period *p);
/* A short label: "2026-06-01", "2026-W15", "2026-04", "2026-04-01..2026-04-15". */
void period_label(struct strbuf *out, const struct period *p);
/* The English ordinal suffix of a day: "st", "nd", "rd", "th". */
const char *period_ordinal(int day);
extern const char *const period_month_names[12];

#endif
