"""Propose statements from article text files, for a curator to review; writes nothing."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.assistant.known import known_claims, known_parties
from claims.assistant.proposals import Proposal, as_json, propose


def read_article(path: str) -> str:
    # newline="" keeps the file's own line endings, so offsets index the text as stored.
    try:
        with Path(path).open(encoding="utf-8", newline="") as file:
            return file.read()
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file.") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text.") from None
    except OSError as error:
        raise CommandError(f"{path}: cannot be read ({error.strerror}).") from None


# The keys the command prints, exactly (the screens keep the party's side and kind too).
JSON_KEYS = [
    "party",
    "party_slug",
    "attributed_as",
    "attributed_start",
    "attributed_end",
    "text",
    "start",
    "end",
    "mode",
    "confidence",
    "claims",
]


def printed(proposal: Proposal) -> dict:
    data = as_json(proposal)
    return {key: data[key] for key in JSON_KEYS}


def as_text(proposal: Proposal) -> list[str]:
    party = proposal.party
    known = f"[{party.slug}]" if party.slug else f"[new: side {party.side or '?'}, {party.kind}]"
    lines = [
        f"  {party.name} {known}, named “{proposal.attributed_as}” "
        f"({proposal.attributed_start}-{proposal.attributed_end})",
        f"    {proposal.mode.replace('_', ' ')} {proposal.start}-{proposal.end} "
        f"(cue “{proposal.cue}”), confidence {proposal.confidence:.2f}: “{proposal.text}”",
    ]
    lines += [
        f"    {claim.stance} {claim.slug} (score {claim.score:.2f})" for claim in proposal.claims
    ]
    return lines


class Command(BaseCommand):
    help = (
        "Proposes the statements in each article text file (the whole file is the body), with "
        "their speakers, spans, modes and likely claims. Writes nothing to the database."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Article text files.")
        parser.add_argument(
            "--format", choices=("text", "json"), default="text", help="Output format."
        )

    def handle(self, *args, paths: list[str], format: str, **options) -> None:
        bodies = {path: read_article(path) for path in paths}
        parties, claims = known_parties(), known_claims()
        found = {path: propose(body, parties, claims) for path, body in bodies.items()}
        if format == "json":
            output = {path: [printed(p) for p in proposals] for path, proposals in found.items()}
            self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))
            return
        for path, proposals in found.items():
            self.stdout.write(f"{path}: {len(proposals)} proposed statements")
            for proposal in proposals:
                self.stdout.write("\n".join(as_text(proposal)))
