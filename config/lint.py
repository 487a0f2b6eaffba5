"""An import-linter contract for what imports do not show: URL names.

`reverse("publishing:claim_detail")` in `claims`, or `{% url 'api:docs' %}` in an admin template,
ties a lower layer to a higher one as surely as an import. `make lint` checks it beside the
layers contract in pyproject.toml.
"""

import re
from pathlib import Path

from importlinter import Contract, ContractCheck, fields, output

# A URL name in a string: 'publishing:claim_detail', "api:docs", f"publishing:{name}".
URL_NAME = re.compile(r"""["'](?P<namespace>[\w-]+):(?P<name>[\w{}-]*)""")


def parse_owners(entries: list[str]) -> list[tuple[str, set[str]]]:
    """'package: namespace namespace' entries, highest layer first."""
    owners = []
    for entry in entries:
        package, _, namespaces = entry.partition(":")
        owners.append((package.strip(), set(namespaces.split())))
    return owners


class UrlNamesContract(Contract):
    """No module of a layer, nor a template folder given to it, names a URL that a higher layer
    defines."""

    type_name = "url names"

    layers = fields.ListField(subfield=fields.StringField())
    templates = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph, verbose: bool) -> ContractCheck:
        owners = parse_owners(self.layers)
        folders = parse_owners(self.templates or [])
        violations = []
        for index, (package, _) in enumerate(owners):
            higher = set().union(*(namespaces for _, namespaces in owners[:index]))
            if not higher:
                continue
            files = [self.module_file(module) for module in sorted(graph.modules)]
            files = [
                file
                for module, file in zip(sorted(graph.modules), files, strict=True)
                if file and (module == package or module.startswith(f"{package}."))
            ]
            for layer, paths in folders:
                if layer == package:
                    for folder in paths:
                        files += sorted(Path(folder).rglob("*.html"))
            violations += self.violations(files, higher, package)
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    @staticmethod
    def module_file(module: str) -> Path | None:
        """The module's source, found without importing it (that would need Django set up)."""
        base = Path(*module.split("."))
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return candidate
        return None

    @staticmethod
    def violations(files: list[Path], higher: set[str], layer: str) -> list[str]:
        found = []
        for file in files:
            for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
                for match in URL_NAME.finditer(line):
                    if match["namespace"] in higher:
                        found.append(
                            f"{file}:{number}: {layer} names the URL "
                            f"{match['namespace']}:{match['name']} of a higher layer"
                        )
        return found

    def render_broken_contract(self, check: ContractCheck) -> None:
        for violation in check.metadata["violations"]:
            output.print_error(violation)
