"""Precision, recall and speed of the attribution assistant on its development set."""

import json

from django.core.management.base import BaseCommand

from claims.assistant.devset import DIRECTORY, load_devset
from claims.assistant.evaluation import SETTINGS, ArticleResult, evaluate, summary

RECORDED_FIGURES = DIRECTORY / "recorded_figures.json"


def row(result: ArticleResult) -> str:
    precision = result.matched / result.proposed if result.proposed else 1.0
    recall = result.matched / result.annotated if result.annotated else 1.0
    return (
        f"  {result.name:<32} {'held-out' if result.held_out else 'tuning':<9} "
        f"{result.matched:>3}/{result.proposed:<3} P {precision:.2f}  "
        f"{result.matched:>3}/{result.annotated:<3} R {recall:.2f}  "
        f"{result.milliseconds:6.1f} ms  {result.milliseconds_per_500_words:6.1f} ms/500 words"
    )


class Command(BaseCommand):
    help = (
        "Evaluates the attribution assistant on the annotated development set: precision and "
        "recall of (speaker, span) per article and overall, tuning and held-out articles "
        "apart, and the time per article. Needs nothing from the database."
    )
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--record",
            action="store_true",
            help=f"Rewrite {RECORDED_FIGURES.name} with these figures.",
        )

    def handle(self, *args, record: bool, **options) -> None:
        articles = load_devset()
        recorded = {}
        for setting in SETTINGS:
            results = evaluate(articles, setting)
            self.stdout.write(f"Known parties: {setting.replace('_', ' ')}")
            for result in results:
                self.stdout.write(row(result))
            recorded[setting] = summary(results)
            for part, figures in recorded[setting].items():
                self.stdout.write(
                    f"  {part:<9} {figures['articles']:>2} articles  "
                    f"precision {figures['precision']:.3f}  recall {figures['recall']:.3f}  "
                    f"{figures['ms_per_500_words']:.1f} ms/500 words"
                )
            self.stdout.write("")
        if record:
            RECORDED_FIGURES.write_text(json.dumps(recorded, indent=2) + "\n", encoding="utf-8")
            self.stdout.write(f"Recorded in {RECORDED_FIGURES.name}.")
