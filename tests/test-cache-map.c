#include "unit.h"
#include "arena.h"
#include "cache.h"
#include "mail.h"
#include "strbuf.h"

#include <stdio.h>
#include <unistd.h>

/*
 * An index of nr mails over two epochs: mail i is "m<i>@x" (but mail 3
 * repeats mail 1's Message-ID), with a subject long enough that many
 * mails fill several 64 KiB blocks, every third one a pw-bot notice and
 * two List-Ids.
 */
struct fixture {
	struct mail *mails, **ptrs;
	char **strs;
	size_t nr;
	struct cache_epoch epochs[2];
	struct mail_applied applied;
	struct cache_index idx;
};

static void make_fixture(struct fixture *f, size_t nr)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	f->nr = nr;
	f->mails = xcalloc(nr, sizeof(*f->mails));
	f->ptrs = xcalloc(nr, sizeof(*f->ptrs));
	f->strs = xcalloc(2 * nr, sizeof(*f->strs));
	f->applied.subject = "[bpf-next] bpf: one";
	for (i = 0; i < nr; i++) {
		struct mail *m = &f->mails[i];

		f->strs[2 * i] = xstrfmt("m%zu@x", i == 3 ? (size_t)1 : i);
		f->strs[2 * i + 1] = xstrfmt("[PATCH bpf-next %zu] bpf: a subject long enough "
					     "to fill blocks, number %zu of them", i, i);
		m->mid = f->strs[2 * i];
		m->subject = f->strs[2 * i + 1];
		m->from_name = "Jane";
		m->from_email = "jane@example.org";
		m->list_id = i % 4 ? "bpf.vger.kernel.org" : "netdev.vger.kernel.org";
		m->date = 1700000000 + (time_t)i * 60;
		m->arrival = m->date + 5;
		m->flags = MAIL_HAS_DATE | (i % 2 ? MAIL_HAS_DIFF : 0);
		if (i % 3 == 0) {
			m->applied = &f->applied;
			m->applied_nr = 1;
		}
		m->origin.epoch = (unsigned)(i / 1000 % 2);
		m->origin.offset = i;
		f->ptrs[i] = m;
	}
	f->epochs[0].name = "git/0.git";
	f->epochs[0].cursor.count = 7;
	f->epochs[1].name = "git/1.git";
	f->epochs[1].broken = 2;
	f->idx.kind = INBOX_V2;
	f->idx.location = "/srv/lore/bpf";
	f->idx.epochs = f->epochs;
	f->idx.epochs_nr = 2;
	f->idx.mails = f->ptrs;
	f->idx.mails_nr = nr;
}

static void free_fixture(struct fixture *f)
{
	size_t i;

	for (i = 0; i < 2 * f->nr; i++)
		free(f->strs[i]);
	free(f->strs);
	free(f->mails);
	free(f->ptrs);
}

static void assert_same_mail(const struct mail *a, const struct mail *b)
{
	assert_string_equal(a->mid, b->mid);
	assert_string_equal(a->subject, b->subject);
	assert_string_equal(a->list_id, b->list_id);
	assert_true(a->date == b->date);
	assert_true(a->arrival == b->arrival);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->applied_nr, b->applied_nr);
	assert_int_equal(a->origin.epoch, b->origin.epoch);
	assert_true(a->origin.offset == b->origin.offset);
}

/* Everything cache_open() and the record readers give matches what was written. */
static void check_map(const char *path, const struct fixture *f, uint64_t identity)
{
	struct cache_map *map;
	struct cache_index idx;
	struct arena arena = ARENA_INIT;
	struct strbuf err = STRBUF_INIT;
	const char **names;
	uint64_t *counts;
	size_t i, rec, notices = 0;

	assert_int_equal(cache_open(&map, &idx, &arena, path, &err), 0);
	assert_true(idx.identity == identity);
	assert_int_equal(idx.kind, INBOX_V2);
	assert_string_equal(idx.location, "/srv/lore/bpf");
	assert_int_equal(idx.epochs_nr, 2);
	assert_string_equal(idx.epochs[1].name, "git/1.git");
	assert_true(idx.epochs[0].cursor.count == 7);
	assert_true(idx.epochs[1].broken == 2);
	assert_null(idx.mails);
	assert_int_equal(idx.mails_nr, f->nr);
	/* Read from the last: each record on its own. */
	for (i = f->nr; i-- > 0;) {
		struct mail m, t;

		assert_int_equal(cache_map_mail(map, NULL, i, &m, &err), 0);
		assert_same_mail(&f->mails[i], &m);
		memset(&t, 0, sizeof(t));
		cache_map_times(map, i, &t);
		assert_true(t.date == f->mails[i].date && t.arrival == f->mails[i].arrival);
		assert_int_equal(t.flags, f->mails[i].flags);
		assert_int_equal(cache_map_is_repeat(map, i), i == 3);
		if (i != 3)
			notices += f->mails[i].applied_nr > 0;
	}
	assert_int_equal(cache_map_view(map), f->nr - 1);
	assert_int_equal(cache_map_notices(map), notices);
	/* The repeat is not counted; List-Ids by name. */
	assert_int_equal(cache_map_lists(map, &names, &counts), 2);
	assert_string_equal(names[0], "bpf.vger.kernel.org");
	assert_string_equal(names[1], "netdev.vger.kernel.org");
	assert_true(counts[0] + counts[1] == f->nr - 1);
	assert_true(counts[1] == (f->nr + 3) / 4);
	/* A Message-ID names its first mail; an unknown one none. */
	for (i = 0; i < f->nr; i++) {
		assert_int_equal(cache_map_find(map, f->mails[i].mid, &rec, &err), 1);
		assert_int_equal(rec, i == 3 ? 1 : i);
	}
	assert_int_equal(cache_map_find(map, "nobody@x", &rec, &err), 0);
	/* Its pages dropped, the map reads the same from the file again. */
	cache_map_drop_pages(map);
	for (i = 0; i < f->nr; i += 7) {
		struct mail m;

		assert_int_equal(cache_map_mail(map, NULL, i, &m, &err), 0);
		assert_same_mail(&f->mails[i], &m);
	}
	assert_string_equal(names[0], "bpf.vger.kernel.org");
	assert_int_equal(cache_map_mail(map, NULL, f->nr, &(struct mail){ 0 }, &err), -1);
	cache_map_close(map);
	arena_release(&arena);
	strbuf_release(&err);
}

static void test_mapped(void **state)
{
	struct fixture f;
	struct cache_index back;
	struct arena arena = ARENA_INIT;
	struct strbuf err = STRBUF_INIT;
	char *dir = unit_tmpdir(), *path = xstrfmt("%s/x.idx", dir);
	uint64_t identity = 0;

	(void)state;
	make_fixture(&f, 5);
	assert_int_equal(cache_write(path, &f.idx, &identity), 0);
	assert_true(identity != 0);
	check_map(path, &f, identity);
	/* The whole-file reader names it the same. */
	assert_int_equal(cache_read(&back, &arena, path, &err), 0);
	assert_true(back.identity == identity);
	arena_release(&arena);
	strbuf_release(&err);
	free_fixture(&f);
	unlink(path);
	free(path);
	unit_rmtree(dir);
	free(dir);
}

/* Extended a day at a time, each record is still found where the directory says. */
static void test_extended(void **state)
{
	struct fixture f, more;
	struct cache_index old;
	struct arena arena = ARENA_INIT;
	struct strbuf err = STRBUF_INIT;
	char *dir = unit_tmpdir(), *path = xstrfmt("%s/x.idx", dir);
	uint64_t first = 0, second = 0, third = 0, fourth = 0;
	struct cache_map *map;
	struct cache_index mapped;

	(void)state;
	make_fixture(&f, 3000);
	/* 2100 and 3000 mails: a Message-ID table of the same size, copied. */
	f.idx.mails_nr = 2100;
	assert_int_equal(cache_write(path, &f.idx, &first), 0);
	assert_int_equal(cache_read(&old, &arena, path, &err), 0);
	/* 900 new ones after the old mails. */
	make_fixture(&more, 3000);
	more.idx.mails = more.ptrs + 2100;
	more.idx.mails_nr = 900;
	assert_int_equal(cache_write_extended(path, &more.idx, &old, &second), 0);
	assert_true(first != second);
	check_map(path, &f, second);
	/* The same from the index mapped, not loaded: the same file. */
	assert_int_equal(cache_write(path, &f.idx, &first), 0);
	f.idx.mails_nr = 3000;
	assert_int_equal(cache_open(&map, &mapped, &arena, path, &err), 0);
	assert_int_equal(cache_write_extended(path, &more.idx, &mapped, &third), 0);
	cache_map_close(map);
	assert_true(third == second);
	check_map(path, &f, third);
	/* Grown past its Message-ID table: the table is made again, from the hashes. */
	assert_int_equal(cache_open(&map, &mapped, &arena, path, &err), 0);
	{
		struct fixture most;

		make_fixture(&most, 9000);
		most.idx.mails = most.ptrs + 3000;
		most.idx.mails_nr = 6000;
		assert_int_equal(cache_write_extended(path, &most.idx, &mapped, &fourth), 0);
		cache_map_close(map);
		check_map(path, &most, fourth);
		free_fixture(&most);
	}
	arena_release(&arena);
	strbuf_release(&err);
	free_fixture(&f);
	free_fixture(&more);
	unlink(path);
	free(path);
	unit_rmtree(dir);
	free(dir);
}

static void flip(const char *path, long at)
{
	FILE *fp = fopen(path, "r+b");
	int c;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, at, SEEK_SET), 0);
	c = fgetc(fp);
	assert_int_equal(fseek(fp, at, SEEK_SET), 0);
	fputc(c ^ 0x20, fp);
	assert_int_equal(fclose(fp), 0);
}

/*
 * Damage in a block is found by the read that meets it, and only then:
 * records in other blocks read before it.  Damage in the directory, a cut or
 * another version: the index cannot be opened.
 */
static void test_damaged(void **state)
{
	struct fixture f;
	struct cache_map *map;
	struct cache_index idx;
	struct arena arena = ARENA_INIT;
	struct strbuf err = STRBUF_INIT;
	char *dir = unit_tmpdir(), *path = xstrfmt("%s/x.idx", dir);
	char *cmd;
	struct mail m;

	(void)state;
	make_fixture(&f, 3000);
	assert_int_equal(cache_write(path, &f.idx, NULL), 0);
	/* 40 + 200 KiB: in a block of records well after the first. */
	flip(path, 40 + (200 << 10));
	assert_int_equal(cache_open(&map, &idx, &arena, path, &err), 0);
	assert_int_equal(cache_map_mail(map, NULL, 0, &m, &err), 0);
	assert_string_equal(m.mid, "m0@x");
	assert_int_equal(cache_map_mail(map, NULL, 2999, &m, &err), 0);
	assert_int_equal(err.len, 0);
	{
		size_t i;

		/* The records before the damage read; from there on the map is not trusted. */
		for (i = 0; i < 3000; i++)
			if (cache_map_mail(map, NULL, i, &m, &err) < 0)
				break;
		assert_true(i > 0 && i < 3000);
		assert_string_equal(err.buf, "checksum mismatch");
		assert_int_equal(cache_map_mail(map, NULL, 0, &m, &err), -1);
	}
	cache_map_close(map);
	/* The whole-file reader finds it at once. */
	strbuf_reset(&err);
	assert_int_equal(cache_read(&idx, &arena, path, &err), -1);
	assert_string_equal(err.buf, "checksum mismatch");

	/*
	 * The arrays of the directory (here its Message-ID table, before its
	 * short head) are checked as they are read, like the records.
	 */
	assert_int_equal(cache_write(path, &f.idx, NULL), 0);
	{
		FILE *fp = fopen(path, "rb");
		long size;
		size_t i, rec, bad = 0;

		assert_non_null(fp);
		fseek(fp, 0, SEEK_END);
		size = ftell(fp);
		fclose(fp);
		flip(path, size - (8 << 10));
		strbuf_reset(&err);
		assert_int_equal(cache_open(&map, &idx, &arena, path, &err), 0);
		for (i = 0; i < 3000; i++)
			bad += cache_map_find(map, f.mails[i].mid, &rec, &err) < 0;
		assert_true(bad > 0);
		assert_string_equal(err.buf + err.len - strlen("checksum mismatch"),
				    "checksum mismatch");
		cache_map_close(map);
	}

	/* The directory's head is at the end: damage there, and nothing opens. */
	assert_int_equal(cache_write(path, &f.idx, NULL), 0);
	{
		FILE *fp = fopen(path, "rb");
		long size;

		assert_non_null(fp);
		fseek(fp, 0, SEEK_END);
		size = ftell(fp);
		fclose(fp);
		flip(path, size - 100);
	}
	strbuf_reset(&err);
	assert_int_equal(cache_open(&map, &idx, &arena, path, &err), -1);
	assert_string_equal(err.buf, "checksum mismatch");
	assert_null(map);

	assert_int_equal(cache_write(path, &f.idx, NULL), 0);
	assert_int_equal(system(cmd = xstrfmt("truncate -s -8 '%s'", path)), 0);
	free(cmd);
	strbuf_reset(&err);
	assert_int_equal(cache_open(&map, &idx, &arena, path, &err), -1);
	assert_string_equal(err.buf, "truncated");

	assert_int_equal(cache_write(path, &f.idx, NULL), 0);
	flip(path, 16);
	strbuf_reset(&err);
	assert_int_equal(cache_open(&map, &idx, &arena, path, &err), -1);
	assert_non_null(strstr(err.buf, "version"));

	/* None, and something that is no index. */
	unlink(path);
	assert_int_equal(cache_open(&map, &idx, &arena, path, &err), 1);
	assert_int_equal(system(cmd = xstrfmt("echo 'no index here' >'%s'", path)), 0);
	free(cmd);
	strbuf_reset(&err);
	assert_int_equal(cache_open(&map, &idx, &arena, path, &err), -1);
	assert_string_equal(err.buf, "not an index file");
	arena_release(&arena);
	strbuf_release(&err);
	free_fixture(&f);
	unlink(path);
	free(path);
	unit_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mapped),
		cmocka_unit_test(test_extended),
		cmocka_unit_test(test_damaged),
	};
	return unit_run("cache-map", tests, ARRAY_SIZE(tests));
}
