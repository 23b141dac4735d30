"""Wellbeing instruments as data: their shape, banding of answers, and change between two responses.

ONS4 (Office for National Statistics personal wellbeing) is four questions answered 0-10 and
reported one by one, never added up. The ONS thresholds band each answer; for anxiety a lower
answer is better. Other instruments (SWEMWBS where a council holds the licence) are loaded from a
JSON file of the same shape with `manage.py load_wellbeing_instrument`.
"""

from typing import Any

ONS4: dict[str, Any] = {
    "code": "ons4",
    "name": "ONS personal wellbeing (ONS4)",
    "source": (
        "Office for National Statistics, Personal well-being user guidance. Open Government Licence v3.0. "
        "Thresholds as published by the ONS."
    ),
    "items": [
        {
            "code": "life_satisfaction",
            "text": "Overall, how satisfied are you with your life nowadays?",
            "min": 0,
            "max": 10,
            "higher_is_better": True,
            "bands": [
                {"label": "Low", "low": 0, "high": 4},
                {"label": "Medium", "low": 5, "high": 6},
                {"label": "High", "low": 7, "high": 8},
                {"label": "Very high", "low": 9, "high": 10},
            ],
        },
        {
            "code": "worthwhile",
            "text": "Overall, to what extent do you feel that the things you do in your life are worthwhile?",
            "min": 0,
            "max": 10,
            "higher_is_better": True,
            "bands": [
                {"label": "Low", "low": 0, "high": 4},
                {"label": "Medium", "low": 5, "high": 6},
                {"label": "High", "low": 7, "high": 8},
                {"label": "Very high", "low": 9, "high": 10},
            ],
        },
        {
            "code": "happiness",
            "text": "Overall, how happy did you feel yesterday?",
            "min": 0,
            "max": 10,
            "higher_is_better": True,
            "bands": [
                {"label": "Low", "low": 0, "high": 4},
                {"label": "Medium", "low": 5, "high": 6},
                {"label": "High", "low": 7, "high": 8},
                {"label": "Very high", "low": 9, "high": 10},
            ],
        },
        {
            "code": "anxiety",
            "text": "On a scale where 0 is 'not at all anxious' and 10 is 'completely anxious', "
            "overall, how anxious did you feel yesterday?",
            "min": 0,
            "max": 10,
            "higher_is_better": False,
            "bands": [
                {"label": "Very low", "low": 0, "high": 1},
                {"label": "Low", "low": 2, "high": 3},
                {"label": "Medium", "low": 4, "high": 5},
                {"label": "High", "low": 6, "high": 10},
            ],
        },
    ],
    "total_bands": [],
}

_BANDS = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["label", "low", "high"],
        "properties": {"label": {"type": "string"}, "low": {"type": "number"}, "high": {"type": "number"}},
    },
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["code", "name", "items"],
    "properties": {
        "code": {"type": "string", "pattern": "^[a-z0-9_-]{1,30}$"},
        "name": {"type": "string", "minLength": 1},
        "source": {"type": "string"},
        "items": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code", "text", "min", "max", "higher_is_better"],
                "properties": {
                    "code": {"type": "string", "pattern": "^[a-z0-9_]{1,40}$"},
                    "text": {"type": "string", "minLength": 1},
                    "min": {"type": "integer"},
                    "max": {"type": "integer"},
                    "higher_is_better": {"type": "boolean"},
                    "bands": _BANDS,
                },
            },
        },
        "total_bands": _BANDS,
    },
}


class InstrumentError(ValueError):
    """An instrument definition or a set of answers that cannot be used, with a message saying why."""


def check_definition(definition: dict[str, Any]) -> None:
    """Raise InstrumentError unless the definition has the documented shape and its bands cover each range.

    >>> check_definition(ONS4)
    """
    # Imported here: only loading an instrument needs it, and every page would pay its import at start-up.
    import jsonschema

    try:
        jsonschema.validate(definition, SCHEMA)
    except jsonschema.ValidationError as error:
        path = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise InstrumentError(f"{path}: {error.message}") from None
    for item in definition["items"]:
        if item["min"] >= item["max"]:
            raise InstrumentError(f"{item['code']}: min must be below max")
        covered = sorted((b["low"], b["high"]) for b in item.get("bands", []))
        if covered and (covered[0][0] != item["min"] or covered[-1][1] != item["max"]):
            raise InstrumentError(f"{item['code']}: the bands must run from {item['min']} to {item['max']}")


def check_scores(items: list[dict[str, Any]], scores: dict[str, Any]) -> dict[str, int]:
    """The answers as whole numbers, or InstrumentError naming the first bad one.

    >>> check_scores(ONS4["items"], {"life_satisfaction": 7, "worthwhile": "8", "happiness": 6, "anxiety": 2})
    {'life_satisfaction': 7, 'worthwhile': 8, 'happiness': 6, 'anxiety': 2}
    """
    clean = {}
    for item in items:
        raw = scores.get(item["code"])
        try:
            value = int(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise InstrumentError(f"{item['code']}: answer with a whole number") from None
        if not item["min"] <= value <= item["max"]:
            raise InstrumentError(f"{item['code']}: answer from {item['min']} to {item['max']}")
        clean[item["code"]] = value
    return clean


def band(item: dict[str, Any], value: float) -> str:
    """The threshold band of one answer.

    >>> [band(ONS4["items"][0], v) for v in (4, 5, 8, 9)]
    ['Low', 'Medium', 'High', 'Very high']
    >>> [band(ONS4["items"][3], v) for v in (1, 2, 5, 6)]
    ['Very low', 'Low', 'Medium', 'High']
    """
    for b in item.get("bands", []):
        if b["low"] <= value <= b["high"]:
            return str(b["label"])
    return ""


def direction(item: dict[str, Any], before: float, after: float) -> str:
    """'better', 'worse' or 'same', knowing whether a higher answer is better for this item.

    >>> direction(ONS4["items"][3], 7, 3)
    'better'
    """
    if after == before:
        return "same"
    improved = after > before if item["higher_is_better"] else after < before
    return "better" if improved else "worse"
