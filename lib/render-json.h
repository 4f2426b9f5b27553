/*
 * render-json.h - a digest as JSON, the shape of DESIGN.md (version 1).
 *
 *   {"version":1, "list":..., "period":{"kind","start","end","tz"},
 *    "generated":..., "overview":..., "stats":{...}, "entries":[...]}
 *
 * Each entry carries its title, summary, Message-ID ("m") and URL, the
 * series it belongs to (with every revision), the reviews, the applied
 * commits and the revision that superseded it.  Keys are written in a
 * fixed order, so the same digest gives the same bytes.
 */
#ifndef BPFDIGEST_RENDER_JSON_H
#define BPFDIGEST_RENDER_JSON_H

#include <jansson.h>
#include <time.h>

struct digest;
struct render_options;
struct series_patch;
struct strbuf;

/* Append the JSON (and a newline) to out.  Returns 0, or -1 after an error. */
int render_digest_json(struct strbuf *out, const struct digest *d,
		       const struct render_options *opts);

/*
 * The "series" object of an entry for patch p: title, cover, version,
 * total, position, rfc, resend, pull, tree, author and every revision
 * (version, date, m).  A new reference, or NULL when it cannot be built.
 */
json_t *render_json_series(const struct series_patch *p);

/*
 * A JSON string of s (UTF-8; a stray invalid byte becomes U+FFFD rather
 * than failing the output).  A new reference.
 */
json_t *render_json_string(const char *s);
/* The same, or null for NULL. */
json_t *render_json_string_or_null(const char *s);
/* "2026-04-06T10:00:00Z": an instant as every JSON output writes it. */
json_t *render_json_time(time_t when);

#endif
