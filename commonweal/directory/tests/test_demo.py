"""The directory's part of the demo borough."""

from commonweal.demo.registry import DemoContext
from commonweal.directory import demo
from commonweal.directory.models import OfferChange, Service


def test_the_demo_imports_the_sample_and_leaves_one_proposal_waiting(
    place, organisations, provider, administrator, reference
):
    reference("directory", "sample_directory", "services.json")
    logged = []
    context = DemoContext(place=place, log=logged.append)
    context.objects.update({"users": {"provider": provider, "admin": administrator}, "vcse": [organisations["vcse"]]})
    demo.build(context)
    assert Service.objects.filter(place=place).count() == 403  # the sample and the provider's published offer
    assert OfferChange.objects.filter(status="pending").count() == 1
    assert "0 rejected" in logged[0]
