#include "date.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

long date_days_from_civil(long y, int m, int d)
{
	/* Howard Hinnant's days_from_civil, for any proleptic Gregorian date. */
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

time_t date_utc(long year, int month, int day, int hour, int min, int sec)
{
	return (time_t)date_days_from_civil(year, month, day) * 86400 +
	       hour * 3600 + min * 60 + sec;
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_month_days(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month == 2 && is_leap(year))
		return 29;
	return days[month - 1];
}

static const char *const months[] = {
	"jan", "feb", "mar", "apr", "may", "jun",
	"jul", "aug", "sep", "oct", "nov", "dec",
};

static int month_from_name(const char *s, size_t len)
{
	size_t i;

	if (len < 3)
		return 0;
	for (i = 0; i < ARRAY_SIZE(months); i++)
		if (!strncasecmp(s, months[i], 3))
			return (int)i + 1;
	return 0;
}

/* Zone names of RFC 5322 section 4.3 (obsolete), and a few common ones. */
static const struct {
	const char *name;
	int offset;
} zones[] = {
	{ "UT", 0 }, { "UTC", 0 }, { "GMT", 0 }, { "Z", 0 },
	{ "EST", -300 }, { "EDT", -240 }, { "CST", -360 }, { "CDT", -300 },
	{ "MST", -420 }, { "MDT", -360 }, { "PST", -480 }, { "PDT", -420 },
	{ "CET", 60 }, { "CEST", 120 }, { "BST", 60 }, { "IST", 330 },
	{ "JST", 540 }, { "MSK", 180 }, { "EET", 120 }, { "EEST", 180 },
};

struct date_tokens {
	int year, month, day, hour, min, sec;
	int have_date, have_time, have_zone, zone;
	int named_zone;		/* the zone came from a name, an offset may follow */
	int pm;			/* 1 for "PM", -1 for "AM" */
};

/* Read a run of digits; returns its length (0 if none). */
static size_t read_number(const char *s, long *out)
{
	size_t n = 0;
	long v = 0;

	while (isdigit((unsigned char)s[n]) && n < 10)
		v = v * 10 + (s[n++] - '0');
	*out = v;
	return n;
}

static int parse_time(const char **sp, struct date_tokens *t)
{
	const char *s = *sp;
	long h, m, sec = 0;
	size_t n;

	n = read_number(s, &h);
	if (!n || n > 2 || s[n] != ':')
		return -1;
	s += n + 1;
	n = read_number(s, &m);
	if (n != 2)
		return -1;
	s += n;
	if (*s == ':') {
		n = read_number(s + 1, &sec);
		if (n != 2)
			return -1;
		s += n + 1;
		/* Fractional seconds (ISO 8601). */
		if (*s == '.' || *s == ',')
			while (isdigit((unsigned char)*++s))
				;
	}
	if (h > 23 || m > 59 || sec > 60)
		return -1;
	t->hour = (int)h;
	t->min = (int)m;
	t->sec = (int)(sec == 60 ? 59 : sec);
	t->have_time = 1;
	*sp = s;
	return 0;
}

static int parse_numeric_zone(const char **sp, struct date_tokens *t)
{
	const char *s = *sp;
	int sign = *s == '-' ? -1 : 1;
	long hh, mm = 0;
	size_t n;

	s++;
	n = read_number(s, &hh);
	if (n == 4) {
		mm = hh % 100;
		hh /= 100;
	} else if (n == 2 || n == 1) {
		s += n;
		if (*s == ':') {
			if (read_number(s + 1, &mm) != 2)
				return -1;
			s += 3;
		}
		n = 0;
	} else {
		return -1;
	}
	s += n;
	if (hh > 23 || mm > 59)
		return -1;
	t->zone = sign * (int)(hh * 60 + mm);
	t->have_zone = 1;
	*sp = s;
	return 0;
}

int date_parse(const char *str, time_t *when, int *tz)
{
	struct date_tokens t = { 0 };
	const char *s = str;
	long numbers[3];
	int nnum = 0;

	while (*s) {
		long v;
		size_t n;

		if (isspace((unsigned char)*s) || *s == ',') {
			s++;
			continue;
		}
		if (*s == '(') {
			/* Comments, possibly nested ("(CET)", "(GMT+02:00)"). */
			int depth = 0;

			do {
				if (*s == '(')
					depth++;
				else if (*s == ')')
					depth--;
				s++;
			} while (*s && depth);
			continue;
		}
		if (isalpha((unsigned char)*s)) {
			const char *w = s;
			size_t len, i;
			int mon;

			while (isalpha((unsigned char)*s))
				s++;
			len = (size_t)(s - w);
			if (len == 1 && *w == 'T' && isdigit((unsigned char)*s))
				continue;	/* ISO 8601 date/time separator */
			mon = month_from_name(w, len);
			if (mon && !t.month) {
				t.month = mon;
				continue;
			}
			if (len == 2 && (w[1] == 'M' || w[1] == 'm') && t.have_time) {
				if (w[0] == 'P' || w[0] == 'p')
					t.pm = 1;
				else if (w[0] == 'A' || w[0] == 'a')
					t.pm = -1;
				continue;
			}
			for (i = 0; i < ARRAY_SIZE(zones); i++)
				if (strlen(zones[i].name) == len &&
				    !strncasecmp(w, zones[i].name, len)) {
					if (!t.have_zone) {
						t.zone = zones[i].offset;
						t.have_zone = 1;
						t.named_zone = 1;
					}
					break;
				}
			/* Day names and unknown zones (military letters: "-0000") are ignored. */
			continue;
		}
		if ((*s == '+' || *s == '-') && isdigit((unsigned char)s[1]) &&
		    t.have_time && (!t.have_zone || t.named_zone)) {
			/* "GMT+0200": the offset is what counts. */
			t.named_zone = 0;
			if (parse_numeric_zone(&s, &t) < 0)
				return -1;
			continue;
		}
		if (isdigit((unsigned char)*s)) {
			const char *start = s;

			if (parse_time(&s, &t) == 0)
				continue;
			s = start;
			n = read_number(s, &v);
			if (s[n] == ':')
				return -1;	/* a time, but not a valid one */
			/* ISO 8601 "2025-10-30". */
			if (n == 4 && s[4] == '-' && isdigit((unsigned char)s[5])) {
				long mo, d;

				if (read_number(s + 5, &mo) != 2 || s[7] != '-' ||
				    read_number(s + 8, &d) != 2)
					return -1;
				t.year = (int)v;
				t.month = (int)mo;
				t.day = (int)d;
				t.have_date = 1;
				s += 10;
				continue;
			}
			if (nnum < 3)
				numbers[nnum++] = v;
			s += n;
			continue;
		}
		s++;	/* stray punctuation */
	}

	/* Numbers are the day and the year, in either order (asctime puts the year last). */
	if (!t.have_date) {
		int i;

		if (!t.month)
			return -1;
		for (i = 0; i < nnum; i++) {
			if (!t.day && numbers[i] >= 1 && numbers[i] <= 31 && i + 1 < nnum)
				t.day = (int)numbers[i];
			else if (!t.year)
				t.year = (int)numbers[i];
			else if (!t.day && numbers[i] >= 1 && numbers[i] <= 31)
				t.day = (int)numbers[i];
		}
		if (!t.day || (!t.year && nnum < 2))
			return -1;
		/* RFC 5322 4.3: two-digit years, and three-digit ones +1900. */
		if (t.year < 50)
			t.year += 2000;
		else if (t.year < 1000)
			t.year += 1900;
	}
	if (t.pm > 0 && t.hour < 12)
		t.hour += 12;
	else if (t.pm < 0 && t.hour == 12)
		t.hour = 0;
	if (t.month < 1 || t.month > 12 || t.day < 1 ||
	    t.day > date_month_days(t.year, t.month) || t.year < 1970 || t.year > 9999)
		return -1;
	*when = date_utc(t.year, t.month, t.day, t.hour, t.min, t.sec) -
		(time_t)t.zone * 60;
	*tz = t.zone;
	return 0;
}

void date_format_iso(char *buf, time_t when)
{
	struct tm tm;

	gmtime_r(&when, &tm);
	strftime(buf, DATE_ISO_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void date_format_day(char *buf, time_t when)
{
	struct tm tm;

	gmtime_r(&when, &tm);
	strftime(buf, 16, "%Y-%m-%d", &tm);
}

time_t date_now(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");

	if (sde && *sde) {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(sde, &end, 10);
		if (!errno && !*end && v >= 0)
			return (time_t)v;
	}
	return time(NULL);
}

static int zone_file_exists(const char *name)
{
	const char *dir = getenv("TZDIR");
	struct stat st;
	char path[4096];

	if (strstr(name, "..") || name[0] == '/')
		return 0;
	snprintf(path, sizeof(path), "%s/%s",
		 dir && *dir ? dir : "/usr/share/zoneinfo", name);
	return !stat(path, &st) && S_ISREG(st.st_mode);
}

int tz_parse(struct tzspec *tz, const char *name)
{
	struct date_tokens t = { 0 };
	const char *s = name;

	memset(tz, 0, sizeof(*tz));
	snprintf(tz->name, sizeof(tz->name), "%s", name);
	if (!strcasecmp(name, "UTC") || !strcasecmp(name, "GMT") ||
	    !strcasecmp(name, "Z") || !strcmp(name, "")) {
		tz->fixed = 1;
		return 0;
	}
	if ((*s == '+' || *s == '-') && parse_numeric_zone(&s, &t) == 0 && !*s) {
		tz->fixed = 1;
		tz->offset = t.zone;
		return 0;
	}
	if (strlen(name) >= sizeof(tz->name) || !zone_file_exists(name))
		return -1;
	return 0;
}

/* Run fn with TZ set to the zone; glibc has no per-call time zone API. */
static char *swap_tz(const char *name)
{
	const char *old = getenv("TZ");
	char *saved = old ? xstrdup(old) : NULL;

	setenv("TZ", name, 1);
	tzset();
	return saved;
}

static void restore_tz(char *saved)
{
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
}

time_t tz_mktime(const struct tzspec *tz, long year, int month, int day,
		 int hour, int min, int sec)
{
	struct tm tm = { 0 };
	char *saved;
	time_t t;

	if (tz->fixed)
		return date_utc(year, month, day, hour, min, sec) -
		       (time_t)tz->offset * 60;
	tm.tm_year = (int)(year - 1900);
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	saved = swap_tz(tz->name);
	t = mktime(&tm);
	restore_tz(saved);
	return t;
}

void tz_localtime(const struct tzspec *tz, time_t when, struct tm *out)
{
	char *saved;

	if (tz->fixed) {
		time_t shifted = when + (time_t)tz->offset * 60;

		gmtime_r(&shifted, out);
		return;
	}
	saved = swap_tz(tz->name);
	localtime_r(&when, out);
	restore_tz(saved);
}

int date_parse_day(const char *s, int *year, int *month, int *day)
{
	long y, m, d;

	if (read_number(s, &y) != 4 || s[4] != '-' ||
	    read_number(s + 5, &m) != 2 || s[7] != '-' ||
	    read_number(s + 8, &d) != 2 || s[10])
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > date_month_days((int)y, (int)m))
		return -1;
	*year = (int)y;
	*month = (int)m;
	*day = (int)d;
	return 0;
}

int date_parse_month(const char *s, int *year, int *month)
{
	long y, m;

	if (read_number(s, &y) != 4 || s[4] != '-' ||
	    read_number(s + 5, &m) != 2 || s[7] || m < 1 || m > 12)
		return -1;
	*year = (int)y;
	*month = (int)m;
	return 0;
}

/* 0 = Monday ... 6 = Sunday. */
static int weekday(long days)
{
	long w = (days + 3) % 7;	/* 1970-01-01 was a Thursday */

	return (int)(w < 0 ? w + 7 : w);
}

static void civil_from_days(long z, int *year, int *month, int *day)
{
	long era, doe, yoe, y, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = (int)(y + (*month <= 2));
}

void date_isoweek(int year, int month, int day, int *isoyear, int *week)
{
	long days = date_days_from_civil(year, month, day);
	/* The Thursday of this week decides the ISO year. */
	long thursday = days - weekday(days) + 3;
	int ty, tm, td;
	long jan1;

	civil_from_days(thursday, &ty, &tm, &td);
	jan1 = date_days_from_civil(ty, 1, 1);
	*isoyear = ty;
	*week = (int)((thursday - jan1) / 7 + 1);
}

int date_parse_isoweek(const char *s, int *year, int *month, int *day)
{
	long y, w, jan4, monday;
	int iy, iw;

	if (read_number(s, &y) != 4 || s[4] != '-' || (s[5] != 'W' && s[5] != 'w') ||
	    read_number(s + 6, &w) != 2 || s[8] || w < 1 || w > 53)
		return -1;
	jan4 = date_days_from_civil(y, 1, 4);
	monday = jan4 - weekday(jan4) + (w - 1) * 7;
	civil_from_days(monday, year, month, day);
	date_isoweek(*year, *month, *day, &iy, &iw);
	if (iy != y || iw != w)
		return -1;	/* week 53 of a 52-week year */
	return 0;
}
