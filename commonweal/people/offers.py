"""Finding offers for a person through the directory app's search, which is built alongside this app.

The search is imported when it is called, so this app works (and says the search is not there yet)
before the directory lands. Only what matters to the person, their postcode and age go to the search;
it runs inside the platform and nothing leaves it.
"""

from collections.abc import Callable
from typing import Any

from django.apps import apps

from .models import Conversation, Person


def directory_search() -> Callable[..., list[Any]] | None:
    try:
        from commonweal.directory.search import find_offers
    except ImportError:
        return None
    return find_offers


def service_model() -> Any:
    try:
        return apps.get_model("directory", "Service")
    except LookupError:
        return None


def search_text(conversation: Conversation) -> str:
    parts = [conversation.what_matters, conversation.want_to_change, conversation.interests]
    return " ".join(p.strip() for p in parts if p and p.strip())


def offers_for(person: Person, conversation: Conversation, *, limit: int = 10) -> list[Any] | None:
    """Offers matching the conversation, nearest and best first; None when the directory has no search."""
    find = directory_search()
    if find is None:
        return None
    return find(person.place, search_text(conversation), postcode=person.postcode or None, age=person.age, limit=limit)
