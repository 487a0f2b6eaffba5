"""A topic's matrix shows every party's stance on every claim at a glance, and stays readable
when the topic is big: a page of claims, and the parties that spoke most on them."""

from publishing.views import MATRIX_PARTIES, MATRIX_ROWS

from .pages import Element, page_of
from .sites import Site


def claim_rows(matrix: Element) -> dict[str, list[str]]:
    """Each claim's row, by the claim's text: what its cells say, column by column."""
    return {row[0].text: [cell.text for cell in row[1:]] for row in matrix.rows[1:]}


def party_columns(matrix: Element) -> list[str]:
    """The parties heading the columns, by the address of their page."""
    return [cell.links[0].href for cell in matrix.rows[0][1:]]


def test_the_matrix_shows_each_partys_stance_on_each_claim(client, site: Site):
    page = page_of(client.get(site.topic.get_absolute_url()))
    [matrix] = page.find_all("table")
    assert party_columns(matrix) == [
        site.denier.get_absolute_url(),
        site.accuser.get_absolute_url(),
    ]
    assert claim_rows(matrix) == {
        site.contested_claim.text: ["Refutes Disputes", "Supports"],
        site.post_claim.text: ["Refutes", "Supports"],
        site.one_sided_claim.text: ["No statement", "Supports"],
    }
    cells = {link.href for link in matrix.links if "#" in link.href}
    assert f"{site.contested_claim.get_absolute_url()}#{site.fabrication.html_id}" in cells


def test_a_parent_topic_includes_its_subtopics_claims(client, site: Site):
    page = page_of(client.get(site.parent_topic.get_absolute_url()))
    [matrix] = page.find_all("table")
    assert set(claim_rows(matrix)) == {claim.text for claim in site.published_claims}
    assert f"Includes: {site.topic.name}" in page.text
    assert site.topic.get_absolute_url() in [link.href for link in page.links]


def test_the_matrix_pages_claims_and_keeps_the_busiest_parties(client, dispute):
    # The main claim, oldest of all, and one claim per row, each on a page of its own parties.
    dispute(0, MATRIX_ROWS)
    first = page_of(client.get("/topics/farukh-parukh-incident-2022/"))
    [matrix] = first.find_all("table")
    assert len(claim_rows(matrix)) == MATRIX_ROWS
    assert "Page 1 of 2" in first.text
    # The only party speaking on the newest claims.
    assert party_columns(matrix) == ["/parties/prolific/"]
    last = page_of(client.get("/topics/farukh-parukh-incident-2022/?page=2"))
    [matrix] = last.find_all("table")
    assert list(claim_rows(matrix)) == ["The main claim"]
    columns = party_columns(matrix)
    assert len(columns) == MATRIX_PARTIES and "/parties/prolific/" in columns
    speakers = MATRIX_ROWS + 1  # a party per row, and the prolific one
    assert f"{speakers - MATRIX_PARTIES} other parties spoke on them too" in last.text
    unreadable = page_of(client.get("/topics/farukh-parukh-incident-2022/?page=abc"))
    assert unreadable.text == first.text
