#include "unit.h"
#include "arena.h"
#include "cache.h"
#include "mail.h"
#include "strbuf.h"

#include <stdio.h>
#include <unistd.h>

static void test_hash_pieces(void **state)
{
	static const char text[] = "The quick brown fox jumps over the lazy dog, twice over.";
	size_t len = sizeof(text) - 1, a, b;
	uint64_t whole = cache_hash(text, len);

	/* Fed in any pieces, the hash is the same. */
	for (a = 0; a <= len; a++)
		for (b = a; b <= len; b += 3) {
			struct cache_hash ch;

			cache_hash_init(&ch);
			cache_hash_update(&ch, text, a);
			cache_hash_update(&ch, text + a, b - a);
			cache_hash_update(&ch, text + b, len - b);
			assert_true(cache_hash_final(&ch) == whole);
		}
	/* One changed bit, one byte less, or a zero byte more changes it. */
	{
		char copy[sizeof(text)];

		memcpy(copy, text, sizeof(text));
		copy[17] ^= 1;
		assert_true(cache_hash(copy, len) != whole);
		assert_true(cache_hash(text, len - 1) != whole);
		assert_true(cache_hash("", 0) != cache_hash("\0", 1));
	}
}

/* A mail with every fact set, and one with every optional one missing. */
static void make_mails(struct mail *full, struct mail *bare)
{
	static char *refs[] = { "a@x", "b@x" };
	static char *links[] = { "link@x" };
	static char *paths[] = { "kernel/bpf/verifier.c", "tools/lib/bpf/libbpf.c" };
	static struct mail_trailer trailers[] = {
		{ "Signed-off-by", "Jane <jane@example.org>", 1 },
		{ "Acked-by", "Joe <joe@example.org>", 0 },
	};
	static struct mail_applied applied[] = {
		{ "[bpf-next,v2,1/2] bpf: one", "https://git.kernel.org/bpf/bpf-next/c/0123456789ab" },
		{ "[bpf-next,v2,2/2] bpf: two", NULL },
	};

	memset(full, 0, sizeof(*full));
	full->mid = "full@example.org";
	full->in_reply_to = "b@x";
	full->refs = refs;
	full->refs_nr = 2;
	full->subject = "[PATCH bpf-next v2 1/2] bpf: one";
	full->from_name = "Jane Developer";
	full->from_email = "jane@example.org";
	full->author_name = "Joe Author";
	full->author_email = "joe@example.org";
	full->list_id = "bpf.vger.kernel.org";
	full->date = 1776124800;
	full->date_tz = -420;
	full->arrival = 1776124900;
	full->flags = MAIL_HAS_DATE | MAIL_HAS_DIFF | MAIL_HAS_BODY;
	full->trailers = trailers;
	full->trailers_nr = 2;
	full->change_id = "20260101-topic-abcdef";
	full->links = links;
	full->links_nr = 1;
	full->paths = paths;
	full->paths_nr = 2;
	full->applied_to = "bpf/bpf-next.git (master)";
	full->applied = applied;
	full->applied_nr = 2;
	full->text = "a body that is not stored";
	full->origin.epoch = 1;
	memset(full->origin.commit.id, 0xab, GIT_OID_RAWSZ);
	memset(full->origin.blob.id, 0xcd, GIT_OID_RAWSZ);
	full->origin.offset = 42;
	full->origin.length = 4242;

	memset(bare, 0, sizeof(*bare));
	bare->mid = "bare@example.org";
	bare->subject = "";
	bare->from_name = "";
	bare->from_email = "";
}

static void assert_strs_equal(char **a, size_t a_nr, char **b, size_t b_nr)
{
	size_t i;

	assert_int_equal(a_nr, b_nr);
	for (i = 0; i < a_nr; i++)
		assert_string_equal(a[i], b[i]);
}

static void assert_opt_equal(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

/* Equal facts; bodies are never stored. */
static void assert_facts_equal(const struct mail *a, const struct mail *b)
{
	size_t i;

	assert_string_equal(a->mid, b->mid);
	assert_opt_equal(a->in_reply_to, b->in_reply_to);
	assert_strs_equal(a->refs, a->refs_nr, b->refs, b->refs_nr);
	assert_string_equal(a->subject, b->subject);
	assert_string_equal(a->from_name, b->from_name);
	assert_string_equal(a->from_email, b->from_email);
	assert_opt_equal(a->author_name, b->author_name);
	assert_opt_equal(a->author_email, b->author_email);
	assert_opt_equal(a->list_id, b->list_id);
	assert_true(a->date == b->date);
	assert_int_equal(a->date_tz, b->date_tz);
	assert_true(a->arrival == b->arrival);
	assert_int_equal(a->flags & ~(unsigned)MAIL_HAS_BODY, b->flags);
	assert_int_equal(a->trailers_nr, b->trailers_nr);
	for (i = 0; i < a->trailers_nr; i++) {
		assert_string_equal(a->trailers[i].key, b->trailers[i].key);
		assert_string_equal(a->trailers[i].value, b->trailers[i].value);
		assert_int_equal(a->trailers[i].in_block, b->trailers[i].in_block);
	}
	assert_opt_equal(a->change_id, b->change_id);
	assert_strs_equal(a->links, a->links_nr, b->links, b->links_nr);
	assert_strs_equal(a->paths, a->paths_nr, b->paths, b->paths_nr);
	assert_opt_equal(a->applied_to, b->applied_to);
	assert_int_equal(a->applied_nr, b->applied_nr);
	for (i = 0; i < a->applied_nr; i++) {
		assert_string_equal(a->applied[i].subject, b->applied[i].subject);
		assert_opt_equal(a->applied[i].url, b->applied[i].url);
	}
	assert_null(b->text);
	assert_int_equal(a->origin.epoch, b->origin.epoch);
	assert_true(git_oid_equal(&a->origin.commit, &b->origin.commit));
	assert_true(git_oid_equal(&a->origin.blob, &b->origin.blob));
	assert_true(a->origin.offset == b->origin.offset);
	assert_true(a->origin.length == b->origin.length);
}

/* An index of two epochs, two mails and a removal, with every field set. */
struct fixture {
	struct mail full, bare, *mails[2];
	struct cache_epoch epochs[2];
	struct cache_removal removal;
	struct cache_index idx;
};

static void make_fixture(struct fixture *f)
{
	static const char *const names[] = { "cur/1.host:2,S", "", "new/3.host" };
	struct cache_index *idx = &f->idx;

	make_mails(&f->full, &f->bare);
	f->mails[0] = &f->full;
	f->mails[1] = &f->bare;
	memset(idx, 0, sizeof(*idx));
	idx->kind = INBOX_V2;
	idx->location = "/srv/lore/bpf";
	memset(f->epochs, 0, sizeof(f->epochs));
	f->epochs[0].name = "git/0.git";
	f->epochs[0].cursor.count = 50000;
	memset(f->epochs[0].cursor.commit.id, 0x11, GIT_OID_RAWSZ);
	f->epochs[0].broken = 3;
	f->epochs[1].name = "git/1.git";
	f->epochs[1].cursor.mtime = -5;
	f->epochs[1].cursor.size = 77;
	f->epochs[1].cursor.hash = 0xfeedfacecafebeefULL;
	f->epochs[1].names = names;
	f->epochs[1].names_nr = 3;
	idx->epochs = f->epochs;
	idx->epochs_nr = 2;
	idx->mails = f->mails;
	idx->mails_nr = 2;
	memset(f->removal.blob.id, 0x77, GIT_OID_RAWSZ);
	f->removal.epoch = 1;
	idx->removals = &f->removal;
	idx->removals_nr = 1;
}

static void test_roundtrip(void **state)
{
	struct fixture f;
	struct cache_index back;
	struct arena arena = ARENA_INIT;
	struct strbuf err = STRBUF_INIT;
	char *dir = unit_tmpdir(), *path = xstrfmt("%s/x.idx", dir);

	make_fixture(&f);
	assert_int_equal(cache_write(path, &f.idx, NULL), 0);
	assert_int_equal(cache_read(&back, &arena, path, &err), 0);
	assert_int_equal(back.kind, INBOX_V2);
	assert_string_equal(back.location, "/srv/lore/bpf");
	assert_int_equal(back.epochs_nr, 2);
	assert_string_equal(back.epochs[0].name, "git/0.git");
	assert_true(back.epochs[0].cursor.count == 50000);
	assert_true(git_oid_equal(&back.epochs[0].cursor.commit, &f.epochs[0].cursor.commit));
	assert_true(back.epochs[0].broken == 3);
	assert_true(back.epochs[1].cursor.mtime == -5);
	assert_true(back.epochs[1].cursor.size == 77);
	assert_true(back.epochs[1].cursor.hash == 0xfeedfacecafebeefULL);
	assert_int_equal(back.epochs[1].names_nr, 3);
	assert_string_equal(back.epochs[1].names[0], "cur/1.host:2,S");
	assert_string_equal(back.epochs[1].names[1], "");
	assert_int_equal(back.removals_nr, 1);
	assert_true(git_oid_equal(&back.removals[0].blob, &f.removal.blob));
	assert_int_equal(back.removals[0].epoch, 1);
	assert_int_equal(back.mails_nr, 2);
	assert_facts_equal(&f.full, back.mails[0]);
	assert_facts_equal(&f.bare, back.mails[1]);
	/* No temporary file is left behind. */
	{
		char *cmd = xstrfmt("test $(ls '%s' | wc -l) = 1", dir);

		assert_int_equal(system(cmd), 0);
		free(cmd);
	}
	arena_release(&arena);
	strbuf_release(&err);
	free(path);
	unit_rmtree(dir);
	free(dir);
}

/* An index extended with a mail reads back as the whole. */
static void test_extended(void **state)
{
	struct fixture f;
	struct mail third, *mails[1];
	struct cache_index old, idx, back;
	size_t first;
	struct arena arena = ARENA_INIT;
	struct strbuf err = STRBUF_INIT;
	char *dir = unit_tmpdir(), *path = xstrfmt("%s/x.idx", dir);

	make_fixture(&f);
	assert_int_equal(cache_write(path, &f.idx, NULL), 0);
	assert_int_equal(cache_read(&old, &arena, path, &err), 0);
	assert_int_equal(old.extensions, 0);
	first = old.strings_nr;
	/* After the old mails, one whose strings repeat some of theirs. */
	third = f.full;
	third.mid = "third@example.org";
	third.subject = "[PATCH bpf-next v2 2/2] bpf: two";
	mails[0] = &third;
	idx = f.idx;
	idx.mails = mails;
	idx.mails_nr = 1;
	f.epochs[0].cursor.count = 50001;
	assert_int_equal(cache_write_extended(path, &idx, &old, NULL), 0);
	assert_int_equal(cache_read(&back, &arena, path, &err), 0);
	assert_int_equal(back.extensions, 1);
	assert_int_equal(back.mails_nr, 3);
	assert_true(back.epochs[0].cursor.count == 50001);
	assert_facts_equal(&f.full, back.mails[0]);
	assert_facts_equal(&f.bare, back.mails[1]);
	assert_facts_equal(&third, back.mails[2]);
	/* The extension repeated the strings the third mail shares... */
	assert_true(back.strings_nr > first + 2);
	/* ...written whole again, each is stored once: two are new. */
	assert_int_equal(cache_write(path, &back, NULL), 0);
	assert_int_equal(cache_read(&old, &arena, path, &err), 0);
	assert_int_equal(old.extensions, 0);
	assert_int_equal(old.strings_nr, first + 2);
	assert_facts_equal(&third, old.mails[2]);
	arena_release(&arena);
	strbuf_release(&err);
	free(path);
	unit_rmtree(dir);
	free(dir);
}

/* Damage the file at path with a shell command; reading it must fail with why. */
static void assert_unusable(const char *path, const char *damage, const char *why)
{
	struct fixture f;
	struct cache_index back;
	struct arena arena = ARENA_INIT;
	struct strbuf err = STRBUF_INIT;
	char *cmd = xstrfmt(damage, path);

	make_fixture(&f);
	assert_int_equal(cache_write(path, &f.idx, NULL), 0);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(cache_read(&back, &arena, path, &err), -1);
	print_message("# %s: %s\n", damage, err.buf);
	assert_non_null(strstr(err.buf, why));
	assert_null(back.mails);
	arena_release(&arena);
	strbuf_release(&err);
	free(cmd);
}

static void test_damaged(void **state)
{
	char *dir = unit_tmpdir(), *path = xstrfmt("%s/x.idx", dir);
	struct cache_index back;
	struct arena arena = ARENA_INIT;
	struct strbuf err = STRBUF_INIT;

	/* A flipped byte in the middle, a cut, an appended byte, another version. */
	assert_unusable(path, "printf 'X' | dd of='%s' bs=1 seek=300 conv=notrunc 2>/dev/null",
			"checksum mismatch");
	assert_unusable(path, "truncate -s -10 '%s'", "truncated");
	assert_unusable(path, "truncate -s 20 '%s'", "truncated");
	assert_unusable(path, "printf 'x' >>'%s'", "trailing garbage");
	assert_unusable(path, "printf '\\077' | dd of='%s' bs=1 seek=16 conv=notrunc 2>/dev/null",
			"version 63, not");
	assert_unusable(path, "echo 'not an index at all, just some text' >'%s'", "not an index file");
	/* Missing is not an error. */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(cache_read(&back, &arena, path, &err), 1);
	assert_int_equal(err.len, 0);
	arena_release(&arena);
	strbuf_release(&err);
	free(path);
	unit_rmtree(dir);
	free(dir);
}

/*
 * Rewrite the index at path with payload (what follows the header) and a
 * header that fits it: same magic, version and byte order, new length
 * and checksum.
 */
static void rewrite_payload(const char *path, const struct strbuf *file, const char *payload,
			    size_t len)
{
	uint64_t len64 = len, hash = cache_hash(payload, len);
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	fwrite(file->buf, 1, 24, fp);
	fwrite(&len64, 1, 8, fp);
	fwrite(&hash, 1, 8, fp);
	fwrite(payload, 1, len, fp);
	assert_int_equal(fclose(fp), 0);
}

/*
 * Contents that pass the checksum but make no sense (an index written by
 * a broken build) are refused too, not trusted; so are the contents
 * written by another build, whose parser may have seen mail differently.
 */
static void test_malformed(void **state)
{
	static const unsigned char tails[][12] = {
		{ 0xff, 0xff, 0xff, 0x7f, 'x' },		/* a string longer than the file */
		{ 1, 0, 0, 0, 'x', 'y' },			/* a string without its NUL */
		{ 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f },	/* more strings than bytes */
	};
	struct fixture f;
	struct cache_index back;
	struct arena arena = ARENA_INIT;
	struct strbuf file = STRBUF_INIT, payload = STRBUF_INIT, err = STRBUF_INIT;
	char *dir = unit_tmpdir(), *path = xstrfmt("%s/x.idx", dir);
	uint32_t build_len;
	size_t i, keep;

	make_fixture(&f);
	assert_int_equal(cache_write(path, &f.idx, NULL), 0);
	unit_read_file(&file, path);
	/* The payload starts with the build's identity: keep it, break what follows. */
	memcpy(&build_len, file.buf + 40, 4);
	keep = 4 + build_len + 1;
	for (i = 0; i < ARRAY_SIZE(tails); i++) {
		strbuf_reset(&payload);
		strbuf_add(&payload, file.buf + 40, keep);
		strbuf_add(&payload, tails[i], sizeof(tails[i]));
		rewrite_payload(path, &file, payload.buf, payload.len);
		strbuf_reset(&err);
		assert_int_equal(cache_read(&back, &arena, path, &err), -1);
		assert_string_equal(err.buf, "malformed contents");
	}
	/* The whole index of another build. */
	strbuf_reset(&payload);
	strbuf_add(&payload, file.buf + 40, file.len - 40);
	assert_true(build_len > 0);
	payload.buf[4] = payload.buf[4] == '0' ? '1' : '0';
	rewrite_payload(path, &file, payload.buf, payload.len);
	strbuf_reset(&err);
	assert_int_equal(cache_read(&back, &arena, path, &err), -1);
	assert_string_equal(err.buf, "written by another build of git-bpfdigest");
	arena_release(&arena);
	strbuf_release(&file);
	strbuf_release(&payload);
	strbuf_release(&err);
	free(path);
	unit_rmtree(dir);
	free(dir);
}

static void test_unwritable(void **state)
{
	struct fixture f;

	make_fixture(&f);
	assert_int_equal(cache_write("/nonexistent/dir/x.idx", &f.idx, NULL), -1);
}

static void test_copy_mail(void **state)
{
	struct mail full, bare, *copy, *again;
	struct arena arena = ARENA_INIT;
	struct arena_pool pool = ARENA_POOL_INIT(&arena);
	char subject[] = "[PATCH] changes after the copy";

	make_mails(&full, &bare);
	full.subject = subject;
	copy = cache_copy_mail(&pool, &full);
	subject[1] = 'X';
	assert_string_equal(copy->subject, "[PATCH] changes after the copy");
	full.subject = copy->subject;
	assert_facts_equal(&full, copy);
	assert_ptr_not_equal(copy->refs, full.refs);
	assert_ptr_not_equal(copy->trailers, full.trailers);
	/* Strings are stored once: a second copy shares the first one's. */
	again = cache_copy_mail(&pool, &full);
	assert_ptr_equal(again->mid, copy->mid);
	assert_ptr_equal(again->trailers[1].value, copy->trailers[1].value);
	assert_ptr_equal(copy->in_reply_to, copy->refs[1]);
	copy = cache_copy_mail(&pool, &bare);
	assert_facts_equal(&bare, copy);
	assert_null(copy->refs);
	arena_pool_release(&pool);
	arena_release(&arena);
}

static void test_path(void **state)
{
	struct inbox a, b;
	char *pa, *pb;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.kind = b.kind = INBOX_V2;
	a.resolved = "/srv/lore/bpf";
	b.resolved = "/srv/lore/netdev";
	pa = cache_path("/cache", &a);
	pb = cache_path("/cache", &b);
	assert_true(!strncmp(pa, "/cache/inbox-", 13));
	assert_string_not_equal(pa, pb);
	free(pb);
	/* The kind is part of the name: an mbox and a maildir at one path differ. */
	b.resolved = a.resolved;
	b.kind = INBOX_MBOXRD;
	pb = cache_path("/cache", &b);
	assert_string_not_equal(pa, pb);
	free(pa);
	free(pb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_pieces),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_extended),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_unwritable),
		cmocka_unit_test(test_copy_mail),
		cmocka_unit_test(test_path),
	};
	return unit_run("cache", tests, ARRAY_SIZE(tests));
}
