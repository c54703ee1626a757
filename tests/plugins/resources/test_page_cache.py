"""Resource hubs show on no cached page of core's: writing, reviewing and publishing retire none."""
from __future__ import annotations

from core.page_cache.versions import SITE


def site_version(app) -> tuple:
    return app.extensions["commonground.page_cache"].versions.read((SITE,))


def test_writing_and_publishing_a_resource_retires_no_cached_page(app, make_resource):
    before = site_version(app)
    make_resource(title="Debt advice near you")
    assert site_version(app) == before
