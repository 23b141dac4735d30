"""What the Django benchmarks share: settings for a throwaway database, and emptying it.

Each benchmark calls `setup("name")` before importing app code; the database is a SQLite file in /tmp
unless DATABASE_URL points elsewhere (e.g. PostgreSQL).
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(name: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonweal.settings")
    os.environ.setdefault("COMMONWEAL_DEBUG", "true")
    os.environ.setdefault("DATABASE_URL", f"sqlite:////tmp/commonweal_bench_{name}.sqlite3")
    import django

    django.setup()


def reset_database() -> None:
    """An empty, migrated database: the SQLite file removed, or PostgreSQL flushed."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
