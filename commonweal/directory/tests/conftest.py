"""Directory fixtures: the sample ORUK export (read once), and places with some or all of it imported."""

import copy
import json

import pytest

from commonweal.directory.feeds import Feed, feed_from_json


@pytest.fixture(scope="session")
def sample_folder(reference):
    return reference("directory", "sample_directory", "services.json").parent


@pytest.fixture(scope="session")
def sample_json(sample_folder):
    return {
        name: json.loads((sample_folder / f"{name}.json").read_text(encoding="utf-8"))
        for name in ("services", "taxonomies", "taxonomy_terms")
    }


def sample_feed(sample_json, count=None, label="sample") -> Feed:
    """A fresh Feed of the first `count` sample services (deep-copied: tests may corrupt it)."""
    services = copy.deepcopy(sample_json["services"][:count])
    feed = feed_from_json(services, label=label)
    feed.taxonomies = copy.deepcopy(sample_json["taxonomies"])
    feed.taxonomy_terms = copy.deepcopy(sample_json["taxonomy_terms"])
    return feed


@pytest.fixture
def small_directory(place, sample_json):
    """The place with the first 40 sample services: fast enough for every test that needs some offers."""
    from commonweal.directory.services import import_oruk

    report = import_oruk(place, sample_feed(sample_json, 40), by=None)
    assert report.ok, report.rejected
    return place


@pytest.fixture
def full_directory(place, sample_json):
    from commonweal.directory.services import import_oruk

    report = import_oruk(place, sample_feed(sample_json), by=None)
    assert report.ok, report.rejected
    return place
