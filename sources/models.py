"""Where statements come from: outlets, their articles, the parties quoted and the places named."""

import re

from django.core.exceptions import ValidationError
from django.db import models

# The languages of the region's reporting; a fixed list so migrations do not follow Django's.
LANGUAGES = [
    ("en", "English"),
    ("ar", "Arabic"),
    ("hy", "Armenian"),
    ("az", "Azerbaijani"),
    ("fr", "French"),
    ("ka", "Georgian"),
    ("de", "German"),
    ("fa", "Persian"),
    ("ru", "Russian"),
    ("es", "Spanish"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
]

SLUG_HELP = "Lower-case words joined by hyphens; used in the public address. Never reuse one."


def normalize_text(text: str) -> str:
    """Line endings to \\n, no trailing spaces on a line, at most one blank line in a row.

    Browsers submit text areas with \\r\\n and pasted text carries stray spaces; statement
    offsets are only stable if the stored body has one canonical form.
    """
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def refuse_own_ancestor(instance: models.Model, message: str) -> None:
    """A tree (parties, topics) may not loop: the instance must not be above its own parent."""
    ancestor, seen = instance.parent, set()
    while ancestor is not None and ancestor.pk not in seen:
        if instance.pk is not None and ancestor.pk == instance.pk:
            raise ValidationError({"parent": message})
        seen.add(ancestor.pk)
        ancestor = ancestor.parent


def choices_constraint(field: str, values: list[str]) -> models.CheckConstraint:
    """The database, not only the form, refuses a value outside the field's choices."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__in": values}),
        name=f"%(app_label)s_%(class)s_{field}_valid",
    )


class OutletKind(models.TextChoices):
    PUBLISHER = "publisher", "Publisher"
    WIRE_AGENCY = "wire_agency", "Wire agency"
    BROADCASTER = "broadcaster", "Broadcaster"
    OTHER = "other", "Other"


class Outlet(models.Model):
    slug = models.SlugField(unique=True, help_text=SLUG_HELP)
    name = models.CharField(
        max_length=200, help_text="As the outlet names itself: “Deutsche Welle”."
    )
    kind = models.CharField(
        max_length=20,
        choices=OutletKind.choices,
        default=OutletKind.PUBLISHER,
        help_text="A publisher runs articles under its name; a wire agency supplies them (AFP).",
    )
    country = models.CharField(
        max_length=100, blank=True, help_text="Where the outlet is based: “Germany”."
    )
    url = models.URLField(blank=True, verbose_name="website", help_text="Home page of the outlet.")

    class Meta:
        ordering = ["name"]
        constraints = [choices_constraint("kind", OutletKind.values)]

    def __str__(self) -> str:
        return self.name


class ArticleQuerySet(models.QuerySet):
    def with_outlets(self) -> "ArticleQuerySet":
        return self.select_related("outlet").prefetch_related("wire_credits")


class Article(models.Model):
    slug = models.SlugField(unique=True, max_length=120, help_text=SLUG_HELP)
    title = models.CharField(max_length=300, help_text="The headline as published.")
    outlet = models.ForeignKey(
        Outlet,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="The outlet that published the article.",
    )
    standfirst = models.TextField(
        blank=True, help_text="The summary under the headline, if the article has one."
    )
    body = models.TextField(
        help_text=(
            "The article text exactly as published. Statements are spans of this text: when you "
            "edit it, every statement is found again and any that cannot be is flagged."
        )
    )
    language = models.CharField(
        max_length=10,
        choices=LANGUAGES,
        default="en",
        help_text="The language the article is written in.",
    )
    published_on = models.DateField(
        null=True, blank=True, help_text="Leave empty when the article carries no date."
    )
    url = models.URLField(
        max_length=500, blank=True, verbose_name="URL", help_text="Where the article is published."
    )
    byline = models.CharField(
        max_length=200, blank=True, help_text="Author names or initials as printed: “mm/wd”."
    )
    wire_credits = models.ManyToManyField(
        Outlet,
        blank=True,
        related_name="credited_articles",
        help_text="Agencies the article credits (AFP, Reuters).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [choices_constraint("language", [code for code, _ in LANGUAGES])]
        indexes = [models.Index(fields=["-published_on", "title"], name="article_published_idx")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.normalize()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.normalize()

    def normalize(self) -> None:
        self.body = normalize_text(self.body)
        self.standfirst = normalize_text(self.standfirst)


class PartyKind(models.TextChoices):
    MINISTRY = "ministry", "Ministry"
    GOVERNMENT = "government", "Government"
    ARMED_FORCES = "armed_forces", "Armed forces"
    PERSON = "person", "Person"
    INTERNATIONAL_BODY = "international_body", "International body"
    OTHER = "other", "Other"


class Party(models.Model):
    slug = models.SlugField(unique=True, max_length=120, help_text=SLUG_HELP)
    name = models.CharField(
        max_length=200,
        help_text="A neutral, full name: “Russian Defence Ministry”, not “Moscow”.",
    )
    side = models.CharField(
        max_length=100,
        db_index=True,
        help_text=(
            "The country or side the party speaks for: “Russia”, “Nagorno-Karabakh de facto "
            "authorities”. Spell a side the same way on every party."
        ),
    )
    kind = models.CharField(
        max_length=20, choices=PartyKind.choices, help_text="What sort of speaker."
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The body the party belongs to: a ministry's government.",
    )
    description = models.TextField(blank=True, help_text="Optional background for readers.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="party_not_own_parent"
            ),
            choices_constraint("kind", PartyKind.values),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        refuse_own_ancestor(self, "A party cannot sit under itself.")


class PartyAlias(models.Model):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(
        max_length=200, help_text="Another name articles use for the party: “Moscow”."
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "alias"
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(fields=["party", "name"], name="party_alias_unique_per_party")
        ]

    def __str__(self) -> str:
        return self.name


class Place(models.Model):
    slug = models.SlugField(unique=True, max_length=120, help_text=SLUG_HELP)
    name = models.CharField(
        max_length=200, help_text="The name the site uses; give the others below."
    )
    description = models.TextField(blank=True, help_text="Where it is, for readers.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PlaceName(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="alternative_names")
    name = models.CharField(max_length=200, help_text="Another name for the place: “Parukh”.")
    used_by = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who uses this name: “Armenian sources”, “Azerbaijani government”.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "alternative name"
        constraints = [
            models.UniqueConstraint(fields=["place", "name"], name="place_name_unique_per_place")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.used_by})" if self.used_by else self.name
