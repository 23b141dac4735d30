"""Load ONS4, the wellbeing instrument every place uses (Open Government Licence).

The definition is copied here, not imported, so this migration means the same thing forever.
"""

import json

from django.db import migrations

ONS4 = json.loads(
    r"""
{
    "code": "ons4",
    "name": "ONS personal wellbeing (ONS4)",
    "source": "Office for National Statistics, Personal well-being user guidance. Open Government Licence v3.0. Thresholds as published by the ONS.",
    "items": [
        {
            "code": "life_satisfaction",
            "text": "Overall, how satisfied are you with your life nowadays?",
            "min": 0,
            "max": 10,
            "higher_is_better": true,
            "bands": [
                {
                    "label": "Low",
                    "low": 0,
                    "high": 4
                },
                {
                    "label": "Medium",
                    "low": 5,
                    "high": 6
                },
                {
                    "label": "High",
                    "low": 7,
                    "high": 8
                },
                {
                    "label": "Very high",
                    "low": 9,
                    "high": 10
                }
            ]
        },
        {
            "code": "worthwhile",
            "text": "Overall, to what extent do you feel that the things you do in your life are worthwhile?",
            "min": 0,
            "max": 10,
            "higher_is_better": true,
            "bands": [
                {
                    "label": "Low",
                    "low": 0,
                    "high": 4
                },
                {
                    "label": "Medium",
                    "low": 5,
                    "high": 6
                },
                {
                    "label": "High",
                    "low": 7,
                    "high": 8
                },
                {
                    "label": "Very high",
                    "low": 9,
                    "high": 10
                }
            ]
        },
        {
            "code": "happiness",
            "text": "Overall, how happy did you feel yesterday?",
            "min": 0,
            "max": 10,
            "higher_is_better": true,
            "bands": [
                {
                    "label": "Low",
                    "low": 0,
                    "high": 4
                },
                {
                    "label": "Medium",
                    "low": 5,
                    "high": 6
                },
                {
                    "label": "High",
                    "low": 7,
                    "high": 8
                },
                {
                    "label": "Very high",
                    "low": 9,
                    "high": 10
                }
            ]
        },
        {
            "code": "anxiety",
            "text": "On a scale where 0 is 'not at all anxious' and 10 is 'completely anxious', overall, how anxious did you feel yesterday?",
            "min": 0,
            "max": 10,
            "higher_is_better": false,
            "bands": [
                {
                    "label": "Very low",
                    "low": 0,
                    "high": 1
                },
                {
                    "label": "Low",
                    "low": 2,
                    "high": 3
                },
                {
                    "label": "Medium",
                    "low": 4,
                    "high": 5
                },
                {
                    "label": "High",
                    "low": 6,
                    "high": 10
                }
            ]
        }
    ],
    "total_bands": []
}
"""
)


def load_ons4(apps, schema_editor):
    Instrument = apps.get_model("people", "Instrument")
    Instrument.objects.update_or_create(
        code=ONS4["code"],
        defaults={
            "name": ONS4["name"],
            "source": ONS4["source"],
            "items": ONS4["items"],
            "total_bands": ONS4["total_bands"],
        },
    )


def unload_ons4(apps, schema_editor):
    apps.get_model("people", "Instrument").objects.filter(code="ons4", responses=None).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_relational_practice")]
    operations = [migrations.RunPython(load_ons4, unload_ons4)]
