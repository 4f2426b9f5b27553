/*
 * render-markdown.h - a digest as a Markdown document.
 *
 *   # [bpf digest] week 2026-W15
 *
 *   <overview>
 *
 *   ## [<patch subject>](<lore link>)
 *
 *   <summary>
 *
 *   *<status: reviews, applied, superseded>*
 *
 *   ---
 *   Generated <ISO-8601 UTC>
 *
 * Mail text is escaped so that "*", "_", "[", "<" and the like in
 * subjects and summaries stay literal.
 */
#ifndef BPFDIGEST_RENDER_MARKDOWN_H
#define BPFDIGEST_RENDER_MARKDOWN_H

struct digest;
struct render_options;
struct strbuf;

void render_digest_markdown(struct strbuf *out, const struct digest *d,
			    const struct render_options *opts);
/* Append s as one line, Markdown's special characters escaped, controls made spaces. */
void render_markdown_escape(struct strbuf *out, const char *s);
/* Append s escaped when markdown is set, else as it is. */
void render_markdown_text(struct strbuf *out, const char *s, int markdown);

#endif
