/*
 * libjctdb_tdb.so: one libtdb call the daemon makes for every record it migrates, shaped so that
 * Java can call it cheaply.
 *
 * tdb_fetch returns its TDB_DATA by value, in two registers, which JNA can only read by building
 * a Structure through reflection (about 15 % of the daemon's CPU in a migration ring). This
 * function copies the record's value into a buffer the caller owns instead, through
 * tdb_parse_record (no malloc, no free), and returns plain integers.
 */
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <tdb.h>

struct copy_out {
	unsigned char *buf;
	size_t cap;
	size_t len;
};

static int copy_value(TDB_DATA key, TDB_DATA data, void *private_data)
{
	struct copy_out *out = private_data;

	(void)key;
	out->len = data.dsize;
	if (data.dsize > 0 && data.dsize <= out->cap) {
		memcpy(out->buf, data.dptr, data.dsize);
	}
	return 0;
}

/*
 * The value of KEY copied into BUF when it is at most CAP bytes long. Returns the value's length
 * (larger than CAP: nothing was copied, call again with a larger buffer), or -1 when the record
 * does not exist or libtdb failed (tdb_error tells which). Takes the chain's read lock as
 * tdb_fetch does (nothing more when the caller holds the chain lock).
 */
int64_t jctdb_tdb_fetch_into(struct tdb_context *tdb, unsigned char *kptr, size_t klen,
			     unsigned char *buf, size_t cap)
{
	TDB_DATA key = { .dptr = kptr, .dsize = klen };
	struct copy_out out = { .buf = buf, .cap = cap, .len = 0 };

	if (tdb_parse_record(tdb, key, copy_value, &out) != 0) {
		return -1;
	}
	return (int64_t)out.len;
}
