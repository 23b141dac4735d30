"""Full-text search on offers: FTS5 on SQLite, a generated tsvector with a GIN index on PostgreSQL.

Both are kept current by the database itself (triggers on SQLite, a generated column on
PostgreSQL), so every way of writing a service (services, importers, bulk loads) is indexed.
Note for later migrations: when Django's SQLite schema editor rebuilds `directory_service`
(an altered field), it drops the triggers; such a migration must run `SQLITE_FORWARD` again.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS directory_service_fts USING fts5("
    "name, search_text, content='directory_service', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS directory_service_fts_ai AFTER INSERT ON directory_service BEGIN "
    "INSERT INTO directory_service_fts(rowid, name, search_text) VALUES (new.id, new.name, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS directory_service_fts_ad AFTER DELETE ON directory_service BEGIN "
    "INSERT INTO directory_service_fts(directory_service_fts, rowid, name, search_text) "
    "VALUES ('delete', old.id, old.name, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS directory_service_fts_au AFTER UPDATE ON directory_service BEGIN "
    "INSERT INTO directory_service_fts(directory_service_fts, rowid, name, search_text) "
    "VALUES ('delete', old.id, old.name, old.search_text); "
    "INSERT INTO directory_service_fts(rowid, name, search_text) VALUES (new.id, new.name, new.search_text); END",
    "INSERT INTO directory_service_fts(directory_service_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS directory_service_fts_ai",
    "DROP TRIGGER IF EXISTS directory_service_fts_ad",
    "DROP TRIGGER IF EXISTS directory_service_fts_au",
    "DROP TABLE IF EXISTS directory_service_fts",
]
POSTGRESQL_FORWARD = [
    "ALTER TABLE directory_service ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english'::regconfig, coalesce(name, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(search_text, '')), 'B')) STORED",
    # fastupdate off: no pending list, so searches stay fast right after a bulk import.
    "CREATE INDEX directory_service_search_vector ON directory_service USING gin (search_vector) "
    "WITH (fastupdate = off)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS directory_service_search_vector",
    "ALTER TABLE directory_service DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_oruk_model")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        )
    ]
