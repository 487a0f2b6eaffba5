"""Where statements come from: outlets, their articles (and every version of their text), the
parties quoted and the places named."""

import hashlib
import re
from functools import cache, cached_property

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from tree_queries.query import TreeQuerySet

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

SLUG_HELP = (
    "Lower-case words joined by hyphens; used in the public address. Changing it is safe: the "
    "old address leads on to the new one."
)
# Only web addresses are ever stored or shown as links: no javascript:, data: or file: URLs.
WEB_ADDRESS = URLValidator(schemes=["http", "https"])
WIKIDATA_ITEM = RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata item identifier: Q and a number.")


def wikidata_field() -> models.CharField:
    return models.CharField(
        max_length=20,
        blank=True,
        validators=[WIKIDATA_ITEM],
        verbose_name="Wikidata item",
        help_text="Its Wikidata identifier, if it has one (“Q1047412”): reusers of the data link "
        "it to everything else known about it.",
    )


def normalize_text(text: str) -> str:
    """Line endings to \\n, no trailing spaces on a line, at most one blank line in a row.

    Browsers submit text areas with \\r\\n and pasted text carries stray spaces; statement
    offsets are only stable if the stored body has one canonical form.
    """
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class HierarchyQuerySet(TreeQuerySet):
    """Records that form a tree (a ministry under its government, an incident under its
    conflict), with one notion of above and below at any depth: a recursive query over the
    whole (small) table, on PostgreSQL and SQLite alike (django-tree-queries)."""

    def paths(self) -> dict[int, list[int]]:
        """Every record's id, with the ids from its root down to itself."""
        every = self.model._default_manager.with_tree_fields()
        return {pk: list(path) for pk, path in every.values_list("pk", "tree_path")}

    def and_below(self, ids: "set[int] | list[int]") -> "HierarchyQuerySet":
        """These records and every record under them: one small query per level below."""
        return self.filter(pk__in=self.ids_and_below(ids))

    def ids_and_below(self, ids: "set[int] | list[int]") -> set[int]:
        """The ids of these records and of every record under them, at any depth."""
        found = level = set(ids)
        while level:
            children = self.model._default_manager.filter(parent__in=level)
            level = set(children.values_list("pk", flat=True)) - found
            found = found | level
        return found

    def and_above(self, ids: "set[int] | list[int]") -> "HierarchyQuerySet":
        """These records and every record above them: one small query per level above."""
        found = level = set(ids)
        while level:
            parents = self.model._default_manager.filter(pk__in=level, parent__isnull=False)
            level = set(parents.values_list("parent", flat=True)) - found
            found = found | level
        return self.filter(pk__in=found)


class InTree:
    """A record in a tree (a party under a government, a topic under a wider one)."""

    @cached_property
    def with_descendants(self) -> list[int]:
        """The ids of this record and of every record under it, at any depth, walked once for
        the record: a list filtered by a party asks whether readers may see it, and then for
        what it and its sub-parties said."""
        return sorted(type(self)._default_manager.ids_and_below([self.pk]))


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


class FormerSlug(models.Model):
    """An address a record had before its slug changed. Requests for it answer 301 with the
    record's current address, after any number of renames."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    slug = models.SlugField(max_length=120)
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "slug"], name="former_slug_unique")
        ]

    def __str__(self) -> str:
        return self.slug

    @classmethod
    def holder(cls, model: type[models.Model], slug: str) -> models.Model | None:
        """The record of `model` that had `slug` last, if it still exists."""
        content_type = ContentType.objects.get_for_model(model)
        former = cls.objects.filter(content_type=content_type, slug=slug).first()
        return model._default_manager.filter(pk=former.object_id).first() if former else None


NOT_LOADED = object()


@cache
def remembered_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields a RemembersLoaded model's classes name in `remembered`, all of them."""
    named = (
        name for klass in reversed(model.__mro__) for name in vars(klass).get("remembered", ())
    )
    return tuple(dict.fromkeys(named))


class RemembersLoaded(models.Model):
    """A record that remembers what some of its fields held when it was loaded, as
    `loaded_<field>`, and again after each save, so that a save can tell what it changes. Each
    class names the fields it needs in `remembered`. Nothing is remembered for a field the query
    left out (a page that loads statements without their words), nor for a new record."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        written = kwargs.get("update_fields")
        for name in remembered_fields(type(self)):
            # A save of some fields leaves the others as the database holds them.
            if written is None or name in written or name.removesuffix("_id") in written:
                setattr(self, f"loaded_{name}", getattr(self, name))

    def changed(self, name: str) -> bool:
        """Whether the field differs from what was loaded, or nothing was (a new record)."""
        return getattr(self, name) != getattr(self, f"loaded_{name}", NOT_LOADED)

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        for name in remembered_fields(cls):
            if name in field_names:
                setattr(instance, f"loaded_{name}", getattr(instance, name))
        return instance


class KeepsFormerSlugs(RemembersLoaded):
    """A record with a public address by slug: when the slug changes, the old one is kept, so
    that every page, feed and API address with it still leads to the record."""

    remembered = ("slug",)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        loaded = getattr(self, "loaded_slug", None)
        super().save(*args, **kwargs)
        if loaded and loaded != self.slug:
            content_type = ContentType.objects.get_for_model(type(self))
            FormerSlug.objects.update_or_create(
                content_type=content_type, slug=loaded, defaults={"object_id": self.pk}
            )
            FormerSlug.objects.filter(content_type=content_type, slug=self.slug).delete()


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
    url = models.URLField(
        blank=True,
        verbose_name="website",
        validators=[WEB_ADDRESS],
        help_text="Home page of the outlet.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [choices_constraint("kind", OutletKind.values)]

    def __str__(self) -> str:
        return self.name


class ArticleKind(models.TextChoices):
    NEWS_REPORT = "news_report", "News report"
    PRESS_RELEASE = "press_release", "Press release or official statement"
    TRANSCRIPT = "transcript", "Transcript"
    SOCIAL_MEDIA_POST = "social_media_post", "Social media post"
    OTHER = "other", "Other"


class ArticleQuerySet(models.QuerySet):
    def with_outlets(self) -> "ArticleQuerySet":
        return (
            self.select_related("outlet", "capture")
            .defer("capture__text")
            .prefetch_related("wire_credits")
        )


class Article(KeepsFormerSlugs):
    slug = models.SlugField(unique=True, max_length=120, help_text=SLUG_HELP)
    title = models.CharField(max_length=300, help_text="The headline as published.")
    outlet = models.ForeignKey(
        Outlet,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="The outlet that published the article.",
    )
    kind = models.CharField(
        max_length=20,
        choices=ArticleKind.choices,
        default=ArticleKind.NEWS_REPORT,
        help_text=(
            "A news report tells what parties said; a press release, official statement, "
            "transcript or social media post is a party's own words, a primary source."
        ),
    )
    standfirst = models.TextField(
        blank=True, help_text="The summary under the headline, if the article has one."
    )
    body = models.TextField(
        help_text=(
            "The article text exactly as published. Every version of it is kept as a capture. "
            "When you edit it, each statement is found again word for word; one whose words are "
            "gone keeps them and is flagged for you."
        )
    )
    capture = models.ForeignKey(
        "Capture",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="current capture",
        help_text="The capture of the current body.",
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
        max_length=500,
        blank=True,
        verbose_name="URL",
        validators=[WEB_ADDRESS],
        help_text="Where the article is published.",
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
        constraints = [
            choices_constraint("language", [code for code, _ in LANGUAGES]),
            choices_constraint("kind", ArticleKind.values),
        ]
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

    @property
    def is_primary_source(self) -> bool:
        """A party's own words rather than a report of them."""
        return self.kind not in (ArticleKind.NEWS_REPORT, ArticleKind.OTHER)


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Capture(models.Model):
    """One version of an article's text as Claimtrack recorded it: never changed, never deleted.

    A changed body makes a new capture. Statements keep the capture their words were taken
    from, so what an article said when it was curated can always be shown and checked against
    its SHA-256 and an archived copy.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="captures")
    text = models.TextField(editable=False)
    sha256 = models.CharField(
        max_length=64,
        editable=False,
        db_index=True,
        verbose_name="SHA-256",
        help_text="The SHA-256 of the text's UTF-8 bytes, in hexadecimal.",
    )
    captured_at = models.DateTimeField(auto_now_add=True)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="Who saved this version of the text (none for seeds and imports).",
    )
    archive_url = models.URLField(
        max_length=500,
        blank=True,
        verbose_name="archive address",
        validators=[WEB_ADDRESS],
        help_text=(
            "A snapshot of the article in a web archive (web.archive.org, perma.cc) showing "
            "this text, so readers can check it even if the article changes or disappears."
        ),
    )

    class Meta:
        ordering = ["-captured_at", "-pk"]
        get_latest_by = ["captured_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$"), name="capture_sha256_hex"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article}, captured {self.captured_at:%d %B %Y %H:%M} ({self.short_hash})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is None:
            self.sha256 = sha256_of(self.text)
        elif Capture.objects.filter(pk=self.pk).exclude(archive_url="").exists():
            raise ValidationError("A capture is never changed once it has an archive address.")
        else:
            # Only a missing archive address may be filled in later; nothing else changes.
            kwargs["update_fields"] = ["archive_url"]
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("A capture is never deleted: it is the record of what was said.")

    @property
    def short_hash(self) -> str:
        return self.sha256[:12]


class PartyKind(models.TextChoices):
    MINISTRY = "ministry", "Ministry"
    GOVERNMENT = "government", "Government"
    ARMED_FORCES = "armed_forces", "Armed forces"
    PERSON = "person", "Person"
    INTERNATIONAL_BODY = "international_body", "International body"
    OTHER = "other", "Other"


class Party(InTree, KeepsFormerSlugs):
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
    wikidata_id = wikidata_field()

    objects = HierarchyQuerySet.as_manager()

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
    wikidata_id = wikidata_field()

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
