"""The demo borough is built app by app: each app's `demo.py` has `build(context)`.

Apps run in INSTALLED_APPS order, so an app can use what the apps before it made (the place,
its districts and neighbourhoods, the demo users and organisations).
"""

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps

from commonweal.accounts.demo import DEMO_PASSWORD

__all__ = ["DEMO_PASSWORD", "DemoContext", "demo_builders"]


@dataclass
class DemoContext:
    """What the app builders share. `objects` holds what one app makes for the next ones."""

    seed: int = 2019
    open_data: Path | None = None
    place: Any = None
    objects: dict[str, Any] = field(default_factory=dict)
    sign_ins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, email, what to try)
    log: Callable[[str], None] = print


def demo_builders() -> list[tuple[str, Callable[[DemoContext], None]]]:
    builders = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.demo"
        if config.name.startswith("commonweal.") and importlib.util.find_spec(module_name):
            module = importlib.import_module(module_name)
            builders.append((config.label, module.build))
    return builders
