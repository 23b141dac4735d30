"""Settings come from the environment, and malformed values stop the start-up with a reason."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.DATABASES['default']['ENGINE'], getattr(s, 'SECURE_HSTS_SECONDS', 0), s.SESSION_COOKIE_SECURE)"
)


def start(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("COMMONWEAL_") and k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "commonweal.settings", **env},
        check=False,
    )


def test_debug_mode_starts_on_sqlite_without_a_secret_key():
    result = start(COMMONWEAL_DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["True", "django.db.backends.sqlite3"]


def test_production_mode_needs_a_secret_key():
    result = start()
    assert result.returncode != 0
    assert "COMMONWEAL_SECRET_KEY" in result.stderr


def test_production_mode_turns_on_secure_cookies_and_hsts():
    result = start(COMMONWEAL_SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.db.backends.sqlite3", "31536000", "True"]


def test_the_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "key"
    secret.write_text("y" * 50)
    assert start(COMMONWEAL_SECRET_KEY_FILE=str(secret)).returncode == 0
    missing = start(COMMONWEAL_SECRET_KEY_FILE=str(tmp_path / "missing"))
    assert "cannot read" in missing.stderr


def test_database_url_selects_postgresql():
    result = start(COMMONWEAL_DEBUG="1", DATABASE_URL="postgres://u@127.0.0.1:5432/commonweal")
    assert result.stdout.split()[1] == "django.db.backends.postgresql"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"COMMONWEAL_DEBUG": "maybe"}, "COMMONWEAL_DEBUG must be true or false, not 'maybe'"),
        ({"COMMONWEAL_DEBUG": "1", "COMMONWEAL_HSTS_SECONDS": "1y"}, None),
        (
            {"COMMONWEAL_SECRET_KEY": "k", "COMMONWEAL_HSTS_SECONDS": "a year"},
            "COMMONWEAL_HSTS_SECONDS must be a whole",
        ),
        ({"COMMONWEAL_DEBUG": "1", "DATABASE_URL": "nonsense://x"}, "DATABASE_URL is malformed"),
        ({"COMMONWEAL_DEBUG": "1", "COMMONWEAL_SUPPRESSION_THRESHOLD": "ten"}, "SUPPRESSION_THRESHOLD must be"),
    ],
)
def test_malformed_values_fail_at_start_with_the_variable_named(env, message):
    result = start(**env)
    if message is None:  # HSTS is read only outside debug, so a bad value there is harmless in debug
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode != 0
        assert message in result.stderr
