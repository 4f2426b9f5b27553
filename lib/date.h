/*
 * date.h - dates as mail writes them and as digests need them.
 *
 * Mail dates are parsed into a UTC instant (time_t) plus the sender's
 * offset from UTC in minutes, from RFC 5322 and its obsolete forms
 * (two-digit years, zone names like "PDT", missing seconds, comments),
 * asctime() ("Thu Oct 30 11:00:09 2025", as in mbox "From " lines) and
 * ISO 8601.  Periods are computed in a time zone given by name (IANA
 * "Europe/Berlin", "UTC") or by offset ("+0200").
 */
#ifndef BPFDIGEST_DATE_H
#define BPFDIGEST_DATE_H

#include <stddef.h>
#include <time.h>

/*
 * Parse a date.  Returns 0 and sets *when (UTC) and *tz (minutes east
 * of UTC; 0 when the text names none), or -1 when s is not a date.
 */
int date_parse(const char *s, time_t *when, int *tz);

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
long date_days_from_civil(long year, int month, int day);
/* The UTC instant of a broken-down UTC date and time. */
time_t date_utc(long year, int month, int day, int hour, int min, int sec);

/* "2026-04-14T00:00:00Z".  buf must hold DATE_ISO_SIZE bytes. */
#define DATE_ISO_SIZE 32
void date_format_iso(char *buf, time_t when);
/* "2026-04-14" in UTC. */
void date_format_day(char *buf, time_t when);

/*
 * "Now" for everything that must be reproducible: SOURCE_DATE_EPOCH when
 * set (https://reproducible-builds.org/specs/source-date-epoch/), else the
 * clock.
 */
time_t date_now(void);

/* A time zone for period boundaries. */
struct tzspec {
	char name[64];		/* as given, for messages */
	int fixed;		/* 1: a fixed offset; 0: an IANA zone */
	int offset;		/* minutes east of UTC when fixed */
};

/* Returns 0, or -1 when name is neither an offset nor a known zone. */
int tz_parse(struct tzspec *tz, const char *name);
/* The instant of a local date and time in tz (ambiguous times: DST-agnostic). */
time_t tz_mktime(const struct tzspec *tz, long year, int month, int day,
		 int hour, int min, int sec);
/* The broken-down local time of an instant in tz. */
void tz_localtime(const struct tzspec *tz, time_t when, struct tm *out);

/* "YYYY-MM-DD" -> 0, or -1 (invalid dates such as Feb 30 are rejected). */
int date_parse_day(const char *s, int *year, int *month, int *day);
/* "YYYY-MM" -> 0 or -1. */
int date_parse_month(const char *s, int *year, int *month);
/* ISO week "YYYY-Www" -> the Monday of that week, or -1. */
int date_parse_isoweek(const char *s, int *year, int *month, int *day);
/* The ISO year and week of a civil date. */
void date_isoweek(int year, int month, int day, int *isoyear, int *week);
/* Days in a month of a year. */
int date_month_days(int year, int month);

#endif
