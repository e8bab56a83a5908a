"""Faster end of every transactional test on PostgreSQL (live_server, real workers, SSO...).

Django empties the database after such a test with `flush`, which on PostgreSQL is one TRUNCATE
of every table (~300 with this project's apps): seconds per test on a busy machine, because
TRUNCATE makes a new file for each table and index. A DELETE of each table takes milliseconds
when, as after a test, the tables hold a handful of rows. The foreign keys Django creates on
PostgreSQL are DEFERRABLE INITIALLY DEFERRED, so the order of the DELETEs does not matter inside
flush's transaction; the project has no triggers (a DELETE would fire them, a TRUNCATE not).
Flushes that must also reset sequences or cascade beyond the listed tables keep the TRUNCATE.
"""

try:
    from django.db.backends.postgresql.operations import DatabaseOperations
except ImportError:  # psycopg missing: the SQLite run, nothing to speed up
    DatabaseOperations = None

if DatabaseOperations is not None:
    _truncate = DatabaseOperations.sql_flush

    def _delete_each_table(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or allow_cascade:
            return _truncate(self, style, tables, reset_sequences=reset_sequences,
                             allow_cascade=allow_cascade)
        return ["SET CONSTRAINTS ALL DEFERRED",
                *(f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(t))}"
                  for t in tables)]

    DatabaseOperations.sql_flush = _delete_each_table
