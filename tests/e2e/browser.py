"""Steps the browser tests share: signing in through the real page, and giving the test place boundaries."""

import json

from django.urls import reverse

from commonweal.places.services import import_place_text

# A small square near Wigan; each test neighbourhood is one of three squares side by side.
RING = [[-2.63, 53.54], [-2.62, 53.54], [-2.62, 53.55], [-2.63, 53.55], [-2.63, 53.54]]


def sign_in(page, live_server, user):
    page.goto(live_server.url + reverse("accounts:sign_in"))
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill("pw-for-tests-1")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/")


def add_boundaries(place, codes=("E01006212", "E01006213", "E01006214")):
    features = [
        {
            "type": "Feature",
            "properties": {"lsoa11cd": code},
            "geometry": {"type": "Polygon", "coordinates": [[[x + i * 0.01, y] for x, y in RING]]},
        }
        for i, code in enumerate(codes)
    ]
    import_place_text(
        place, "boundaries", json.dumps({"type": "FeatureCollection", "features": features}), file="b", by=None
    )
    return place
