"""`load_seeds` loads the curated seed article, idempotently, and refuses bad files whole."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from claims.models import Claim, Stance, StanceValue, Statement, Status, Topic
from sources.models import Article, Outlet, Party, PartyAlias, Place

SEEDS = Path(settings.BASE_DIR) / "seeds"
FIXTURE = "claimtrack.yaml"


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_seeds", *args, stdout=out)
    return out.getvalue()


def database_contents() -> dict[str, int]:
    models = (Outlet, Article, Party, PartyAlias, Place, Topic, Claim, Statement, Stance)
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    directory = tmp_path / "seeds"
    shutil.copytree(SEEDS, directory)
    return directory


def edit_fixture(directory: Path, change) -> None:
    path = directory / FIXTURE
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def test_the_seed_article_loads_with_counts(db):
    output = load()
    assert "Outlets: 3 created, 0 updated, 0 unchanged" in output
    assert "Claims: 8 created" in output
    assert "Statements: 11 created" in output
    assert database_contents() == {
        "Outlet": 3,
        "Article": 1,
        "Party": 8,
        "PartyAlias": 16,
        "Place": 3,
        "Topic": 2,
        "Claim": 8,
        "Statement": 11,
        "Stance": 16,
    }
    article = Article.objects.get()
    assert article.outlet.name == "Deutsche Welle"
    assert sorted(article.wire_credits.values_list("slug", flat=True)) == ["afp", "reuters"]
    assert article.title == "Nagorno-Karabakh: Russia says Azeri troops entered peacekeeping zone"
    assert article.body.startswith("Russian peacekeepers set up positions")
    assert set(Claim.objects.values_list("status", flat=True)) == {Status.PUBLISHED}


def test_the_peacekeeping_zone_claim_is_supported_by_russia_and_refuted_by_azerbaijan(db):
    load()
    claim = Claim.objects.get(slug="azerbaijani-troops-entered-peacekeeping-zone")
    by_party = {
        (stance.statement.party.slug, stance.value)
        for stance in claim.stances.select_related("statement__party")
    }
    assert ("russian-defence-ministry", StanceValue.SUPPORTS) in by_party
    assert ("azerbaijani-defence-ministry", StanceValue.REFUTES) in by_party
    assert ("azerbaijani-defence-ministry", StanceValue.SUPPORTS) not in by_party


def test_every_statement_is_found_verbatim_at_its_offsets(db):
    load()
    source_text = (SEEDS / "000_930046805f83b52a.txt").read_text()
    for statement in Statement.objects.select_related("article"):
        assert statement.article.body[statement.start : statement.end] == statement.text
        assert " ".join(statement.text.split()) in " ".join(source_text.split())


def test_a_second_run_changes_nothing_and_says_so(db):
    load()
    before = database_contents()
    updated_at = {s.pk: s.updated_at for s in Statement.objects.all()}
    output = load()
    assert "Nothing changed" in output
    assert "Claims: 0 created, 0 updated, 8 unchanged" in output
    assert database_contents() == before
    assert {s.pk: s.updated_at for s in Statement.objects.all()} == updated_at


def test_a_changed_record_is_counted_as_updated(db, seeds_copy):
    load("--path", str(seeds_copy))

    def rename(data):
        data["parties"][0]["name"] = "Government of the Russian Federation"

    edit_fixture(seeds_copy, rename)
    output = load("--path", str(seeds_copy))
    assert "Parties: 0 created, 1 updated, 7 unchanged" in output
    assert (
        Party.objects.get(slug="russian-government").name == "Government of the Russian Federation"
    )


def test_a_dry_run_reports_but_writes_nothing(db):
    output = load("--dry-run")
    assert "Claims: 8 created" in output
    assert "nothing was written" in output
    assert sum(database_contents().values()) == 0


def remove_side(data):
    del data["parties"][1]["side"]


def unknown_topic(data):
    data["claims"][2]["topic"] = "no-such-topic"


def misquoted_statement(data):
    data["articles"][0]["statements"][6]["text"] = "Azerbaijan's Defence Ministry denied everything"


def duplicate_claim(data):
    data["claims"].append(dict(data["claims"][0]))


def invalid_stance(data):
    data["articles"][0]["statements"][0]["stances"][0]["stance"] = "agrees"


def parent_as_a_list(data):
    data["parties"][1]["parent"] = ["russian-government"]


def date_as_a_number(data):
    data["claims"][0]["event_date"] = 2022


def unknown_field(data):
    data["outlets"][0]["founded"] = 1953


BAD_FIXTURES = [
    pytest.param(
        remove_side,
        "claimtrack.yaml: parties[1] (russian-defence-ministry), field 'side': "
        "this field is required.",
        id="missing field",
    ),
    pytest.param(
        unknown_topic,
        "claimtrack.yaml: claims[2] (azerbaijan-violated-2020-ceasefire), field 'topic': "
        "no topic with slug 'no-such-topic'.",
        id="unknown slug",
    ),
    pytest.param(
        misquoted_statement,
        "claimtrack.yaml: articles[0] (dw-russia-says-azeri-troops-entered-peacekeeping-zone) > "
        "statements[6], field 'text': “Azerbaijan's Defence Ministry denied everything” is not "
        "in the article’s body",
        id="statement not in article",
    ),
    pytest.param(
        duplicate_claim,
        "claimtrack.yaml: claims[8] (azerbaijani-troops-entered-peacekeeping-zone), field 'slug': "
        "duplicate slug",
        id="duplicate slug",
    ),
    pytest.param(
        invalid_stance,
        "statements[0] > stances[0], field 'stance': Value 'agrees' is not a valid choice.",
        id="invalid choice",
    ),
    pytest.param(
        parent_as_a_list,
        "claimtrack.yaml: parties[1] (russian-defence-ministry), field 'parent': expected the "
        "parent's slug.",
        id="parent not a slug",
    ),
    pytest.param(
        date_as_a_number,
        "claimtrack.yaml: claims[0] (azerbaijani-troops-entered-peacekeeping-zone), "
        "field 'event_date': 2022 is not a valid value here.",
        id="date of the wrong kind",
    ),
    pytest.param(
        unknown_field,
        "claimtrack.yaml: outlets[0] (deutsche-welle), field 'founded': unknown field.",
        id="unknown field",
    ),
]


@pytest.mark.parametrize(("change", "message"), BAD_FIXTURES)
def test_a_bad_file_is_refused_whole_with_file_record_and_field(db, seeds_copy, change, message):
    edit_fixture(seeds_copy, change)
    with pytest.raises(CommandError) as error:
        load("--path", str(seeds_copy))
    assert message in str(error.value)
    assert sum(database_contents().values()) == 0


@pytest.mark.parametrize(("change", "message"), BAD_FIXTURES)
def test_a_bad_file_leaves_a_loaded_database_untouched(db, seeds_copy, change, message):
    load("--path", str(seeds_copy))
    before = database_contents()
    names = dict(Party.objects.values_list("slug", "name"))
    edit_fixture(seeds_copy, lambda data: data["parties"][0].update(name="Renamed"))
    edit_fixture(seeds_copy, change)
    with pytest.raises(CommandError):
        load("--path", str(seeds_copy))
    assert database_contents() == before
    assert dict(Party.objects.values_list("slug", "name")) == names


def test_malformed_yaml_is_refused_with_its_line(db, seeds_copy):
    path = seeds_copy / FIXTURE
    path.write_text(path.read_text().replace("  - slug: afp\n", "  - slug: [afp\n", 1))
    with pytest.raises(
        CommandError, match=r"claimtrack.yaml, line \d+, column \d+: malformed YAML"
    ):
        load("--path", str(seeds_copy))
    assert sum(database_contents().values()) == 0


def test_a_missing_article_file_is_named(db, seeds_copy):
    (seeds_copy / "000_930046805f83b52a.txt").unlink()
    with pytest.raises(
        CommandError, match=r"field 'text_file': no file '000_930046805f83b52a\.txt'"
    ):
        load("--path", str(seeds_copy))


def test_a_directory_without_fixture_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match=r"no \.yaml file to load"):
        load("--path", str(tmp_path))
