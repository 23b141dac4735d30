"""Fixtures for the indicators engine tests: the PHEindicatormethods reference tables."""

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest


@pytest.fixture(scope="session")
def phe(reference: Callable[..., Path]) -> Callable[..., pd.DataFrame]:
    """Read a CSV from the shared PHEindicatormethods reference folder (never copied into the repo)."""

    def read(name: str, **options: object) -> pd.DataFrame:
        return pd.read_csv(reference("phe", name), **options)

    return read
