"""Sitemaps and feeds go without a Content-Security-Policy, which would garble the browser's own
XML viewer; every other answer keeps the site's policy."""

import pytest

from .sites import Site

XML = ["/sitemap.xml", "/sitemap-pages.xml", "/feeds/claims/", "/feeds/topics/{topic.slug}/"]
OTHERS = ["/", "/claims/{contested_claim.slug}/", "/api/v1/claims/", "/robots.txt"]


@pytest.mark.parametrize("url", XML)
def test_xml_answers_carry_no_content_security_policy_cached_or_not(client, site: Site, url):
    url = url.format_map(vars(site))
    answers = [client.get(url), client.get(url)]
    assert [answer["X-Cache"] for answer in answers] == ["miss", "hit"]
    for answer in answers:
        assert "xml" in answer["Content-Type"]
        assert "Content-Security-Policy" not in answer
        assert answer["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("url", OTHERS)
def test_other_answers_keep_the_policy(client, site: Site, url):
    response = client.get(url.format_map(vars(site)))
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
