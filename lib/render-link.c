#include "render-link.h"
#include "date.h"
#include "link.h"
#include "mail.h"
#include "series.h"
#include "strbuf.h"
#include "usage.h"
#include "xalloc.h"

#include <git2.h>
#include <jansson.h>
#include <string.h>

/* Abbreviated ids: 12 digits, as Fixes: tags and pw-bot write them. */
#define ABBREV 12

static int position_of(const struct series_patch *p)
{
	return p->subject.position ? (int)p->subject.position : 1;
}

static void text_conflicts(FILE *out, const struct link_commit *lc, const char *hex)
{
	size_t i;

	for (i = 0; i < lc->conflicts_nr; i++) {
		const struct series_patch *p = lc->conflicts[i].patch;

		fprintf(out, "conflict: %.*s %s names %s <%s>", ABBREV, hex,
			link_method_name(lc->conflicts[i].method), p->mail->subject, p->mail->mid);
		if (lc->patch)
			fprintf(out, ", kept %s <%s>", link_method_name(lc->method),
				lc->patch->mail->mid);
		fputc('\n', out);
	}
}

static void render_text(FILE *out, const struct link_set *set)
{
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;

	for (i = 0; i < set->nr; i++) {
		const struct link_commit *lc = &set->commits[i];

		git_oid_tostr(hex, sizeof(hex), &lc->id);
		if (lc->patch)
			fprintf(out, "%.*s %-8s %s <%s>\n", ABBREV, hex, link_method_name(lc->method),
				lc->patch->mail->subject, lc->patch->mail->mid);
		else
			fprintf(out, "%.*s %-8s %s\n", ABBREV, hex, "none", lc->summary);
	}
	for (i = 0; i < set->nr; i++)
		text_conflicts(out, &set->commits[i], git_oid_tostr(hex, sizeof(hex),
								    &set->commits[i].id));
	fprintf(out, "%zu commits: %zu matched (pwbot %zu, link %zu, patch-id %zu, subject %zu), "
		"%zu unmatched, %zu with conflicts\n",
		set->nr, set->nr - set->matched[LINK_NONE], set->matched[LINK_PWBOT],
		set->matched[LINK_TRAILER], set->matched[LINK_PATCH_ID],
		set->matched[LINK_SUBJECT], set->matched[LINK_NONE], set->conflicted);
	if (set->pwbot_missing || set->pwbot_elsewhere || set->pwbot_unresolved)
		fprintf(out, "pw-bot: %zu applied patches name commits this repository lacks, "
			"%zu commits outside the range, %zu patches not in the archive\n",
			set->pwbot_missing, set->pwbot_elsewhere, set->pwbot_unresolved);
}

static json_t *commit_json(const struct link_commit *lc, const char *hex)
{
	const struct series_patch *p = lc->patch;
	const struct series_revision *rev = p->revision;

	return json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:i, s:i, s:i}}",
			 "commit", hex, "method", link_method_name(lc->method),
			 "m", p->mail->mid, "s", p->mail->subject,
			 "series", "title", rev->series->title, "version", (int)rev->version,
			 "position", position_of(p), "total", (int)rev->total);
}

static json_t *stats_json(const struct link_set *set)
{
	json_t *stats = json_object();
	int m;

	json_object_set_new(stats, "commits", json_integer((json_int_t)set->nr));
	json_object_set_new(stats, "matched",
			    json_integer((json_int_t)(set->nr - set->matched[LINK_NONE])));
	for (m = LINK_METHOD_NR - 1; m > LINK_NONE; m--)
		json_object_set_new(stats, link_method_name((enum link_method)m),
				    json_integer((json_int_t)set->matched[m]));
	json_object_set_new(stats, "unmatched", json_integer((json_int_t)set->matched[LINK_NONE]));
	json_object_set_new(stats, "conflicts", json_integer((json_int_t)set->conflicted));
	json_object_set_new(stats, "pwbot_missing", json_integer((json_int_t)set->pwbot_missing));
	return stats;
}

static json_t *conflict_json(const struct link_commit *lc, const char *hex)
{
	json_t *c = json_object(), *others = json_array();
	size_t i;

	json_object_set_new(c, "commit", json_string(hex));
	json_object_set_new(c, "kept", lc->patch ? json_pack("{s:s, s:s}", "method",
							     link_method_name(lc->method), "m",
							     lc->patch->mail->mid)
						 : json_null());
	for (i = 0; i < lc->conflicts_nr; i++)
		json_array_append_new(others, json_pack("{s:s, s:s, s:s}", "method",
							link_method_name(lc->conflicts[i].method),
							"m", lc->conflicts[i].patch->mail->mid, "s",
							lc->conflicts[i].patch->mail->subject));
	json_object_set_new(c, "others", others);
	return c;
}

static int render_json(FILE *out, const struct link_set *set, const char *range)
{
	json_t *root = json_object(), *commits = json_array(), *unmatched = json_array();
	json_t *conflicts = json_array();
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;
	int ret;

	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "range", json_string(range));
	json_object_set_new(root, "stats", stats_json(set));
	for (i = 0; i < set->nr; i++) {
		const struct link_commit *lc = &set->commits[i];

		git_oid_tostr(hex, sizeof(hex), &lc->id);
		if (lc->patch) {
			json_array_append_new(commits, commit_json(lc, hex));
		} else {
			json_array_append_new(unmatched, json_string(hex));
		}
		if (lc->conflicts_nr)
			json_array_append_new(conflicts, conflict_json(lc, hex));
	}
	json_object_set_new(root, "commits", commits);
	json_object_set_new(root, "unmatched", unmatched);
	json_object_set_new(root, "conflicts", conflicts);
	ret = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(root);
	return ret < 0 ? error("cannot write the JSON output") : 0;
}

int render_link(FILE *out, const struct link_set *set, const char *range,
		enum output_format fmt)
{
	switch (fmt) {
	case FORMAT_TEXT:
		render_text(out, set);
		return 0;
	case FORMAT_JSON:
		return render_json(out, set, range);
	default:
		return error("format '%s' is not available for links (use text or json)",
			     output_format_name(fmt));
	}
}

/* --- one commit, explained ------------------------------------------------------ */

/* The mask's link to mid, '/' and '%' in the id escaped as lore wants them. */
static char *mid_url(const char *midmask, const char *mid)
{
	const char *mask = midmask && strstr(midmask, "%s") ? midmask : RENDER_LINK_MIDMASK;
	const char *pct = strstr(mask, "%s");
	struct strbuf sb = STRBUF_INIT;

	strbuf_add(&sb, mask, (size_t)(pct - mask));
	for (; *mid; mid++)
		if (*mid == '/' || *mid == '%')
			strbuf_addf(&sb, "%%%02X", (unsigned char)*mid);
		else
			strbuf_addch(&sb, *mid);
	strbuf_addstr(&sb, pct + 2);
	return strbuf_detach(&sb, NULL);
}

/*
 * "matched" (the kept method's answer), "agrees" (another method's, the
 * same patch), "revision" (another revision of it), "rejected" (another
 * patch), or "no" (nothing found).
 */
static const char *verdict(const struct link_commit *lc, const struct link_evidence *e)
{
	if (!e->patch)
		return "no";
	if (!e->accepted)
		return "rejected";
	if (e->patch != lc->patch)
		return "revision";
	return e->method == lc->method ? "matched" : "agrees";
}

/* The methods in the order of trust, with what each found. */
static const enum link_method explained[] = { LINK_PWBOT, LINK_TRAILER, LINK_PATCH_ID,
					      LINK_SUBJECT };

static void explain_text(FILE *out, const struct link_commit *lc, const char *midmask)
{
	char hex[GIT_OID_HEXSZ + 1], day[DATE_ISO_SIZE];
	size_t i, j;

	git_oid_tostr(hex, sizeof(hex), &lc->id);
	fprintf(out, "commit %s\n", hex);
	fprintf(out, "subject: %s\n", lc->summary);
	if (!lc->patch) {
		fprintf(out, "matched: none\n");
	} else {
		const struct series_revision *rev = lc->patch->revision;

		fprintf(out, "matched: %s <%s>\n", lc->patch->mail->subject, lc->patch->mail->mid);
		fprintf(out, "series: %s (v%u, %u patch%s)\n", rev->series->title, rev->version,
			rev->total, rev->total == 1 ? "" : "es");
		fprintf(out, "method: %s\n", link_method_name(lc->method));
	}
	fprintf(out, "confidence: %s\n", link_confidence_name(lc->confidence));
	if (lc->postings_nr)
		fprintf(out, "postings:\n");
	for (i = 0; i < lc->postings_nr; i++) {
		const struct series_patch *p = lc->postings[i];
		char *url = mid_url(midmask, p->mail->mid);

		date_format_day(day, p->mail->date);
		fprintf(out, "  %c v%-2u %s %s\n      %s\n", p == lc->patch ? '*' : ' ',
			p->revision->version, day, p->mail->subject, url);
		free(url);
	}
	fprintf(out, "evidence:\n");
	for (j = 0; j < ARRAY_SIZE(explained); j++) {
		int any = 0;

		for (i = 0; i < lc->evidence_nr; i++) {
			const struct link_evidence *e = &lc->evidence[i];

			if (e->method != explained[j])
				continue;
			any = 1;
			fprintf(out, "  %-8s %-8s %s\n", link_method_name(e->method), verdict(lc, e),
				e->why);
		}
		if (!any)
			fprintf(out, "  %-8s %-8s %s\n", link_method_name(explained[j]), "no",
				explained[j] == LINK_PWBOT ? "no patchwork-bot notice names this commit"
				: explained[j] == LINK_TRAILER ? "no Link: or Message-ID: line names a mail"
				: explained[j] == LINK_PATCH_ID ? "no posting touches its files in the window"
				: "not tried");
	}
	text_conflicts(out, lc, hex);
}

static json_t *explain_json(const struct link_commit *lc, const char *midmask)
{
	json_t *root = json_object(), *postings = json_array(), *evidence = json_array();
	char hex[GIT_OID_HEXSZ + 1], when[DATE_ISO_SIZE];
	size_t i;

	git_oid_tostr(hex, sizeof(hex), &lc->id);
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "commit", json_string(hex));
	json_object_set_new(root, "subject", json_string(lc->summary));
	json_object_set_new(root, "match", lc->patch ? commit_json(lc, hex) : json_null());
	json_object_set_new(root, "confidence",
			    json_string(link_confidence_name(lc->confidence)));
	json_object_set_new(root, "patch_id", lc->patch_id_ok
			    ? json_string(git_oid_tostr(hex, sizeof(hex), &lc->patch_id))
			    : json_null());
	json_object_set_new(root, "patch_id_algorithm", lc->patch_id_algorithm
			    ? json_string(lc->patch_id_algorithm) : json_null());
	for (i = 0; i < lc->postings_nr; i++) {
		const struct series_patch *p = lc->postings[i];
		char *url = mid_url(midmask, p->mail->mid);

		date_format_iso(when, p->mail->date);
		json_array_append_new(postings,
				      json_pack("{s:i, s:s, s:s, s:s, s:s, s:b}", "version",
						(int)p->revision->version, "dt", when, "m",
						p->mail->mid, "s", p->mail->subject, "url", url,
						"applied", p == lc->patch));
		free(url);
	}
	json_object_set_new(root, "postings", postings);
	for (i = 0; i < lc->evidence_nr; i++) {
		const struct link_evidence *e = &lc->evidence[i];

		json_array_append_new(evidence,
				      json_pack("{s:s, s:s, s:o, s:s}", "method",
						link_method_name(e->method), "verdict",
						verdict(lc, e), "m",
						e->patch ? json_string(e->patch->mail->mid)
							 : json_null(),
						"why", e->why));
	}
	json_object_set_new(root, "evidence", evidence);
	git_oid_tostr(hex, sizeof(hex), &lc->id);
	json_object_set_new(root, "conflicts", conflict_json(lc, hex));
	return root;
}

int render_link_explain(FILE *out, const struct link_set *set, const char *midmask,
			enum output_format fmt)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < set->nr; i++) {
		if (fmt == FORMAT_JSON) {
			json_t *root = explain_json(&set->commits[i], midmask);

			if (json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
				ret = error("cannot write the JSON output");
			fputc('\n', out);
			json_decref(root);
		} else if (fmt == FORMAT_TEXT) {
			explain_text(out, &set->commits[i], midmask);
		} else {
			return error("format '%s' is not available for links (use text or json)",
				     output_format_name(fmt));
		}
	}
	return ret;
}
