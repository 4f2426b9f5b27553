#include "sentence.h"
#include "strbuf.h"
#include "textline.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Sentences from the opening paragraph of a lead. */
#define MAX_FIRST_PARAGRAPH 2

static int first_end(const char *s, size_t len, void *data)
{
	const char **end = data;

	*end = s + len;
	return 1;
}

const char *sentence_first_end(const char *text)
{
	const char *end = NULL;

	sentence_split(text, first_end, &end);
	return end;
}

/* Abbreviations after which a period does not end a sentence. */
static int is_abbreviation(const char *s, size_t end)
{
	static const char *const abbrevs[] = {
		"e.g", "i.e", "etc", "vs", "cf", "approx", "incl", "resp", "Mr", "Dr",
		"no", "al", "fig", "eq", "sec", "ca", "esp",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(abbrevs); i++) {
		size_t l = strlen(abbrevs[i]);

		if (end >= l && !strncasecmp(s + end - l, abbrevs[i], l) &&
		    (end == l || !isalnum((unsigned char)s[end - l - 1])))
			return 1;
	}
	/* An initial: "A. Starovoitov". */
	if (end >= 1 && isupper((unsigned char)s[end - 1]) &&
	    (end == 1 || s[end - 2] == ' '))
		return 1;
	return 0;
}

size_t sentence_split(const char *text,
			 int (*fn)(const char *sentence, size_t len, void *data),
			 void *data)
{
	size_t start = 0, i, n = 0;

	for (i = 0; text[i]; i++) {
		char c = text[i];
		size_t stop = 0, after = i + 1;
		int end = 0;

		if (c == '\n') {
			end = 1;	/* paragraphs end sentences */
			stop = i;
		} else if (c == '.' || c == '!' || c == '?') {
			/* Closing quotes and brackets belong to the sentence. */
			while (text[after] && strchr("\"')]", text[after]))
				after++;
			if (!text[after] || isspace((unsigned char)text[after])) {
				/* "v6.12" and "foo().bar" have no space after the dot. */
				/*
				 * Kernel sentences may open with an identifier
				 * ("bpftrace is ..."), so a lowercase start does
				 * not continue the sentence; abbreviations do.
				 */
				end = c != '.' || !is_abbreviation(text, i);
				stop = after;
			}
		}
		if (!end && text[i + 1])
			continue;
		if (!end)
			stop = i + 1;
		{
			size_t s = start, e = stop;

			while (s < e && isspace((unsigned char)text[s]))
				s++;
			while (e > s && isspace((unsigned char)text[e - 1]))
				e--;
			if (e > s) {
				n++;
				if (fn(text + s, e - s, data))
					return n;
			}
		}
		if (!end)
			break;
		start = stop;
		if (c != '\n')
			i = stop - 1;
	}
	return n;
}

/*
 * "by removing the unused variables.": the tail of a sentence whose head
 * was code or a log that the prose left out.
 */
static int is_fragment(const char *s, size_t len)
{
	static const char *const words[] = {
		"by", "and", "or", "but", "with", "which", "so", "then", "because",
		"as", "in", "for", "from", "of", "on", "at", "to", "into", "via",
	};
	size_t i, wl = 0;

	while (wl < len && isalpha((unsigned char)s[wl]))
		wl++;
	if (!wl || !islower((unsigned char)s[0]))
		return 0;
	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (wl == strlen(words[i]) && !strncmp(s, words[i], wl))
			return 1;
	return 0;
}

/* Brackets and double quotes closed: an item cut at a wrapped line is not. */
int sentence_is_balanced(const char *s, size_t len)
{
	char stack[16];
	size_t i, depth = 0, quotes = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		/* "ESC [2J" is a terminal control, not a bracket (the output drops it). */
		if (c == '\x1b') {
			i++;
			continue;
		}
		if (c == '"')
			quotes++;
		if (c == '(' || c == '[' || c == '{') {
			if (depth == sizeof(stack))
				return 0;
			stack[depth++] = c == '(' ? ')' : c == '[' ? ']' : '}';
		} else if (c == ')' || c == ']' || c == '}') {
			/* "[0, n)" is a range, and "1)" a list marker. */
			if (!depth)
				return c == ')' && i < 3;
			if (stack[--depth] != c)
				return (c == ')' && stack[depth] == ']');
		}
	}
	return !depth && quotes % 2 == 0;
}

static int ends_with_word(const char *s, size_t len, const char *const *words, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		size_t l = strlen(words[i]);

		if (len > l && !strncasecmp(s + len - l, words[i], l) &&
		    !isalnum((unsigned char)s[len - l - 1]))
			return 1;
	}
	return 0;
}

/*
 * Sentences that point at what was left out ("as follows", "the
 * following"), say nothing ("Fix it.", "the necessary changes"), or were
 * cut ("... the high 32 bits of.").
 */
static int is_hollow(const char *s, size_t len)
{
	static const char *const pointers[] = {
		"as follows", "the following", "as described", "as below", "below",
		"like this", "like so", "e.g", "i.e", "for example", "for instance",
		"such as", "the details are", "as shown",
	};
	static const char *const cut[] = {
		"the", "a", "an", "of", "to", "and", "or", "with", "into", "by", "in",
		"on", "at", "than", "via", "these", "those", "its", "their", "our", "which",
		"when", "where", "while", "because", "if", "e.g.", "i.e.",
	};
	static const char *const empty[] = {
		"fix it", "fix them", "fix this", "fix these", "fix that", "no functional change",
		"no functional changes", "no major changes", "no changes", "none",
		"no functional change intended",
	};
	size_t i, n = len;

	while (n && strchr(".!?\"' ", s[n - 1]))
		n--;
	if (memmem(s, len, "the necessary changes", 21) || memmem(s, len, "(e.g.)", 6) ||
	    memmem(s, len, "(i.e.)", 6))
		return 1;
	for (i = 0; i < ARRAY_SIZE(empty); i++)
		if (n == strlen(empty[i]) && !strncasecmp(s, empty[i], n))
			return 1;
	/* "as is" is an idiom; "the asm code is" is cut. */
	if (n >= 5 && !strncasecmp(s + n - 5, "as is", 5))
		return 0;
	if (ends_with_word(s, n, pointers, ARRAY_SIZE(pointers)) ||
	    ends_with_word(s, n, cut, ARRAY_SIZE(cut)))
		return 1;
	/* "Move code into do_check_insn(), replace.": a list's lead, its list gone. */
	{
		size_t w = n;

		while (w && isalpha((unsigned char)s[w - 1]))
			w--;
		if (w >= 2 && s[w - 1] == ' ' && s[w - 2] == ',' && textline_is_verb(s + w, n - w))
			return 1;
	}
	return 0;
}

/* Thanks, smileys and greetings anywhere in a sentence of a cover. */
static int is_thanks(const char *s, size_t len)
{
	return textline_starts_with_ci(s, len, "thanks") || textline_starts_with_ci(s, len, "thank you") ||
	       textline_starts_with_ci(s, len, "many thanks") || memmem(s, len, ":)", 2) ||
	       memmem(s, len, ":-)", 3) || memmem(s, len, ";)", 2);
}

/* "Hi, fix some ..." / "Hi there, I have ...": the greeting before the sentence. */
static size_t greeting_prefix(const char *s, size_t len)
{
	static const char *const greetings[] = {
		"hi all,", "hi everyone,", "hi there,", "hi folks,", "hello all,", "hello everyone,",
		"hello,", "hi,", "hey,", "dear all,",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(greetings); i++) {
		size_t l = strlen(greetings[i]);

		if (len > l + 1 && !strncasecmp(s, greetings[i], l) && s[l] == ' ')
			return l + 1;
	}
	return 0;
}

int sentence_clean(struct strbuf *out, const char *s, size_t len)
{
	size_t words, g = greeting_prefix(s, len), start;
	char last = s[len - 1];

	s += g;
	len -= g;
	words = textline_count_words(s, len);
	if (memmem(s, len, "://", 3) || memmem(s, len, "lore.kernel.org", 15) ||
	    memmem(s, len, "www.", 4) || memmem(s, len, "-by:", 4))
		return 0;
	if (words < 2 || textline_is_greeting(s, len) || is_fragment(s, len) || is_thanks(s, len))
		return 0;
	/* The lead of a list or an example left out: it says "see below". */
	if (last == ':' || is_hollow(s, len) || !sentence_is_balanced(s, len) || textline_is_pasted(s, len) ||
	    textline_is_code_or_log(s, len) || textline_is_shell(s, len))
		return 0;
	if (out->len)
		strbuf_addch(out, ' ');
	start = out->len;
	if (last == ',' || last == ';') {
		strbuf_add(out, s, len - 1);
		strbuf_addch(out, '.');
	} else {
		strbuf_add(out, s, len);
		/* "foo()" and "(see bar)" still want their period; "(see bar.)" has one. */
		if (!strchr(".!?\"')]", last) ||
		    (strchr("\"')]", last) && len > 1 && !strchr(".!?", s[len - 2])))
			strbuf_addch(out, '.');
	}
	/* "when TCP over IPv4 ...", "this patch series adds ...": an English start. */
	if (textline_is_english_start(out->buf + start, out->len - start))
		out->buf[start] = (char)toupper((unsigned char)out->buf[start]);
	return 1;
}

static int take_sentence(const char *s, size_t len, void *data)
{
	struct sentence_collect *c = data;

	if (c->taken >= c->max || c->in_para >= c->para_max)
		return 1;
	if (sentence_clean(c->out, s, len)) {
		c->taken++;
		c->in_para++;
	}
	return c->taken >= c->max || c->in_para >= c->para_max;
}

/* Take up to max sentences of prose into c, the first paragraph limited. */
void sentence_collect(struct sentence_collect *c, const char *prose, size_t max)
{
	const char *p = prose;
	int first = 1;

	c->max = c->taken + max;
	while (*p && c->taken < c->max) {
		const char *nl = strchr(p, '\n');
		char *para = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));

		c->in_para = 0;
		c->para_max = first ? MAX_FIRST_PARAGRAPH : (size_t)-1;
		sentence_split(para, take_sentence, c);
		free(para);
		first = 0;
		if (!nl)
			break;
		p = nl + 1;
	}
}

