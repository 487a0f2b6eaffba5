"""Text curators enter is shown as text on every page, never run as markup or script."""

import json
import re

import pytest

from claims.models import Claim, StanceValue, Status
from claims.services import set_stance
from sources.models import Article, Party

HOSTILE = 'Said <script>alert(1)</script> and </script><img src=x onerror=alert(2)> & "quoted"'


@pytest.fixture
def hostile_claim(deutsche_welle, incident_topic) -> Claim:
    article = Article.objects.create(
        slug="hostile-article",
        title="Title </script><script>alert(3)</script>",
        outlet=deutsche_welle,
        body=f"Before. {HOSTILE} After.",
        standfirst="<b>bold?</b>",
    )
    party = Party.objects.create(
        slug="hostile-party",
        name="Party <script>alert(4)</script>",
        side="<i>Side</i>",
        kind="person",
    )
    from .conftest import make_statement

    statement = make_statement(article, party, HOSTILE, speaker_label="</script>")
    claim = Claim.objects.create(
        slug="hostile-claim",
        text="Claim </script><script>alert(5)</script>",
        topic=incident_topic,
        status=Status.PUBLISHED,
        assessment="Assessment </script><!-- <script>",
        assessment_verdict="<b>False</b>",
    )
    set_stance(claim=claim, statement=statement, value=StanceValue.SUPPORTS, note="</script>")
    return claim


PAGES = [
    "/",
    "/claims/",
    "/claims/?q=script",
    "/claims/hostile-claim/",
    "/parties/",
    "/parties/hostile-party/",
    "/articles/",
    "/articles/hostile-article/",
    "/topics/farukh-parukh-incident-2022/",
]


@pytest.mark.parametrize("url", PAGES)
def test_hostile_text_is_escaped_on_every_page(client, hostile_claim, url):
    page = client.get(url).content.decode()
    assert "alert" in page, "the hostile text should be shown, as text"
    without_json_ld = re.sub(
        r'<script type="application/ld\+json">.*?</script>', "", page, flags=re.S
    )
    assert "<script" not in without_json_ld
    assert "onerror=alert" not in without_json_ld.replace("&lt;img src=x onerror=alert", "")
    assert "<b>" not in page and "<i>Side" not in page


def test_json_ld_cannot_be_closed_by_the_text_it_carries(client, hostile_claim):
    page = client.get("/claims/hostile-claim/").content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    assert "<" not in blocks[0] and ">" not in blocks[0]
    data = json.loads(blocks[0])
    assert data["@graph"][0]["text"] == "Claim </script><script>alert(5)</script>"
    assert data["@graph"][0]["author"]["name"] == "Party <script>alert(4)</script>"
    assert data["@graph"][1]["reviewBody"] == "Assessment </script><!-- <script>"
