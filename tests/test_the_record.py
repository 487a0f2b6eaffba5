"""The record holds: every version of an article's text is captured; quoted words never change
behind a reader's back; corrections are append-only; old addresses lead to new ones."""

import re
import xml.etree.ElementTree as ET

import pytest
import reversion
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils.html import strip_tags
from reversion.models import Version

from claims.models import AnchorStatus, Claim, Correction, Statement
from claims.services import save_article
from sources.models import Article, ArticleKind, Capture, sha256_of

from .conftest import BODY, form_data

ZONE_PAGE = "/claims/azerbaijani-troops-entered-peacekeeping-zone/"


def visible_text(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


def article_url(article: Article) -> str:
    return reverse("admin:sources_article_change", args=[article.pk])


def statement_url(statement: Statement) -> str:
    return reverse("admin:claims_statement_change", args=[statement.pk])


def edit_body(article: Article, old: str, new: str) -> None:
    article.body = article.body.replace(old, new)
    save_article(article=article)


# Captures


def test_every_version_of_the_body_is_a_capture_with_its_sha256(article, editor):
    first = article.capture
    assert first.text == BODY and first.sha256 == sha256_of(BODY)
    article.body = BODY + "\n\nA later paragraph."
    save_article(article=article, captured_by=editor)
    article.refresh_from_db()
    assert article.capture != first
    assert article.capture.captured_by == editor
    assert article.capture.sha256 == sha256_of(article.body)
    assert list(article.captures.all()) == [article.capture, first]


def test_saving_an_unchanged_body_makes_no_capture(article):
    article.title = "A new headline"
    save_article(article=article)
    assert article.captures.count() == 1


def test_a_capture_is_never_changed_nor_deleted(article):
    capture = article.capture
    capture.archive_url = "https://web.archive.org/web/2022/https://example.org/a"
    capture.save()  # a missing archive address may be given once
    capture.text = "Something else"
    capture.archive_url = "https://perma.cc/ABCD-1234"
    with pytest.raises(ValidationError):
        capture.save()
    with pytest.raises(ValidationError):
        capture.delete()
    capture.refresh_from_db()
    assert capture.text == BODY and capture.archive_url.startswith("https://web.archive.org/")


@pytest.mark.parametrize(
    "address", ["javascript:alert(1)", "ftp://example.org/x", "data:text/html,x", "not a url"]
)
def test_only_web_addresses_are_accepted_as_archive_addresses(editor_client, article, address):
    data = form_data(editor_client.get(article_url(article)))
    data["archive_url"] = address
    response = editor_client.post(article_url(article), data)
    assert response.status_code == 200
    assert "archive_url" in response.context["adminform"].form.errors
    article.capture.refresh_from_db()
    assert article.capture.archive_url == ""


def test_a_curator_records_the_archive_address_of_the_current_text_once(curator_client, article):
    data = form_data(curator_client.get(article_url(article)))
    data["archive_url"] = "https://web.archive.org/web/20220326/https://example.org/story"
    assert curator_client.post(article_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.capture.archive_url.endswith("/story")
    data = form_data(curator_client.get(article_url(article)))
    data["archive_url"] = "https://perma.cc/ABCD-1234"
    response = curator_client.post(article_url(article), data)
    assert "already has its archive address" in visible_text(response)
    article.capture.refresh_from_db()
    assert article.capture.archive_url.endswith("/story")


def test_the_article_page_shows_the_kind_the_capture_and_links_to_earlier_ones(
    client, article, disputed_zone_claim
):
    first = article.capture
    edit_body(article, "Russia on Saturday claimed", "Russia on Saturday said")
    page = client.get(article.get_absolute_url())
    text = visible_text(page)
    assert "News report" in text
    assert f"SHA-256 {article.capture.sha256[:12]}" in text
    earlier = reverse("publishing:capture_detail", args=[article.slug, first.sha256])
    assert f'href="{earlier}"' in page.content.decode()
    capture_page = client.get(earlier)
    assert capture_page.status_code == 200
    assert "Russia on Saturday claimed" in visible_text(capture_page)
    assert first.sha256 in visible_text(capture_page)


def test_a_capture_of_another_article_or_an_unknown_hash_is_not_found(
    client, article, disputed_zone_claim
):
    url = reverse("publishing:capture_detail", args=[article.slug, "0" * 64])
    assert client.get(url).status_code == 404


def test_an_article_with_statements_cannot_be_deleted(article, russian_statement):
    with pytest.raises(ProtectedError):
        article.delete()
    assert Capture.objects.filter(article=article).exists()


# Quoted words are fixed


def test_an_edited_body_never_rewrites_a_published_statement(
    client, article, russian_mod, zone_claim
):
    from claims.services import create_statement, set_stance

    statement = create_statement(
        article=article,
        party=russian_mod,
        text="soldiers from Azerbaijan have entered a zone",
        mode="paraphrase",
        speaker_label="Russia",
    )
    set_stance(statement=statement, claim=zone_claim, value="supports")
    taken_from = statement.capture
    edit_body(article, "have entered a zone", "have entered an area")
    statement.refresh_from_db()
    assert statement.text == "soldiers from Azerbaijan have entered a zone"
    assert statement.anchor_status == AnchorStatus.LOST
    assert statement.capture == taken_from
    page = visible_text(client.get(ZONE_PAGE))
    assert "soldiers from Azerbaijan have entered a zone" in page
    assert "an area" not in page
    assert (
        f"These words are from the article as captured on {taken_from.captured_at:%-d %B %Y}; "
        "the current text no longer has them." in page
    )
    capture_link = reverse("publishing:capture_detail", args=[article.slug, taken_from.sha256])
    assert f'href="{capture_link}#{statement.html_id}"' in client.get(ZONE_PAGE).content.decode()
    api = client.get(f"/api/v1/statements/{statement.pk}/").json()
    assert api["text"] == "soldiers from Azerbaijan have entered a zone"
    assert api["found_in_current_text"] is False
    assert api["capture"]["sha256"] == taken_from.sha256


def test_words_found_again_get_new_offsets_and_nothing_else(article, russian_statement):
    before = russian_statement.text
    edit_body(article, "Russia on Saturday", "A new opening.\n\nRussia on Saturday")
    russian_statement.refresh_from_db()
    assert russian_statement.text == before
    assert russian_statement.anchor_status == AnchorStatus.ANCHORED
    assert article.body[russian_statement.start : russian_statement.end] == before


def test_a_typographic_paste_is_found_and_stored_with_the_bodys_characters(
    curator_client, article, russian_mod
):
    data = form_data(curator_client.get(article_url(article)))
    data.update(
        {
            "statements-0-party": str(russian_mod.pk),
            "statements-0-speaker_label": "Russia",
            "statements-0-text": "zone that is the responsibility of Moscow\u2019s peacekeepers",
            "statements-0-mode": "paraphrase",
        }
    )
    assert curator_client.post(article_url(article), data).status_code == 302
    assert Statement.objects.get().text == (
        "zone that is the responsibility of Moscow's peacekeepers"
    )


def test_a_near_miss_is_refused_showing_the_nearest_passage(curator_client, article, russian_mod):
    data = form_data(curator_client.get(article_url(article)))
    data.update(
        {
            "statements-0-party": str(russian_mod.pk),
            "statements-0-speaker_label": "Russia",
            "statements-0-text": "soldiers from Azerbaijan have entered a region",
            "statements-0-mode": "paraphrase",
        }
    )
    response = curator_client.post(article_url(article), data)
    assert response.status_code == 200
    text = visible_text(response)
    assert "The nearest passage is" in text
    assert "the body has “zone” where you pasted “region”" in text
    assert not Statement.objects.exists()


def change_words(client, statement: Statement, words: str, correction: str = ""):
    data = form_data(client.get(statement_url(statement)))
    data["text"], data["correction"] = words, correction
    return client.post(statement_url(statement), data)


def test_a_curator_cannot_change_the_words_of_a_statement_on_a_published_claim(
    curator_client, disputed_zone_claim, russian_statement
):
    response = change_words(curator_client, russian_statement, "Russia on Saturday claimed")
    assert response.status_code == 200
    assert "Only an Editor can change the words" in visible_text(response)
    russian_statement.refresh_from_db()
    assert russian_statement.text.endswith("have entered a zone")


def test_an_editor_changes_published_words_only_with_a_dated_public_correction(
    client, editor_client, editor, disputed_zone_claim, russian_statement
):
    without = change_words(editor_client, russian_statement, "Russia on Saturday claimed")
    assert "Say why the words changed" in visible_text(without)
    assert not Correction.objects.exists()
    with_note = change_words(
        editor_client, russian_statement, "Russia on Saturday claimed", "The span was too long."
    )
    assert with_note.status_code == 302
    russian_statement.refresh_from_db()
    assert russian_statement.text == "Russia on Saturday claimed"
    [correction] = Correction.objects.all()
    assert correction.claim == disputed_zone_claim and correction.created_by == editor
    assert "to “Russia on Saturday claimed”. The span was too long." in correction.text
    assert "The span was too long." in visible_text(client.get(ZONE_PAGE))


# Corrections are append-only


def test_a_correction_is_never_changed_nor_deleted(disputed_zone_claim):
    correction = Correction.objects.create(claim=disputed_zone_claim, text="A first note.")
    correction.text = "Rewritten."
    with pytest.raises(ValidationError):
        correction.save()
    with pytest.raises(ValidationError):
        correction.delete()
    with pytest.raises(ProtectedError):
        disputed_zone_claim.delete()
    assert Correction.objects.get().text == "A first note."


def test_the_claim_screen_offers_no_way_to_edit_or_delete_a_correction(
    editor_client, disputed_zone_claim
):
    Correction.objects.create(claim=disputed_zone_claim, text="A first note.")
    url = reverse("admin:claims_claim_change", args=[disputed_zone_claim.pk])
    data = form_data(editor_client.get(url))
    assert not any(
        key.endswith("-text") and value == "A first note." for key, value in data.items()
    )
    data["corrections-2-0-DELETE"] = "on"
    data["corrections-2-0-text"] = "Rewritten."
    editor_client.post(url, data)
    assert Correction.objects.get().text == "A first note."


def test_restoring_an_earlier_version_of_a_claim_keeps_the_corrections_added_since(
    editor_client, editor, disputed_zone_claim
):
    with reversion.create_revision():
        reversion.set_user(editor)
        disputed_zone_claim.save()
    older = Version.objects.get_for_object(disputed_zone_claim).get()
    Correction.objects.create(claim=disputed_zone_claim, text="Added after that version.")
    revert_url = reverse("admin:claims_claim_revision", args=[disputed_zone_claim.pk, older.pk])
    page = editor_client.get(revert_url)
    assert editor_client.post(revert_url, form_data(page)).status_code == 302
    assert Correction.objects.filter(text="Added after that version.").exists()


# Permanent links


def rename(record, slug: str) -> None:
    record.slug = slug
    record.save()


def test_every_old_address_of_a_renamed_claim_answers_301_after_further_renames(
    client, disputed_zone_claim
):
    old = disputed_zone_claim.slug
    rename(disputed_zone_claim, "troops-entered-the-zone")
    rename(disputed_zone_claim, "azerbaijani-troops-in-the-zone")
    new = disputed_zone_claim.slug
    for before, after in [
        (f"/claims/{old}/", f"/claims/{new}/"),
        ("/claims/troops-entered-the-zone/", f"/claims/{new}/"),
        (f"/feeds/claims/{old}/", f"/feeds/claims/{new}/"),
        (f"/api/v1/claims/{old}/?format=json", f"/api/v1/claims/{new}/?format=json"),
    ]:
        response = client.get(before)
        assert (response.status_code, response["Location"]) == (301, after), before
        assert client.get(after).status_code == 200
    sitemap = ET.fromstring(client.get("/sitemap-claims.xml").content)
    locations = [element.text for element in sitemap.iter() if element.tag.endswith("loc")]
    assert any(location.endswith(f"/claims/{new}/") for location in locations)
    assert not any(old in location for location in locations)


@pytest.mark.parametrize(
    ("record", "addresses"),
    [
        ("party", ["/parties/{}/", "/feeds/parties/{}/", "/api/v1/parties/{}/"]),
        ("article", ["/articles/{}/", "/api/v1/articles/{}/"]),
        ("topic", ["/topics/{}/", "/feeds/topics/{}/", "/api/v1/topics/{}/"]),
    ],
)
def test_renamed_parties_articles_and_topics_keep_their_old_addresses(
    client, disputed_zone_claim, article, azerbaijani_mod, record, addresses
):
    target = {
        "party": azerbaijani_mod,
        "article": article,
        "topic": disputed_zone_claim.topic,
    }[record]
    old = target.slug
    rename(target, f"{old}-renamed")
    for address in addresses:
        response = client.get(address.format(old))
        assert response.status_code == 301, address
        assert response["Location"] == address.format(f"{old}-renamed")


def test_an_old_address_of_a_record_readers_may_not_see_stays_not_found(client, incident_topic):
    draft = Claim.objects.create(slug="draft-claim", text="A draft.", topic=incident_topic)
    rename(draft, "draft-claim-renamed")
    assert client.get("/claims/draft-claim/").status_code == 404


def test_a_slug_taken_back_is_no_longer_a_former_one(client, disputed_zone_claim):
    old = disputed_zone_claim.slug
    rename(disputed_zone_claim, "interim")
    rename(disputed_zone_claim, old)
    assert client.get(f"/claims/{old}/").status_code == 200
    assert client.get("/claims/interim/").status_code == 301


# Source kinds


def test_an_articles_kind_is_shown_filterable_and_in_the_api(
    client, article, disputed_zone_claim, russian_mod
):
    article.kind = ArticleKind.PRESS_RELEASE
    save_article(article=article)
    assert "Press release or official statement" in visible_text(
        client.get(article.get_absolute_url())
    )
    listed = visible_text(client.get("/articles/?kind=press_release"))
    assert article.title in listed
    assert article.title not in visible_text(client.get("/articles/?kind=transcript"))
    assert client.get("/articles/?kind=rumour").status_code == 400
    api = client.get("/api/v1/articles/?kind=press_release").json()
    assert [a["slug"] for a in api["results"]] == [article.slug]
    assert api["results"][0]["kind"] == "press_release"
    assert re.fullmatch(r"[0-9a-f]{64}", api["results"][0]["capture"]["sha256"])
