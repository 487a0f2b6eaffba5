"""Reading a page as a reader does: its text, links, regions, tables and facts, so that tests
assert what is shown rather than the markup that shows it."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import NamedTuple

VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
}  # fmt: skip
INLINE_ELEMENTS = {
    "a", "abbr", "b", "cite", "code", "del", "em", "i", "ins", "kbd", "label", "mark", "q", "s",
    "small", "span", "strong", "sub", "sup", "time", "u",
}  # fmt: skip
UNREAD_ELEMENTS = {"script", "style", "template"}


class Link(NamedTuple):
    href: str
    text: str


@dataclass
class Element:
    tag: str
    attributes: dict[str, str | None]
    children: list["Element | str"]

    def descendants(self) -> Iterator["Element"]:
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.descendants()

    def find_all(self, *tags: str) -> list["Element"]:
        return [element for element in self.descendants() if element.tag in tags]

    @property
    def text(self) -> str:
        """The words as a reader meets them, spaces collapsed: what assistive technology reads
        (parts marked aria-hidden, such as icons, left out; scripts are not text)."""
        return " ".join("".join(self._pieces()).split())

    def _pieces(self) -> Iterator[str]:
        for child in self.children:
            if isinstance(child, str):
                yield child
            elif child.tag in UNREAD_ELEMENTS or child.attributes.get("aria-hidden") == "true":
                continue
            elif child.tag in INLINE_ELEMENTS:
                yield from child._pieces()
            else:
                yield " "
                yield from child._pieces()
                yield " "

    @property
    def links(self) -> list[Link]:
        return [
            Link(a.attributes["href"], a.text) for a in self.find_all("a") if "href" in a.attributes
        ]

    def region(self, name: str) -> "Element":
        """The part of the page named `name`, or a name starting with it ("Refutes" for
        "Refutes 2 statements"): by aria-label, by the heading its aria-labelledby points at,
        or, for a table, by its caption."""
        by_id = {
            element.attributes["id"]: element
            for element in self.descendants()
            if element.attributes.get("id")
        }
        names = []
        for element in self.descendants():
            labels = (element.attributes.get("aria-labelledby") or "").split()
            label = element.attributes.get("aria-label") or " ".join(
                by_id[i].text for i in labels if i in by_id
            )
            if not label and element.tag == "table":
                label = " ".join(caption.text for caption in element.find_all("caption")[:1])
            if label == name or label.startswith(f"{name} "):
                return element
            names.append(label)
        raise LookupError(f"No region named {name!r}; the named ones: {[n for n in names if n]}")

    def item_linking_to(self, href: str, tag: str = "li") -> "Element":
        """The innermost `tag` (a row of a list, by default) holding a link to `href`."""
        holding = [
            element
            for element in self.find_all(tag)
            if href in (link.href for link in element.links)
        ]
        if not holding:
            raise LookupError(f"No {tag} links to {href}")
        return holding[-1]

    @property
    def rows(self) -> list[list["Element"]]:
        """A table's rows, each a list of its header and data cells."""
        return [row.find_all("th", "td") for row in self.find_all("tr")]

    @property
    def facts(self) -> dict[str, str]:
        """The terms of the description lists within, each with its description."""
        facts, term = {}, ""
        for element in self.find_all("dt", "dd"):
            if element.tag == "dt":
                term = element.text
            else:
                facts[term] = element.text
        return facts

    @property
    def form_values(self) -> dict[str, str]:
        """What the fields within would send: text as typed, the option chosen in each list."""
        values = {}
        for element in self.find_all("input", "select", "textarea"):
            name = element.attributes.get("name")
            if not name or element.attributes.get("type") in {"submit", "button"}:
                continue
            if element.tag == "select":
                options = element.find_all("option")
                chosen = [o for o in options if "selected" in o.attributes] or options[:1]
                values[name] = next((o.attributes.get("value", o.text) for o in chosen), "")
            elif element.tag == "textarea":
                values[name] = "".join(
                    child for child in element.children if isinstance(child, str)
                )
            else:
                values[name] = element.attributes.get("value") or ""
        return values


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.document = Element("#document", {}, [])
        self.open = [self.document]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), [])
        self.open[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open[-1].children.append(Element(tag, dict(attrs), []))

    def handle_endtag(self, tag: str) -> None:
        # Closes what is open inside too, as browsers do; a closing tag with nothing open to
        # close is dropped.
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


CLAIM_PAGE = re.compile(r"/claims/([^/]+)/")


def claims_listed(element: Element) -> list[str]:
    """The slugs of the claims an element lists, in its order: its links to claim pages."""
    return [match[1] for link in element.links if (match := CLAIM_PAGE.fullmatch(link.href))]


def page_of(response) -> Element:
    """The HTML document a response holds, to read as a reader would."""
    return page_of_html(response.content.decode())


def page_of_html(html: str) -> Element:
    """A piece of HTML, to read as a reader would."""
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.document
