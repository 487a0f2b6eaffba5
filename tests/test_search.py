"""Search finds claims by every name they are known by, and says what matched."""

import re
from urllib.parse import urlencode

import pytest
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F, Value
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from claims.models import Claim, ClaimSearch, StanceValue, Status
from claims.search import WORD, Matches, read_query, text_query
from claims.services import create_statement, save_article, set_stance
from publishing.filters import ORDERINGS
from publishing.pagination import SearchResults, sort_keys
from publishing.views import ClaimListView
from sources.models import Article, Party, PartyAlias, Place, PlaceName

from .pages import page_of

BODY = (
    "The regional administration said shelling hit the city centre overnight.\n\n"
    "Spokeswoman Lena Varga told reporters the strikes had hit a school.\n\n"
    "Le ministère a déclaré que les tirs visaient des positions militaires."
)


@pytest.fixture
def city(db, deutsche_welle, incident_topic) -> dict:
    place = Place.objects.create(slug="stepanakert", name="Stepanakert")
    PlaceName.objects.create(place=place, name="Khankendi", used_by="Azerbaijani authorities")
    administration = Party.objects.create(
        slug="regional-administration", name="Regional administration", side="North",
        kind="government",
    )  # fmt: skip
    PartyAlias.objects.create(party=administration, name="the city hall")
    spokeswoman = Party.objects.create(
        slug="lena-varga", name="Lena Varga", side="North", kind="person", parent=administration
    )
    ministry = Party.objects.create(
        slug="southern-ministry", name="Southern ministry", side="South", kind="ministry"
    )
    article = Article(slug="shelling", title="Shelling", outlet=deutsche_welle, body=BODY)
    save_article(article=article)
    shelled = Claim.objects.create(
        slug="city-shelled",
        text="The city centre was shelled overnight.",
        topic=incident_topic,
        status=Status.PUBLISHED,
    )
    shelled.places.add(place)
    school = Claim.objects.create(
        slug="school-hit",
        text="A school was hit.",
        topic=incident_topic,
        status=Status.PUBLISHED,
    )
    military = Claim.objects.create(
        slug="military-targets",
        text="Only military targets were struck.",
        topic=incident_topic,
        status=Status.PUBLISHED,
    )
    for party, words, label, claim, value in [
        (
            administration,
            "shelling hit the city centre overnight",
            "The regional administration",
            shelled,
            StanceValue.SUPPORTS,
        ),
        (
            spokeswoman,
            "the strikes had hit a school",
            "Spokeswoman Lena Varga",
            school,
            StanceValue.SUPPORTS,
        ),
        (
            ministry,
            "les tirs visaient des positions militaires",
            "Le ministère",
            military,
            StanceValue.SUPPORTS,
        ),
    ]:
        statement = create_statement(
            article=article, party=party, text=words, mode="paraphrase", speaker_label=label
        )
        set_stance(statement=statement, claim=claim, value=value)
    return {"shelled": shelled, "school": school, "military": military}


def found(client, query: str) -> list[str]:
    response = client.get(f"/claims/?{urlencode({'q': query})}")
    assert response.status_code == 200
    return sorted(claim.slug for claim in response.context["claims"])


@pytest.mark.parametrize(
    ("query", "claims"),
    [
        pytest.param("shelled", ["city-shelled"], id="the claim's words"),
        pytest.param("strikes", ["school-hit"], id="a statement's words"),
        pytest.param("city hall", ["city-shelled"], id="a party's alias"),
        pytest.param("Lena Varga", ["school-hit"], id="a person's name"),
        pytest.param("Spokeswoman", ["school-hit"], id="how an article named the speaker"),
        pytest.param("Khankendi", ["city-shelled"], id="a place's other name"),
        pytest.param("visaient", ["military-targets"], id="a word of another language"),
        pytest.param("Khankendi overnight", ["city-shelled"], id="words found in two places"),
        pytest.param('"hit a school"', ["school-hit"], id="a quoted phrase"),
        pytest.param('"school hit"', [], id="a phrase out of order"),
        pytest.param("hit -school", ["city-shelled"], id="an exclusion"),
        pytest.param('hit -"school hit"', ["city-shelled", "school-hit"], id="an excluded phrase"),
        pytest.param('hit -"a school"', ["city-shelled"], id="an excluded phrase found"),
        pytest.param("Khankendi school", [], id="every word must be found"),
    ],
)
def test_search_finds_claims_by_every_name_they_are_known_by(client, city, query, claims):
    assert found(client, query) == claims


def test_the_api_searches_the_same_way(client, city):
    results = client.get("/api/v1/claims/?q=Khankendi").json()["results"]
    assert [claim["slug"] for claim in results] == ["city-shelled"]


@pytest.mark.parametrize(
    ("query", "matched"),
    [
        ("Khankendi", "Found in “Khankendi”, another name of Stepanakert."),
        ("Stepanakert", "Found in the place Stepanakert."),
        ('"city hall"', "Found in “the city hall”, another name of Regional administration."),
        ("centre", "Found in the claim’s wording."),
        ("strikes", "Found in what Lena Varga said."),
        ("Southern", "Found in the party Southern ministry."),
        ("Spokeswoman", "Found in “Spokeswoman Lena Varga”, as an article named Lena Varga."),
        ("school Khankendi", None),
        ("centre Khankendi", "Found in the claim’s wording; “Khankendi”, another name of"),
    ],
)
def test_results_say_what_matched(client, city, query, matched):
    page = client.get("/claims/", {"q": query}).content.decode()
    text = " ".join(strip_tags(page).split())
    if matched:
        assert matched in text
    else:
        assert "Found in" not in text


def test_drafts_are_never_found(client, city):
    Claim.objects.filter(slug="city-shelled").update(status=Status.DRAFT)
    assert found(client, "Khankendi") == []


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ('hit "a school" -strike', [("hit", False), ("a school", False), ("strike", True)]),
        ("'; DROP TABLE x; --", [(";", False), ("DROP", False), ("TABLE", False), ("x;", False)]),
        (" ".join(f"w{n}" for n in range(20)), [(f"w{n}", False) for n in range(12)]),
    ],
)
def test_a_query_is_read_as_words_phrases_and_exclusions(query, terms):
    assert [(term.words, term.excluded) for term in read_query(query)] == terms


def test_a_claim_reworded_is_found_by_its_new_words_and_no_longer_by_the_old(client, city):
    claim = Claim.objects.get(slug="school-hit")  # loaded, as the admin loads it
    claim.text = "A kindergarten was hit."
    claim.save()
    assert found(client, "kindergarten") == ["school-hit"]
    assert "school-hit" not in found(client, "was hit school -strikes")


def test_a_save_that_keeps_the_wording_leaves_the_search_words_alone(city):
    """Only a claim's wording, of its own fields, is among the words it is found by: saving its
    assessment writes them no more (an admin save then writes them once, with its stances)."""

    def search_writes(change) -> int:
        claim = Claim.objects.get(slug="school-hit")
        change(claim)
        with CaptureQueriesContext(connection) as queries:
            claim.save()
        return sum("claims_claimsearch" in query["sql"] for query in queries.captured_queries)

    assert search_writes(lambda claim: setattr(claim, "assessment", "Checked again.")) == 0
    assert search_writes(lambda claim: setattr(claim, "text", "A school was struck.")) > 0


def test_search_results_carry_their_badges_from_the_stances_read_to_say_what_matched(client, city):
    """One read of the results' stances serves both what each matched and its badges."""
    client.get("/claims/")  # the filters' choices, remembered from then on
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/claims/?q=hit")
    # Read as rows, not as the subquery that names the speakers whose aliases are read.
    as_rows = re.compile(r'FROM "claims_stance"(?! "?U\d)')
    stance_reads = [q for q in queries.captured_queries if as_rows.search(q["sql"])]
    assert len(stance_reads) == 1
    row = page_of(response).item_linking_to("/claims/school-hit/").text
    assert "Lena Varga: supports" in row
    shelled = page_of(response).item_linking_to("/claims/city-shelled/").text
    assert "Regional administration: supports" in shelled and "Lena Varga" not in shelled


@pytest.mark.parametrize(
    ("limit", "heading", "pages"),
    [
        (4, "4 claims", ["school-hit-later", "school-hit-again", "school-hit", "city-shelled"]),
        (2, "More than 2 claims", ["school-hit-later", "school-hit-again"]),
    ],
)
def test_a_search_counts_its_results_up_to_a_limit_and_past_it_says_more_than(
    client, city, incident_topic, monkeypatch, limit, heading, pages
):
    """Past the limit the count stops, and its pages hold the newest claims up to it, not the
    first ones found: the newest here is the last one a scan of the claims would come to."""
    Claim.objects.filter(slug="city-shelled").update(published_at="2024-01-01T00:00Z")
    Claim.objects.filter(slug="school-hit").update(published_at="2024-02-01T00:00Z")
    for slug, month in [("school-hit-again", 3), ("school-hit-later", 4)]:
        Claim.objects.create(
            slug=slug,
            text=f"A school was hit, {slug}.",
            topic=incident_topic,
            status=Status.PUBLISHED,
            published_at=f"2024-0{month}-01T00:00Z",
        )
    monkeypatch.setattr(SearchResults, "limit", limit)
    monkeypatch.setattr(ClaimListView, "paginate_by", 1)
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/claims/", {"q": "hit"})
    # Found up to one past the limit, never all: a common word matches thousands.
    assert any(f"LIMIT {limit + 1}" in query["sql"] for query in queries.captured_queries)
    text = " ".join(strip_tags(first.content.decode()).split())
    assert heading in text
    assert ("add words to the search" in text) == (limit == 2)
    shown = [
        [claim.slug for claim in client.get("/claims/", {"q": "hit", "page": n}).context["claims"]]
        for n in range(1, len(pages) + 1)
    ]
    assert shown == [[slug] for slug in pages]
    assert client.get("/claims/", {"q": "hit", "page": len(pages) + 1}).status_code == 404


def test_a_search_of_words_reads_only_the_words_without_positions(client, city):
    """The positional vector, twice as large and kept outside the row, is read only to check a
    phrase: a search of words alone matches the indexed words without positions."""

    def matched(query: str) -> set[str]:
        with CaptureQueriesContext(connection) as queries:
            client.get("/claims/", {"q": query})
        sql = " ".join(query["sql"] for query in queries.captured_queries)
        return set(re.findall(r'"claims_claimsearch"\."(\w+)" @@', sql))

    if connection.vendor != "postgresql":
        pytest.skip("Only PostgreSQL keeps the words as a full-text vector.")
    assert matched("hit Khankendi -school") == {"words"}
    assert matched('"hit a school"') == {"words", "vector"}
    assert matched('hit -"school hit"') == {"words", "vector"}


def search_table() -> dict:
    """What PostgreSQL holds of the search words: their columns, indexes and triggers, and how
    many rows' words are the vector without positions."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute "
            "WHERE attrelid = 'claims_claimsearch'::regclass AND attnum > 0 AND NOT attisdropped"
        )
        columns = dict(cursor.fetchall())
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'claims_claimsearch'")
        indexes = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT tgname FROM pg_trigger "
            "WHERE tgrelid = 'claims_claimsearch'::regclass AND NOT tgisinternal"
        )
        triggers = {row[0] for row in cursor.fetchall()}
        kept = None
        if "words" in columns:
            cursor.execute("SELECT count(*) FROM claims_claimsearch WHERE words = strip(vector)")
            kept = cursor.fetchone()[0]
    return {"columns": columns, "indexes": indexes, "triggers": triggers, "kept": kept}


def test_the_migration_writes_the_words_of_claims_already_there_and_undoes_cleanly(
    transactional_db, city
):
    """0017 writes the words of every claim already searchable from its positional vector, a
    batch at a time, keeps them in the row, moves the index to them and has PostgreSQL write
    them from then on; undone, the table is as it was."""
    if connection.vendor != "postgresql":
        pytest.skip("Only PostgreSQL keeps the words as a full-text vector.")
    before, after = (
        ("claims", "0016_index_stances_for_badges"),
        (
            "claims",
            "0017_search_words_without_positions",
        ),
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    undone = search_table()
    assert "words" not in undone["columns"] and not undone["triggers"]
    assert "claim_search_vector" in undone["indexes"]
    assert "claim_search_words" not in undone["indexes"]
    executor.loader.build_graph()
    executor.migrate([after])
    done = search_table()
    assert done["columns"]["words"] == "m"  # kept in the row
    assert done["kept"] == ClaimSearch.objects.count() == 3
    assert "claim_search_words" in done["indexes"]
    assert "claim_search_vector" not in done["indexes"]
    assert done["triggers"] == {"claims_claimsearch_words"}
    assert found_by_orm("Khankendi") == ["city-shelled"]


def test_the_words_follow_the_vector_whoever_writes_it(city):
    """A release that knows nothing of the words, still serving while the next one migrates,
    writes the vector alone: PostgreSQL writes the words from it."""
    if connection.vendor != "postgresql":
        pytest.skip("Only PostgreSQL keeps the words as a full-text vector.")
    ClaimSearch.objects.filter(claim__slug="school-hit").update(
        vector=SearchVector(Value("kindergarten"), config="simple")
    )
    assert found_by_orm("kindergarten") == ["school-hit"]
    assert "school-hit" not in found_by_orm("strikes")


def found_by_orm(query: str) -> list[str]:
    return sorted(Claim.objects.published().search(query).values_list("slug", flat=True))


def test_each_page_of_results_is_read_by_its_own_ids_in_every_order(
    client, city, incident_topic, monkeypatch
):
    """Up to the limit, results are sorted by the values read with their ids, as the database
    would sort them (ties by id, a claim never published where the database puts a null), and
    a page reads its own claims alone, not every one found."""
    Claim.objects.filter(slug="city-shelled").update(
        published_at="2024-01-01T00:00Z", statement_count=3, contest_score=2
    )
    Claim.objects.filter(slug="school-hit").update(
        published_at="2024-03-01T00:00Z", statement_count=1, contest_score=2
    )
    for slug, published, statements, score in [
        ("hit-again", "2024-03-01T00:00Z", 3, 0),
        ("hit-later", "2024-05-01T00:00Z", 2, 2),
        ("hit-undated", None, 1, 1),
    ]:
        Claim.objects.create(
            slug=slug,
            text=f"It was hit, {slug}.",
            topic=incident_topic,
            status=Status.PUBLISHED,
            published_at=published,
            statement_count=statements,
            contest_score=score,
        )
    Claim.objects.filter(slug="hit-undated").update(published_at=None)
    monkeypatch.setattr(ClaimListView, "paginate_by", 2)
    ids = re.compile(r"""ANY\('\{([\d,]*)\}'|json_each\('\[([\d, ]*)\]'""")
    for ordering, fields in ORDERINGS.items():
        expected = list(
            Claim.objects.published().search("hit").order_by(*fields).values_list("slug", flat=True)
        )
        assert len(expected) == 5
        shown = []
        for number in (1, 2, 3):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(
                    "/claims/", {"q": "hit", "ordering": ordering, "page": number}
                )
            shown += [claim.slug for claim in response.context["claims"]]
            read = [
                len((match[0] or match[1]).split(","))
                for query in queries.captured_queries
                if '"claims_claim"' in query["sql"] and "claims_stance" not in query["sql"]
                for match in ids.findall(query["sql"])
            ]
            assert read and max(read) <= ClaimListView.paginate_by
        assert shown == expected, ordering


def test_results_are_sorted_here_only_by_fields_python_sorts_as_the_databases_do():
    """Whole numbers and dates, ending with the id; text is sorted by the database's collation,
    so a list sorted by it (or by an expression, a related field, or in an order that leaves
    ties) is read sorted by the database."""
    claims = Claim.objects.published()
    assert sort_keys(claims.order_by(*ORDERINGS["contested"])) == [
        ("contest_score", True),
        ("statement_count", True),
        ("published_at", True),
        ("pk", True),
    ]
    assert sort_keys(claims.order_by("statement_count", "id")) == [
        ("statement_count", False),
        ("id", False),
    ]
    for order in (
        ["text", "pk"],
        ["-published_at", "slug"],
        ["topic__name", "pk"],
        ["?"],
        [],
        ["-published_at"],  # ties left to chance
    ):
        assert sort_keys(claims.order_by(*order)) is None, order
    assert sort_keys(claims.order_by("-published_at", "-pk").reverse()) is None
    assert sort_keys(claims.extra(order_by=["-published_at"])) is None


def searched_by_positions(claims, text: str):
    """The search as it was before the words without positions: one match of the positional
    vector, which the search must still agree with."""
    terms = read_query(text)
    if any(not term.excluded and not WORD.search(term.words) for term in terms):
        return claims.none()
    query = text_query(terms)
    return claims if query is None else claims.filter(Matches(F("search__vector"), query))


@pytest.mark.parametrize(
    "query",
    [
        "H₂O",
        "-H₂O",
        '"H₂O supplies"',
        "supplies -H₂O",
        "1½",
        "Nagorno-Karabakh",
        '"Nagorno-Karabakh front"',
        "Karabakh -Nagorno",
        'quiet -"front quiet"',
        'quiet -"front was quiet"',
        '"the a"',
        "the",
        '"hit a school"',
        '"school was hit"',
        'school -"school was hit"',
        'hit -"hit again"',
        '"was hit" -crater',
        "hi",
        "hit",
        "sch",
        "sc",
        "-quiet",
        "&",
        "% _",
        "",
        "Khankendi overnight",
        "officials said",
        '"officials said"',
        "Officials SAID",
    ],
)
def test_search_finds_what_the_positional_vector_alone_found(city, incident_topic, query):
    if connection.vendor != "postgresql":
        pytest.skip("Only PostgreSQL keeps the words as a full-text vector.")
    for slug, text in [
        ("water-cut", "Water (H₂O) supplies to the town were cut; 1½ days without them."),
        ("front-quiet", "The Nagorno-Karabakh front was quiet overnight, officials said."),
        ("school-again", "The school was hit again; the hit left a crater."),
    ]:
        Claim.objects.create(slug=slug, text=text, topic=incident_topic, status=Status.PUBLISHED)
    claims = Claim.objects.published()
    expected = set(searched_by_positions(claims, query).values_list("slug", flat=True))
    assert set(claims.search(query).values_list("slug", flat=True)) == expected
