"""Fixtures shared by every test: reference data, hostile strings and the personas."""

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings

# Names and free text in tests carry markup, Welsh diacritics and emoji, so every page test also checks escaping.
HOSTILE = "<script>alert('pwned')</script> Siân Llŷr-Ŵyn 🌈 & \"Bethan\""


@pytest.fixture(scope="session")
def reference() -> Callable[..., Path]:
    """Return the path of a file in the shared reference data (`COMMONWEAL_REFERENCE_DATA`).

    Where the data is missing (a stranger's fresh clone) the test skips, saying what it needs;
    in CI (`CI=true`) missing reference data is a failure.
    """

    def find(*parts: str) -> Path:
        path = Path(settings.COMMONWEAL_REFERENCE_DATA).joinpath(*parts)
        if not path.exists():
            message = (
                f"needs reference data {path} (set COMMONWEAL_REFERENCE_DATA to the shared/data folder "
                "that sits beside the checkout; see its SOURCES.md files for where each file comes from)"
            )
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(message)
            pytest.skip(message)
        return path

    return find


@pytest.fixture(scope="session")
def hostile() -> str:
    return HOSTILE
