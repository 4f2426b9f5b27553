/*
 * msgindex.h - which messages a period's series assembly needs.
 *
 * series_build() joins two messages only through facts both carry: a
 * thread (In-Reply-To, References), b4's change-id, a normalised title
 * (revision and patch titles), a lore link in a cover ("Link to v1"),
 * or, unthreaded, the same sender and version close in time.  The
 * "component" of a message is the union of everything it can be joined
 * to that way.  A period needs every message of every component that
 * has a message posted in it (mail_period_time()); assembling only
 * those gives the same series for the period as assembling the whole
 * archive.  pw-bot notices answer the patches they name, so they are in
 * their component through the thread.
 *
 * Titles are joined whatever the sender: chain_by_title() bounds its
 * candidates by count across senders, so leaving another sender's
 * same-title revision out could let a different candidate in.  They
 * are not joined across more than SERIES_REROLL_WINDOW, which
 * chain_by_title() never looks past: on a list of many years, one
 * recurring title does not make the years one component.
 *
 * The components are joined from the whole archive once, and kept
 * beside its index; a digest then reads only the selected messages.
 */
#ifndef BPFDIGEST_MSGINDEX_H
#define BPFDIGEST_MSGINDEX_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct mail;

/* Unthreaded postings of one sender and version this close are joined. */
#define MSGINDEX_UNTHREADED_WINDOW (24 * 60 * 60)

/*
 * The component of each of mails[] (archive order) into comp[]: the
 * index of the component's first message, so equal numbers mean one
 * component.  Returns the number of components.
 */
size_t msgindex_components(struct mail *const *mails, size_t nr, uint32_t *comp);

/*
 * The same a message at a time, so that the messages need not all be in
 * memory at once: new() for nr messages, add() each in archive order
 * (m is not kept), finish() gives the components into comp[] (NULL to
 * give up) and frees the builder.
 */
struct msgindex_builder;
struct msgindex_builder *msgindex_builder_new(size_t nr);
void msgindex_builder_add(struct msgindex_builder *b, const struct mail *m);
size_t msgindex_builder_finish(struct msgindex_builder *b, uint32_t *comp);

/*
 * Kept beside the components (archive_index_path() + ".facts"): what
 * each message was joined by, hashed.  When the index has grown since
 * (archive_extends()), the builder is given the old messages from here
 * and reads only the new ones.
 *
 * keep_facts() before any add(): the builder keeps what each message
 * is joined by, for facts_write() (before finish()) to save under the
 * index's identity.  facts_peek() says which identity and how many
 * messages a file has (0, or MSGINDEX_STALE); builder_resume() gives
 * them to a new builder: 0, MSGINDEX_STALE or MSGINDEX_DAMAGED (the
 * builder then untouched).
 */
void msgindex_builder_keep_facts(struct msgindex_builder *b);
int msgindex_facts_write(const char *path, const struct msgindex_builder *b, uint64_t identity);
int msgindex_facts_peek(const char *path, uint64_t *identity, size_t *nr);
int msgindex_builder_resume(struct msgindex_builder *b, const char *path, uint64_t identity,
			    size_t nr);

/*
 * The messages of every component with a message posted in [start, end),
 * in two steps, so that the times can come a part at a time: mark in
 * want[] (a byte per message, zeroed) the components of the n messages
 * of comp[] (a part of the archive's) posted then by when[]
 * (mail_period_time()) or by date[] (Date:, which the queue reads;
 * archive_times() gives both); then select every message of a marked
 * component, in archive order, into sel[] (room for nr): how many.
 */
void msgindex_mark_period(unsigned char *want, const uint32_t *comp, const time_t *when,
			  const time_t *date, size_t n, time_t start, time_t end);
size_t msgindex_select_marked(const unsigned char *want, const uint32_t *comp, size_t nr,
			      uint32_t *sel);

/*
 * The messages of the components of which[] (indexes into the archive),
 * in archive order, into sel[] (room for nr).  Returns how many.
 */
size_t msgindex_select_messages(const uint32_t *comp, size_t nr, const uint32_t *which,
				size_t which_nr, uint32_t *sel);

/*
 * On disk.  The components of an archive are kept next to its index
 * (archive_index_path() + ".comp"), under a key made of the index's
 * identity (archive_identity(): the checksum of everything in it) and
 * the build: a run on the same archive reads them instead of joining
 * every message again.  The file is written aside and renamed.
 */

/* The key of the archive whose index has this identity. */
uint64_t msgindex_key(uint64_t identity);

#define MSGINDEX_STALE (-1)	/* no file, or one of another key, size or version */
#define MSGINDEX_DAMAGED (-2)	/* a file that cannot be what msgindex_write() wrote */

/*
 * Read the components of nr messages of key from path into comp[].
 * Returns 0, MSGINDEX_STALE or MSGINDEX_DAMAGED (comp[] then undefined;
 * the caller computes them and writes the file again).
 */
int msgindex_read(const char *path, uint64_t key, uint32_t *comp, size_t nr);
/* Write them.  Returns 0, or -1 after an error (reported). */
int msgindex_write(const char *path, uint64_t key, const uint32_t *comp, size_t nr);

#endif
