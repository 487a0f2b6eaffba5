"""`manage.py propose_statements`: proposals for article files, as JSON or text."""

import json
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sources.models import Party, PartyAlias

KEYS = {
    "party", "party_slug", "attributed_as", "attributed_start", "attributed_end", "text",
    "start", "end", "mode", "confidence", "claims",
}  # fmt: skip
BODY = (
    "Arvenia says Kostrel troops crossed border\n\n"
    "SERNIK, March 14 — Arvenia’s Defence Ministry said on Saturday that Kostrel troops had "
    "crossed the border.\r\n\r\n"
    "“This was a planned attack,” Defence Minister Davit Oran said.\n\n"
    "Kostrel denied that its soldiers had entered Arvenian territory.\n"
)


def propose_json(*paths: Path) -> dict:
    out = StringIO()
    call_command("propose_statements", *map(str, paths), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "border.txt"
    path.write_bytes(BODY.encode("utf-8"))
    return path


@pytest.mark.django_db
def test_json_lists_each_proposal_with_exactly_the_documented_keys(article: Path) -> None:
    proposals = propose_json(article)[str(article)]
    assert len(proposals) == 4
    body = article.read_bytes().decode("utf-8")
    for proposal in proposals:
        assert set(proposal) == KEYS
        assert proposal["text"] == body[proposal["start"] : proposal["end"]]
        assert (
            proposal["attributed_as"]
            == body[proposal["attributed_start"] : proposal["attributed_end"]]
        )
        assert proposal["mode"] in ("direct_quote", "paraphrase")
        assert 0 <= proposal["confidence"] <= 1
    quote = next(p for p in proposals if p["mode"] == "direct_quote")
    assert quote["text"] == "This was a planned attack"


@pytest.mark.django_db
def test_a_known_party_is_given_by_its_slug_and_a_new_one_by_null(article: Path) -> None:
    ministry = Party.objects.create(
        slug="arvenian-defence-ministry", name="Arvenian Defence Ministry", side="Arvenia",
        kind="ministry",
    )  # fmt: skip
    PartyAlias.objects.create(party=ministry, name="Arvenia's Defence Ministry")
    proposals = propose_json(article)[str(article)]
    by_speaker = {p["attributed_as"]: (p["party"], p["party_slug"]) for p in proposals}
    assert by_speaker["Arvenia’s Defence Ministry"] == (
        "Arvenian Defence Ministry",
        "arvenian-defence-ministry",
    )
    assert by_speaker["Kostrel"] == ("Kostrel", None)


@pytest.mark.django_db
def test_claims_are_suggested_with_a_stance_and_a_score(article: Path) -> None:
    from claims.models import Claim, Topic

    topic = Topic.objects.create(slug="border", name="Border clash")
    Claim.objects.create(
        slug="kostrel-troops-crossed-the-border",
        text="Kostrel troops crossed the border into Arvenia.",
        topic=topic,
    )
    proposals = propose_json(article)[str(article)]
    denial = next(p for p in proposals if p["attributed_as"] == "Kostrel")
    assert denial["claims"][0]["slug"] == "kostrel-troops-crossed-the-border"
    assert denial["claims"][0]["stance"] == "refutes"
    assert 0 < denial["claims"][0]["score"] <= 1


@pytest.mark.django_db
def test_text_format_shows_speaker_mode_and_words(article: Path) -> None:
    out = StringIO()
    call_command("propose_statements", str(article), stdout=out)
    output = out.getvalue()
    assert f"{article}: 4 proposed statements" in output
    assert "direct quote" in output
    assert "“This was a planned attack”" in output


@pytest.mark.django_db
def test_missing_file_is_a_one_line_error_naming_it(article: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("propose_statements", str(article), str(missing), stdout=out)
    assert str(missing) in str(error.value)
    assert "\n" not in str(error.value)
    assert out.getvalue() == ""


@pytest.mark.django_db
def test_non_utf8_file_is_a_one_line_error_naming_it(tmp_path: Path) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Le ministère a déclaré".encode("latin-1"))
    with pytest.raises(CommandError, match=re.escape(f"{latin}: not UTF-8 text.")) as error:
        call_command("propose_statements", str(latin))
    assert "\n" not in str(error.value)


def test_command_exits_non_zero_with_the_error_on_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    manage = Path(__file__).resolve().parents[1] / "manage.py"
    result = subprocess.run(
        [sys.executable, str(manage), "propose_statements", str(missing)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert result.stdout == ""
    # Apps may log their start-up on stderr; the error is the last line, and one line.
    assert result.stderr.strip().splitlines()[-1] == f"CommandError: {missing}: no such file."
