import time

from django.core.management.base import BaseCommand, CommandError

from bench import demo


class Command(BaseCommand):
    help = (
        "Generate synthetic outlets, parties, topics, claims, articles, statements and stances "
        "for benchmarks (slugs start with 'demo-'). Never run by `make run`."
    )

    def add_arguments(self, parser) -> None:
        defaults = demo.Sizes()
        parser.add_argument("--claims", type=int, default=defaults.claims)
        parser.add_argument("--statements", type=int, default=defaults.statements)
        parser.add_argument("--parties", type=int, default=defaults.parties)
        parser.add_argument("--topics", type=int, default=defaults.topics)
        parser.add_argument("--outlets", type=int, default=defaults.outlets)
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--replace", action="store_true", help="Delete earlier demo data first."
        )
        parser.add_argument(
            "--delete", action="store_true", help="Only delete the demo data, then stop."
        )

    def handle(self, *args, replace: bool, delete: bool, seed: int, **options) -> None:
        if delete or replace:
            self.stdout.write(f"Deleted {demo.delete()} demo rows.")
            if delete:
                return
        elif demo.exists():
            raise CommandError("Demo data is already loaded: use --replace, or --delete.")
        sizes = demo.Sizes(**{name: options[name] for name in demo.Sizes.__dataclass_fields__})
        for name, value in vars(sizes).items():
            if value < 1:
                raise CommandError(f"--{name} must be at least 1, not {value}.")
        started = time.monotonic()
        demo.DemoData(sizes, seed, report=self.stdout.write).generate()
        self.stdout.write(
            self.style.SUCCESS(f"Generated the demo data in {time.monotonic() - started:.0f} s.")
        )
