/* The DNS-01 journal: which TXT records a plugin is about to add, kept
 * durably in <work-dir>/dns-01/<plugin>.json so that records left behind
 * by a run that was killed (kill -9, power loss) can be deleted by the
 * next run of the same plugin.
 *
 * Every change rewrites the file atomically (temp file, fsync, rename,
 * fsync of the directory): the entry is on disk before add_txt runs.
 * The directory is 0700 and the file 0600; an empty journal has no file.
 *
 * File format (JSON): {"records": [{"domain": "example.com",
 *   "name": "_acme-challenge.example.com", "value": "...",
 *   "time": 1700000000}, ...]}
 *
 * Ownership: dns_journal_open returns a journal the caller frees with
 * dns_journal_free (NULL-safe); entry strings are owned by the journal
 * and borrowed until the entry is removed or the journal freed. */
#ifndef CB_DNS_JOURNAL_H
#define CB_DNS_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct dns_journal_entry {
    char *domain;
    char *name;
    char *value;
    int64_t time;      /* seconds since the epoch when it was recorded */
};

struct dns_journal;

/* Load (or start) the journal of plugin under work_dir; creates
 * <work_dir>/dns-01 with mode 0700.  An unreadable or corrupt file is
 * logged and set aside as <file>.corrupt, and the journal starts empty. */
int dns_journal_open(const char *work_dir, const char *plugin,
                     struct dns_journal **out, struct cb_err *err);
void dns_journal_free(struct dns_journal *j);

size_t dns_journal_count(const struct dns_journal *j);
/* Borrowed; i < count. */
const struct dns_journal_entry *dns_journal_get(const struct dns_journal *j,
                                                size_t i);
/* The file's path (borrowed until free). */
const char *dns_journal_path(const struct dns_journal *j);

/* Append an entry and write the journal durably before returning. */
int dns_journal_add(struct dns_journal *j, const char *domain,
                    const char *name, const char *value, struct cb_err *err);
/* Remove the first entry with this name and value (none: CB_OK) and
 * write the journal durably. */
int dns_journal_remove(struct dns_journal *j, const char *name,
                       const char *value, struct cb_err *err);

#endif
