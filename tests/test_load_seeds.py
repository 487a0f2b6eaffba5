"""`load_seeds` creates what is missing, never overrides curators, and refuses bad files whole."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from claims.models import Claim, Stance, StanceValue, Statement, Status
from sources.models import Article, Capture, Outlet, Party, PartyAlias, Place, PlaceName

SEEDS = Path(settings.BASE_DIR) / "seeds"
BODY = (
    "The Northern Ministry said on Monday that its patrol had crossed no border.\n\n"
    '"We stayed on our side," a ministry spokesman said.\n\n'
    "The Southern Government rejected the account."
)


def small_fixture() -> dict:
    """A fixture of every section, written for these tests."""
    return {
        "outlets": [{"slug": "wire", "name": "The Wire", "kind": "wire_agency"}],
        "parties": [
            {
                "slug": "northern-ministry",
                "name": "Northern Ministry",
                "side": "North",
                "kind": "ministry",
                "parent": "northern-government",
                "aliases": ["the ministry"],
            },
            {
                "slug": "northern-government",
                "name": "Northern Government",
                "side": "North",
                "kind": "government",
            },
            {
                "slug": "southern-government",
                "name": "Southern Government",
                "side": "South",
                "kind": "government",
            },
        ],
        "places": [
            {
                "slug": "border",
                "name": "The border",
                "alternative_names": [{"name": "The line", "used_by": "Northern press"}],
            }
        ],
        "topics": [
            {"slug": "border-dispute", "name": "Border dispute"},
            {"slug": "patrol-incident", "name": "Patrol incident", "parent": "border-dispute"},
        ],
        "claims": [
            {
                "slug": "patrol-crossed",
                "text": "A northern patrol crossed the border.",
                "topic": "patrol-incident",
                "places": ["border"],
                "status": "published",
            }
        ],
        "articles": [
            {
                "slug": "patrol-report",
                "outlet": "wire",
                "title": "Patrol row",
                "body": BODY,
                "statements": [
                    {
                        "party": "northern-ministry",
                        "text": "its patrol had crossed no border",
                        "mode": "paraphrase",
                        "speaker_label": "The Northern Ministry",
                        "stances": [{"claim": "patrol-crossed", "stance": "refutes"}],
                    },
                    {
                        "party": "southern-government",
                        "text": "the account",
                        "mode": "paraphrase",
                        "speaker_label": "The Southern Government",
                        "stances": [{"claim": "patrol-crossed", "stance": "supports"}],
                    },
                ],
            }
        ],
    }


class Writer(yaml.SafeDumper):
    """Writes a record the test reuses as a copy, not as a YAML alias (which the loader refuses)."""

    def ignore_aliases(self, data) -> bool:
        return True


def write_fixture(directory: Path, data: dict) -> Path:
    directory.mkdir(exist_ok=True)
    text = yaml.dump(data, Dumper=Writer, allow_unicode=True, sort_keys=False)
    (directory / "fixture.yaml").write_text(text)
    return directory


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    return write_fixture(tmp_path / "seeds", small_fixture())


def load(directory: Path, *args: str) -> str:
    out = StringIO()
    call_command("load_seeds", "--path", str(directory), *args, stdout=out)
    return out.getvalue()


def contents() -> dict[str, int]:
    models = (Outlet, Party, PartyAlias, Place, PlaceName, Claim, Article, Statement, Stance)
    return {model.__name__: model.objects.count() for model in models}


def test_every_record_of_the_fixture_is_created(db, seeds):
    output = load(seeds)
    assert "Parties: 3 created, 0 unchanged" in output
    assert contents() == {
        "Outlet": 1,
        "Party": 3,
        "PartyAlias": 1,
        "Place": 1,
        "PlaceName": 1,
        "Claim": 1,
        "Article": 1,
        "Statement": 2,
        "Stance": 2,
    }
    assert Party.objects.get(slug="northern-ministry").parent.slug == "northern-government"
    statement = Statement.objects.get(party__slug="northern-ministry")
    assert BODY[statement.start : statement.end] == "its patrol had crossed no border"
    claim = Claim.objects.get()
    assert (claim.supports_count, claim.refutes_count, claim.contest_score) == (1, 1, 1)


def test_a_second_run_changes_nothing_and_says_so(db, seeds):
    load(seeds)
    updated_at = dict(Statement.objects.values_list("pk", "updated_at"))
    output = load(seeds)
    assert "Nothing changed" in output
    assert "Claims: 0 created, 1 unchanged" in output
    assert dict(Statement.objects.values_list("pk", "updated_at")) == updated_at


def test_a_claim_an_editor_unpublished_stays_unpublished(db, seeds):
    load(seeds)
    Claim.objects.update(status=Status.DRAFT)
    output = load(seeds)
    assert Claim.objects.get().status == Status.DRAFT
    assert "claims[0] (patrol-crossed): differs from the fixture in status" in output
    assert "left as it is" in output


def test_a_curators_edit_is_kept_and_reported(db, seeds):
    load(seeds)
    Party.objects.filter(slug="southern-government").update(name="Government of the South")
    Stance.objects.filter(statement__party__slug="southern-government").update(value="disputes")
    output = load(seeds)
    assert Party.objects.get(slug="southern-government").name == "Government of the South"
    assert Stance.objects.filter(value="disputes").count() == 1
    assert "parties[2] (southern-government): differs from the fixture in name" in output
    assert "statements[1] > stances[0]: differs from the fixture in stance" in output


def test_update_writes_the_fixture_over_curators_edits_with_a_revision(db, seeds):
    load(seeds)
    Party.objects.filter(slug="southern-government").update(name="Government of the South")
    output = load(seeds, "--update")
    party = Party.objects.get(slug="southern-government")
    assert party.name == "Southern Government"
    assert "parties[2] (southern-government): updated name" in output
    [version] = Version.objects.get_for_object(party)
    assert version.revision.comment == "Set to the seed fixture's values by load_seeds --update."


def test_a_record_missing_from_the_database_is_created_beside_the_others(db, seeds):
    load(seeds)
    Statement.objects.filter(party__slug="southern-government").delete()
    output = load(seeds)
    assert "Statements: 1 created, 1 unchanged" in output
    assert Statement.objects.count() == 2


def test_a_dry_run_reports_but_writes_nothing(db, seeds):
    output = load(seeds, "--dry-run")
    assert "Claims: 1 created" in output
    assert "nothing was written" in output
    assert sum(contents().values()) == 0


def test_loading_costs_a_few_queries_per_record_and_a_rerun_few_at_all(
    db, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as first:
        load(SEEDS)
    # Each record is inserted; each article's text is captured as well; each claim gets its
    # search words and its page's place in the page cache.
    records = sum(contents().values()) + Capture.objects.count()
    assert len(first) <= 4 * records
    with django_assert_max_num_queries(45):
        load(SEEDS)


def change(path_in_fixture: str, value):
    """A fixture with one value replaced: `path_in_fixture` like 'claims.0.status'."""
    data = small_fixture()
    *parents, last = path_in_fixture.split(".")
    target = data
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is DELETE:
        del target[int(last) if last.isdigit() else last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return data


DELETE = object()
STATEMENT_0 = "articles[0] (patrol-report) > statements[0]"
BAD_FIXTURES = [
    pytest.param(
        change("parties.1.side", DELETE),
        "fixture.yaml: parties[1] (northern-government), field 'side': this field is required.",
        id="missing field",
    ),
    pytest.param(
        change("claims.0.topic", "no-such-topic"),
        "claims[0] (patrol-crossed), field 'topic': no topic with slug 'no-such-topic'.",
        id="unknown slug",
    ),
    pytest.param(
        change("articles.0.statements.0.text", "its patrol crossed every border"),
        f"{STATEMENT_0}, field 'text': “its patrol crossed every border” is not in the "
        "article’s body",
        id="statement not in article",
    ),
    pytest.param(
        change("articles.0.statements.0.stances.0.stance", "agrees"),
        "stances[0], field 'stance': Value 'agrees' is not a valid choice.",
        id="invalid choice",
    ),
    pytest.param(
        change("parties.0.parent", ["northern-government"]),
        "parties[0] (northern-ministry), field 'parent': expected text, not a list.",
        id="list where a slug belongs",
    ),
    pytest.param(
        change("parties.0.name", {"en": "Northern Ministry"}),
        "parties[0] (northern-ministry), field 'name': expected text, not a mapping.",
        id="mapping where text belongs",
    ),
    pytest.param(
        change("claims.0.text", True),
        "claims[0] (patrol-crossed), field 'text': expected text, not true or false.",
        id="boolean where text belongs",
    ),
    pytest.param(
        change("claims.0.event_date", 2022),
        "claims[0] (patrol-crossed), field 'event_date': expected a date (YYYY-MM-DD), not the "
        "number 2022.",
        id="number where a date belongs",
    ),
    pytest.param(
        change("claims.0.text", "A northern\x00patrol"),
        "claims[0] (patrol-crossed), field 'text': contains the control character U+0000.",
        id="NUL byte",
    ),
    pytest.param(
        change("outlets.0.founded", 1953),
        "outlets[0] (wire), field 'founded': unknown field.",
        id="unknown field",
    ),
]


@pytest.mark.parametrize(("data", "message"), BAD_FIXTURES)
def test_a_bad_file_is_refused_whole_with_file_record_and_field(db, tmp_path, data, message):
    seeds = write_fixture(tmp_path / "seeds", data)
    with pytest.raises(CommandError) as error:
        load(seeds)
    assert message in str(error.value)
    assert sum(contents().values()) == 0


@pytest.mark.parametrize(("data", "message"), BAD_FIXTURES)
def test_a_bad_file_leaves_a_loaded_database_untouched(db, tmp_path, seeds, data, message):
    load(seeds)
    before = contents()
    with pytest.raises(CommandError):
        load(write_fixture(tmp_path / "bad", data))
    assert contents() == before


def test_two_statements_of_one_party_on_the_same_words_are_refused_naming_both(db, tmp_path):
    data = small_fixture()
    statements = data["articles"][0]["statements"]
    statements.append({**statements[0], "speaker_label": "the ministry"})
    with pytest.raises(CommandError) as error:
        load(write_fixture(tmp_path / "seeds", data))
    assert (
        "statements[2], field 'text': the same party and words as fixture.yaml: "
        f"{STATEMENT_0}." in str(error.value)
    )


def test_a_duplicate_slug_is_refused_naming_both_records(db, tmp_path):
    data = small_fixture()
    data["claims"].append(dict(data["claims"][0]))
    with pytest.raises(CommandError, match=r"claims\[1\] \(patrol-crossed\), field 'slug': "):
        load(write_fixture(tmp_path / "seeds", data))


def test_a_parent_loop_names_the_parties_in_the_loop_only(db, tmp_path):
    data = small_fixture()
    data["parties"][1]["parent"] = "southern-government"
    data["parties"][2]["parent"] = "northern-government"
    with pytest.raises(CommandError) as error:
        load(write_fixture(tmp_path / "seeds", data))
    message = str(error.value)
    assert "parents form a loop: " in message
    loop = message.split("parents form a loop: ")[1].rstrip(".").split(" > ")
    assert set(loop) == {"northern-government", "southern-government"}
    assert loop[0] == loop[-1]


def test_yaml_aliases_are_refused_at_once(db, tmp_path):
    """A "billion laughs": nine levels of nine aliases would stand for 387 million values."""
    lines = ['a0: &a0 ["lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "fixture.yaml").write_text("\n".join(lines) + "\n")
    with pytest.raises(CommandError, match=r"fixture.yaml, line 2, column \d+: malformed YAML: "):
        load(seeds)


def test_an_oversized_file_is_refused_before_it_is_read(db, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "fixture.yaml").write_text("# " + "x" * 6_000_000 + "\n")
    with pytest.raises(CommandError, match=r"fixture.yaml: larger than 5,000,000 bytes"):
        load(seeds)


def test_malformed_yaml_is_refused_with_its_line(db, seeds):
    path = seeds / "fixture.yaml"
    path.write_text(path.read_text() + "  - slug: [broken\n")
    with pytest.raises(CommandError, match=r"fixture.yaml, line \d+, column \d+: malformed YAML"):
        load(seeds)
    assert sum(contents().values()) == 0


def test_a_missing_article_file_is_named(db, tmp_path):
    data = small_fixture()
    del data["articles"][0]["body"]
    data["articles"][0]["text_file"] = "missing.txt"
    with pytest.raises(CommandError, match=r"field 'text_file': no file 'missing\.txt'"):
        load(write_fixture(tmp_path / "seeds", data))


def test_a_directory_without_fixture_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match=r"no \.yaml file to load"):
        load(tmp_path)


# The curated seed itself: what DESIGN.md says a curator reads in the seed article.


def test_the_curated_seed_records_the_zone_dispute_verbatim(db):
    load(SEEDS)
    claim = Claim.objects.get(slug="azerbaijani-troops-entered-peacekeeping-zone")
    by_party = {
        (stance.statement.party.slug, stance.value)
        for stance in claim.stances.select_related("statement__party")
    }
    assert ("russian-defence-ministry", StanceValue.SUPPORTS) in by_party
    assert ("azerbaijani-defence-ministry", StanceValue.REFUTES) in by_party
    source_text = " ".join((SEEDS / "000_930046805f83b52a.txt").read_text().split())
    for statement in Statement.objects.select_related("article"):
        assert statement.article.body[statement.start : statement.end] == statement.text
        assert " ".join(statement.text.split()) in source_text
