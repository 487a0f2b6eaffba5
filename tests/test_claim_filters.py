"""The claim list's filters, alone and combined, its ordering and pagination, and bad values."""

from urllib.parse import urlencode

import pytest
from django.forms.utils import flatatt
from django.template import Context, Template
from django.urls import reverse_lazy
from django.utils.safestring import mark_safe

from claims.models import Claim, StanceValue, Status
from claims.services import set_stance
from publishing import filters
from publishing.templatetags.publishing import filter_fields
from publishing.views import CLAIMS_PER_PAGE
from sources.models import Party

from .pages import claims_listed, page_of
from .sites import Site

EVERY_PUBLISHED_CLAIM = "every published claim"


def roles(site: Site) -> dict[str, str]:
    """The part each claim of the site plays, by the claim's slug."""
    return {claim.slug: role for role, claim in vars(site).items() if isinstance(claim, Claim)}


def listed(client, query: str, site: Site) -> list[str]:
    """The claims the list shows for a query (a template over the site: "{denier.slug}" is the
    denier's slug), each named by the part it plays in the site."""
    response = client.get(f"/claims/?{query.format_map(vars(site))}")
    assert response.status_code == 200
    return [roles(site)[slug] for slug in claims_listed(page_of(response))]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", EVERY_PUBLISHED_CLAIM),
        ("party={denier.slug}", {"contested_claim", "post_claim"}),
        ("party={accuser.slug}", {"contested_claim", "post_claim", "one_sided_claim"}),
        ("stance=refutes", {"contested_claim", "post_claim"}),
        ("stance=disputes", {"contested_claim"}),
        # One and the same statement must hold: the accuser refutes nothing, though it speaks
        # on claims that others refute.
        ("party={accuser.slug}&stance=refutes", set()),
        ("party={denier.slug}&stance=disputes", {"contested_claim"}),
        ("contested=true", {"contested_claim", "post_claim"}),
        ("contested=false", {"one_sided_claim", "parent_topic_claim"}),
        ("topic={topic.slug}", {"contested_claim", "post_claim", "one_sided_claim"}),
        ("topic={parent_topic.slug}", EVERY_PUBLISHED_CLAIM),
        ("outlet={outlet.slug}", EVERY_PUBLISHED_CLAIM),
        ("outlet={wire_agencies[0].slug}", EVERY_PUBLISHED_CLAIM),  # credited as a wire agency
        ("since={fishing_report.said_on}", {"parent_topic_claim"}),
        ("until={accusation.said_on}", {"contested_claim"}),
        (
            "since={demand.said_on}&until={demand.said_on}",
            {"contested_claim", "post_claim", "one_sided_claim"},
        ),
        (
            "since={accusation.said_on}&until={accusation.said_on}&party={accuser.slug}",
            {"contested_claim"},
        ),
        # The denier's dated statement refutes; the one that disputes is undated.
        ("since={rejection.said_on}&party={denier.slug}&stance=disputes", set()),
        ("q=withdraw", {"one_sided_claim"}),
        ("q=rejected", {"contested_claim", "post_claim"}),
        ("q=observation&contested=true", {"post_claim"}),
        ("q=nothing-matches-this", set()),
    ],
)
def test_filters_select_the_right_claims(client, site: Site, query, expected):
    if expected == EVERY_PUBLISHED_CLAIM:
        expected = {roles(site)[claim.slug] for claim in site.published_claims}
    assert set(listed(client, query, site)) == expected


def test_orderings(client, site: Site):
    # The most statements first; of as many, the newest.
    most_statements = ["contested_claim", "one_sided_claim", "post_claim", "parent_topic_claim"]
    assert listed(client, "ordering=statements", site) == most_statements
    # The contested claims first, the most contested first; then by statements.
    most_contested = ["contested_claim", "post_claim", "one_sided_claim", "parent_topic_claim"]
    assert listed(client, "ordering=contested", site) == most_contested
    newest_first = ["parent_topic_claim", "one_sided_claim", "post_claim", "contested_claim"]
    assert listed(client, "ordering=newest", site) == newest_first
    assert listed(client, "", site) == newest_first


def test_the_form_keeps_the_chosen_values(client, site: Site):
    response = client.get(
        f"/claims/?party={site.denier.slug}&stance=refutes&q=zone&since=2020-10-01&contested=true"
    )
    form = page_of(response).region("Filter claims").form_values
    assert (form["party"], form["stance"], form["q"]) == (site.denier.slug, "refutes", "zone")
    assert (form["topic"], form["ordering"]) == ("", "newest")
    assert (form["since"], form["until"], form["contested"]) == ("2020-10-01", "", "true")


def test_pages_hold_twenty_claims_and_keep_the_filters(client, site: Site):
    more = CLAIMS_PER_PAGE + 5
    for number in range(more):
        claim = Claim.objects.create(
            slug=f"claim-{number:02}",
            text=f"Claim {number}",
            topic=site.topic,
            status=Status.PUBLISHED,
        )
        set_stance(claim=claim, statement=site.accusation, value=StanceValue.SUPPORTS)
    total = more + len(site.claims_of(site.accuser))
    first = page_of(client.get(f"/claims/?party={site.accuser.slug}"))
    second = page_of(client.get(f"/claims/?party={site.accuser.slug}&page=2"))
    assert len(claims_listed(first)) == CLAIMS_PER_PAGE
    assert len(claims_listed(second)) == total - CLAIMS_PER_PAGE
    assert not set(claims_listed(first)) & set(claims_listed(second))
    pages = first.region("Pages")
    assert f"?party={site.accuser.slug}&page=2" in [link.href for link in pages.links]
    assert "Page 1 of 2" in pages.text
    assert "Page 2 of 2" in second.region("Pages").text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=notadate", "Said on or after: Enter a valid date."),
        ("until=2022-13-45", "Said on or before: Enter a valid date."),
        ("party=../../x", "Party: No party readers can see goes by “../../x”."),
        ("stance=agrees", "Stance: Select a valid choice."),
        ("topic=no-such-topic", "Topic: Select a valid choice."),
        ("ordering=random", "Order by: Select a valid choice."),
        ("contested=perhaps", "Contested: Select a valid choice."),
        ("q=" + "x" * 5000, "Search: Ensure this value has at most 200 characters"),
    ],
)
def test_invalid_filter_values_get_a_clear_message_not_an_error(client, site: Site, query, message):
    response = client.get(f"/claims/?{query}")
    assert response.status_code == 400
    page = page_of(response)
    assert f"Some filters could not be used {message}" in page.text
    assert claims_listed(page) == []


def test_a_nul_character_in_a_filter_is_refused_before_any_lookup(client, site: Site):
    response = client.get("/claims/?topic=%00")
    assert response.status_code == 400
    assert page_of(response).text == "Bad request: The query string holds a NUL character."


@pytest.mark.parametrize("page", ["-1", "0", "999", "abc", "1.5"])
def test_out_of_range_pages_are_not_found_not_an_error(client, site: Site, page):
    response = client.get(f"/claims/?page={page}")
    assert response.status_code == 404
    text = page_of(response).text
    assert f"There is no page {page} of this list This list fits on one page." in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("TARSK", {"contested_claim", "post_claim"}),  # any case; in the text or a place's name
        ("Tarskoye", {"contested_claim", "post_claim"}),  # a place's other name
        ("Korvenia's", {"contested_claim", "post_claim", "parent_topic_claim"}),  # as named
        ('"observation post"', {"post_claim"}),
        ('"observation post', {"post_claim"}),  # a quote left open
        ("Tarsk -fabrication", {"post_claim"}),  # the contested claim has a fabrication
        ("a & b | c", set()),
        ("!!!", set()),
        ("'; DROP TABLE claims_claim; --", set()),
        ("%_%", set()),  # searched for, not taken as wildcards
    ],
)
def test_search_words_with_quotes_and_operators_find_what_they_say(
    client, site: Site, query, expected
):
    assert set(listed(client, urlencode({"q": query}), site)) == expected
    assert len(listed(client, "", site)) == len(site.published_claims)


@pytest.mark.parametrize(
    "typed",
    ["valdorian defence ministry", "  Valdorian Defence Ministry ", "valdor", "VALDOR"],
)
def test_a_party_is_found_by_its_name_or_an_alias_ignoring_case(client, site: Site, typed):
    by_address = listed(client, "party={accuser.slug}", site)
    response = client.get("/claims/", {"party": typed})
    assert response.status_code == 200
    assert [roles(site)[slug] for slug in claims_listed(page_of(response))] == by_address
    chosen = page_of(response).region("Filter claims")
    assert "Claims of Valdorian Defence Ministry and the parties under it." in chosen.text
    assert site.accuser.get_absolute_url() in [link.href for link in chosen.links]


def test_a_name_several_parties_share_asks_for_the_address_of_one(client, site: Site):
    Party.objects.filter(pk=site.foreign_ministry.pk).update(name="Korvenian Defence Ministry")
    response = client.get("/claims/", {"party": "korvenian defence ministry"})
    assert response.status_code == 400
    error = page_of(response).region("Filter claims").text
    assert "Several parties go by “korvenian defence ministry”" in error
    assert f"({site.denier.slug})" in error and f"({site.foreign_ministry.slug})" in error


def test_words_that_name_no_party_get_suggestions_of_those_readers_can_see(client, site: Site):
    response = client.get("/claims/", {"party": "defence"})
    assert response.status_code == 400
    error = page_of(response).region("Filter claims").text
    assert f"Did you mean {site.denier.name} ({site.denier.slug}); " in error
    assert site.unpublished_speaker.slug not in error
    nothing = page_of(client.get("/claims/", {"party": "zzz"})).region("Filter claims").text
    assert "No party readers can see goes by “zzz”. Type part of a name" in nothing


def test_the_party_field_offers_suggestions_from_the_api(client, site: Site):
    field = page_of(client.get("/claims/")).region("Filter claims").find_all("input")
    [party] = [element for element in field if element.attributes.get("name") == "party"]
    assert party.attributes["type"] == "search"
    assert party.attributes["list"] == "party-suggestions"
    suggest = party.attributes["data-suggest"]
    found = client.get(suggest, {"q": "defense ministry", "page_size": 8}).json()["results"]
    assert [item["slug"] for item in found] == [site.accuser.slug]


def test_a_list_page_reads_each_filters_choices_once(client, site: Site, monkeypatch):
    """The topic and outlet selects check the value given and write their options from one
    read of the remembered choices, not one read for each."""
    reads: list[str] = []

    def counted(name, build):
        reads.append(name)
        return remember(name, build)

    remember = filters.remembered
    monkeypatch.setattr(filters, "remembered", counted)
    response = client.get(f"/claims/?topic={site.contested_claim.topic.slug}")
    assert response.status_code == 200
    form = page_of(response).region("Filter claims").form_values
    assert form["topic"] == site.contested_claim.topic.slug
    assert sorted(reads) == ["public-choices-claims.topic", "public-choices-sources.outlet"]


def test_a_select_escapes_its_options_and_marks_only_the_chosen_one(client, site: Site):
    site.topic.name = 'Tarsk <b>incident</b> & "aftermath"'
    site.topic.save()
    response = client.get(f"/claims/?topic={site.topic.slug}&stance=disputes")
    form = page_of(response).region("Filter claims")
    [topics] = [
        select for select in form.find_all("select") if select.attributes["name"] == "topic"
    ]
    chosen = [o for o in topics.find_all("option") if "selected" in o.attributes]
    assert [(o.attributes["value"], o.text) for o in chosen] == [
        (site.topic.slug, 'Tarsk <b>incident</b> & "aftermath"')
    ]
    assert "Tarsk &lt;b&gt;incident&lt;/b&gt; &amp; &quot;aftermath&quot;" in response.text
    assert form.form_values["stance"] == "disputes"
    # The options are written once for each set of choices: a page choosing nothing marks only
    # the empty choices selected, and one after a topic is renamed shows the new name.
    plain = page_of(client.get("/claims/")).region("Filter claims")
    options = plain.find_all("option")
    assert {o.attributes["value"] for o in options if "selected" in o.attributes} == {""}
    site.topic.name = "Tarsk incident, renamed"
    site.topic.save()
    renamed = page_of(client.get("/claims/")).region("Filter claims")
    assert "Tarsk incident, renamed" in [o.text for o in renamed.find_all("option")]


def lazy_path():
    return reverse_lazy("publishing:claim_list")


@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"id": "id_q", "maxlength": 200, "required": True, "disabled": False, "title": None},
        {"data-x": 'a "quoted" <b>&\'', "class": mark_safe("<b>"), "b": 0, "a": lazy_path()},
        {"required": True, "autofocus": True, "name": "q", "disabled": True, "id": "id_q"},
    ],
    ids=["none", "flags and numbers", "escaped, safe and lazy values", "several flags"],
)
def test_form_attributes_are_written_as_djangos_flatatt_writes_them(attrs):
    assert filters.attributes_of(attrs) == flatatt(attrs)


def test_the_filters_are_built_once_and_each_request_checks_and_filters_by_its_own_values(
    client, site
):
    first = filters.ClaimFilter({"topic": "no-such-topic"}, queryset=Claim.objects.all())
    second = filters.ClaimFilter({"topic": site.topic.slug}, queryset=Claim.objects.all())
    assert type(first.form) is type(second.form)
    assert not first.is_valid() and second.is_valid()
    assert second.form.cleaned_data["topic"] == site.topic
    # Nothing one request's form read or found stays with the class for the next.
    for name, field in type(first.form).base_fields.items():
        assert getattr(field, "held", None) is None, name
    # Each filterset's filters are its own, and their methods are found on it: two filtersets
    # at once each filter by their own values.
    by_stance = {
        value: filters.ClaimFilter({"stance": value}, queryset=Claim.objects.published())
        for value in ("refutes", "disputes")
    }
    for filterset in by_stance.values():
        assert all(f.parent is filterset for f in filterset.filters.values())
    refuted, disputed = ({claim.slug for claim in f.qs} for f in by_stance.values())
    assert refuted == {site.contested_claim.slug, site.post_claim.slug}
    assert disputed == {site.contested_claim.slug}
    assert not hasattr(filters.ClaimFilter.base_filters["stance"], "parent")
    bad = client.get("/claims/", {"topic": "no-such-topic"})
    good = client.get("/claims/", {"topic": site.topic.slug})
    assert (bad.status_code, good.status_code) == (400, 200)
    assert "field--error" not in good.content.decode()


# The loop over the claim list's filter fields as its template wrote it, before the publishing
# tag filter_fields wrote them.
FIELDS_AS_TEMPLATED = Template(
    """{% for field in filter.form %}
    <div class="field{% if field.errors %} field--error{% endif %}">
      <label for="{{ field.auto_id }}">{{ field.label }}</label>
      {% if field.help_text %}<p class="field__help" id="{{ field.auto_id }}_helptext">{{ field.help_text }}</p>{% endif %}
      {{ field }}
      {% if field.name == "party" and not field.errors and chosen_party %}<p class="field__chosen">Claims of <a href="{{ chosen_party.get_absolute_url }}">{{ chosen_party.name }}</a> and the parties under it.</p>{% endif %}
      {% for error in field.errors %}<p class="field__error" id="{{ field.auto_id }}_error">{{ error }}</p>{% endfor %}
    </div>
    {% endfor %}"""  # noqa: E501
)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"party": "{denier.slug}", "stance": "refutes", "q": 'a <b>"zone"</b> & more'},
        {"topic": "no-such-topic", "since": "2020-13-45", "until": "x", "party": "zzz"},
        {"contested": "maybe", "ordering": "bad", "outlet": "<script>", "party": "Ministry"},
    ],
    ids=["empty", "chosen party", "errors", "more errors"],
)
def test_the_filter_fields_are_written_as_the_template_wrote_them(site: Site, data):
    data = {name: value.format_map(vars(site)) for name, value in data.items()}
    filterset = filters.ClaimFilter(data, queryset=Claim.objects.published())
    valid = filterset.is_valid()
    chosen = filterset.form.cleaned_data.get("party") if valid else None
    assert (chosen is not None) == ("party" in data and valid)
    templated = FIELDS_AS_TEMPLATED.render(Context({"filter": filterset, "chosen_party": chosen}))
    assert str(filter_fields(filterset.form, chosen)) == templated
