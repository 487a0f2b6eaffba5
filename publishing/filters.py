"""The one FilterSet of the claim list, shared by the HTML page and the JSON API."""

import copy
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from html import escape

import django_filters
from django import forms
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.urls import reverse_lazy
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from claims.models import Stance, StanceValue, Topic
from claims.querysets import ClaimQuerySet
from claims.visibility import is_public_party, public_outlets, public_parties_called
from sources.models import Article, ArticleKind, Outlet, Party

from .cache import remembered

ORDERINGS = {
    "newest": ("-published_at", "-pk"),
    "statements": ("-statement_count", "-published_at", "-pk"),
    "contested": ("-contest_score", "-statement_count", "-published_at", "-pk"),
}
# Conditions that must all hold for one and the same statement: ?party=X&stance=refutes means
# "claims that X refutes", not "claims X speaks on and someone refutes".
STATEMENT_FILTERS = {
    # A party speaks through its sub-parties too: a government through its ministries.
    "party": lambda party: Q(statement__party__in=party.with_descendants),
    "stance": lambda value: Q(value=value),
    # An outlet reports what it published and what its wire copy carried into others' articles.
    "outlet": lambda outlet: (
        Q(statement__article__outlet=outlet) | Q(statement__article__wire_credits=outlet)
    ),
    "since": lambda day: Q(statement__said_on__gte=day),
    "until": lambda day: Q(statement__said_on__lte=day),
}


class QuickInput(forms.widgets.Input):
    """An <input> written out directly, as Django's template for it writes it: rendering that
    template is most of the time a list page spends on its form."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        given = widget["value"]
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            format_html(' value="{}"', given) if given is not None else "",
            attributes_of(widget["attrs"]),
        )


class QuickText(QuickInput, forms.TextInput):
    pass


class DatePicker(QuickInput, forms.DateInput):
    """The browser's date picker. It can only hold an ISO date, so a value that is not one (the
    form shows its error) is not written back into the field."""

    input_type = "date"

    def format_value(self, value):
        if isinstance(value, str):
            try:
                date.fromisoformat(value)
            except ValueError:
                return None
        return super().format_value(value)


class QuickSelect(forms.Select):
    """A <select> written out directly. Django renders each option through a template, which
    takes a third of a second for 2,000 parties; this takes a few milliseconds. (No option
    groups: no select here has any.)"""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        attributes = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        options = written_options(tuple(self.choices))
        for chosen in {str(item) for item in self.format_value(value)}:
            start = f'<option value="{escape(chosen)}"'
            options = options.replace(f"{start}>", f"{start} selected>")
        return mark_safe(f"<select{attributes_of(attributes)}>{options}</select>")


@lru_cache(maxsize=32)
def written_options(choices: tuple[tuple[object, object], ...]) -> str:
    """A select's options, none of them chosen, written once for each set of choices: every
    list page offers the same two hundred topics, and escaping them took a tenth of a list page
    built afresh. Plain escaping of plain strings: format_html's checks cost more than the
    option."""
    return "".join(
        f'<option value="{escape(str(key))}">{escape(str(label))}</option>'
        for key, label in choices
    )


def attributes_of(attrs: dict) -> SafeString:
    """The attributes as Django's flatatt writes them (escaped, in order of name, then those
    that are only present), without its format_html calls: each list page writes eight fields'."""
    named = sorted(
        (name, value) for name, value in attrs.items() if not isinstance(value, bool | None)
    )
    present = sorted(name for name, value in attrs.items() if value is True)
    written = "".join(f' {name}="{conditional_escape(value)}"' for name, value in named)
    return mark_safe(written + "".join(f" {name}" for name in present))


class PartySearch(QuickText):
    """A search field for a party, with the list of suggestions the browser shows under it;
    static/js/party-suggestions.js fills that list from the API as the reader types. Without
    scripts, the words typed are read as they are (PartyField)."""

    input_type = "search"
    suggestions = "party-suggestions"

    def __init__(self) -> None:
        super().__init__(
            attrs={
                "list": self.suggestions,
                "autocomplete": "off",
                "maxlength": 200,
                "data-suggest": reverse_lazy("api:party-list"),
            }
        )

    def render(self, name, value, attrs=None, renderer=None) -> str:
        field = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}"></datalist>', field, self.suggestions)


class PartyField(forms.CharField):
    """A party readers may see, by its address, its name or an alias (ignoring case), with
    the parties under it; an error that offers what matches when the words name none or
    several."""

    widget = PartySearch

    def clean(self, value) -> Party | None:
        text = super().clean(value)
        if not text:
            return None
        found = public_parties_called(text)
        if len(found) == 1:
            return found[0]
        if found:
            raise forms.ValidationError(
                "Several parties go by “%(text)s”: %(found)s. Type the address of the one you "
                "mean.",
                params={"text": text, "found": named(found)},
            )
        near = [
            party
            for party in Party.objects.filter(
                Q(name__icontains=text) | Q(aliases__name__icontains=text)
            )
            .distinct()
            .order_by("name", "pk")[:20]
            if is_public_party(party)
        ][:5]
        hint = f" Did you mean {named(near)}?" if near else " Type part of a name for suggestions."
        raise forms.ValidationError(
            "No party readers can see goes by “%(text)s”.%(hint)s",
            params={"text": text, "hint": hint},
        )


def named(parties: list[Party]) -> str:
    return "; ".join(f"{party.name} ({party.slug})" for party in parties)


@extend_schema_field(OpenApiTypes.STR)
class PartyFilter(django_filters.Filter):
    field_class = PartyField


class RememberedChoices(forms.models.ModelChoiceIterator):
    """The (slug, name) pairs a RememberedChoiceField offers, from the cache: a list page
    writes out every topic readers may see without loading one of them."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.field.choices_offered()

    def __len__(self) -> int:
        return len(self.field.choices_offered()) + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.field.choices_offered())


class RememberedChoiceField(forms.ModelChoiceField):
    """One of the objects readers may see, by its slug; what is offered is remembered as plain
    (slug, name) pairs, and only the object chosen is loaded."""

    iterator = RememberedChoices

    def __init__(self, *args, offered: Callable[[], list[tuple[str, str]]], **kwargs) -> None:
        self.offered = offered
        self.held: list[tuple[str, str]] | None = None
        super().__init__(*args, **kwargs)

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.held = None  # each form reads the choices afresh
        return copy

    def choices_offered(self) -> list[tuple[str, str]]:
        """The pairs offered, read once for the form's check of the value and its select."""
        if self.held is None:
            self.held = self.offered()
        return self.held

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if str(value) not in {slug for slug, _ in self.choices_offered()}:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


@extend_schema_field(OpenApiTypes.STR)
class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """Chooses, by its slug, one of the objects `public()` returns: readers are offered only
    what they may see, and a slug of anything else is refused like one of nothing. Which ones
    are public, with their names, is remembered until a write changes what lists show: every
    list page offers the same choices."""

    field_class = RememberedChoiceField

    def __init__(self, model: type[Model], public: Callable[[], QuerySet], **kwargs) -> None:
        name = f"public-choices-{model._meta.label_lower}"

        def offered() -> list[tuple[str, str]]:
            return remembered(
                name, lambda: list(public().order_by("name", "pk").values_list("slug", "name"))
            )

        super().__init__(
            queryset=model.objects.only("slug", "name"),
            to_field_name="slug",
            widget=QuickSelect,
            offered=offered,
            **kwargs,
        )


class BuiltOnce:
    """A FilterSet built for each request from parts made once per process: its form class
    (its fields follow from the filters' declarations alone, and each form copies them before
    it binds any data), and its filters copied one level deep rather than deep-copied with
    every queryset, widget and field they hold. django-filter did both for every list page, a
    tenth of one built afresh."""

    def __init__(self, *args, **kwargs) -> None:
        self.base_filters = {}  # copied below, not by django-filter's deepcopy
        super().__init__(*args, **kwargs)
        del self.base_filters
        model = self.queryset.model
        self.filters = {}
        for name, declared in type(self).base_filters.items():
            filter_ = copy.copy(declared)
            if declared.method is not None:
                # A FilterMethod of its own, which finds the method on this filterset.
                filter_.method = declared.method
            filter_.model, filter_.parent = model, self
            self.filters[name] = filter_

    def get_form_class(self):
        built = type(self).__dict__.get("built_form")
        if built is None:
            built = super().get_form_class()
            type(self).built_form = built
        return built


class PartyListFilter(BuiltOnce, django_filters.FilterSet):
    q = django_filters.CharFilter(
        widget=QuickText,
        method="filter_named",
        max_length=200,
        label="Name",
        help_text="Parties whose name or one of whose aliases holds these words, ignoring case.",
    )

    class Meta:
        model = Party
        fields = ["q"]

    def filter_named(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(name__icontains=value) | Q(aliases__name__icontains=value)
        ).distinct()


class ArticleFilter(BuiltOnce, django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        widget=QuickSelect,
        choices=ArticleKind.choices,
        empty_label="Any kind",
        label="Kind of source",
        help_text="News reports, or the parties' own words: press releases, transcripts, posts.",
    )

    class Meta:
        model = Article
        fields = ["kind"]


class ClaimFilter(BuiltOnce, django_filters.FilterSet):
    q = django_filters.CharFilter(
        widget=QuickText,
        label="Search",
        method="filter_search",
        max_length=200,
        help_text=(
            "Words from the claim or what parties said about it, a party’s name or alias, how "
            "an article named a speaker, a place’s name in any of its forms. "
            "“Quoted phrases” and -exclusions work."
        ),
    )
    party = PartyFilter(
        method="filter_statements",
        label="Party",
        help_text=(
            "A name, an alias or the party’s address. Includes the parties under it: a "
            "government’s ministries."
        ),
    )
    stance = django_filters.ChoiceFilter(
        widget=QuickSelect,
        choices=StanceValue.choices,
        method="filter_statements",
        empty_label="Any stance",
        label="Stance",
        help_text="With a party: that party’s stance.",
    )
    topic = SlugChoiceFilter(
        model=Topic,
        public=Topic.objects.public,
        method="filter_topic",
        empty_label="Any topic",
        label="Topic",
        help_text="Includes the topics under it.",
    )
    outlet = SlugChoiceFilter(
        model=Outlet,
        public=public_outlets,
        method="filter_statements",
        empty_label="Any outlet",
        label="Reported by",
    )
    contested = django_filters.ChoiceFilter(
        widget=QuickSelect,
        choices=[("true", "Contested only"), ("false", "Uncontested only")],
        method="filter_contested",
        empty_label="Contested or not",
        label="Contested",
        help_text="Asserted by one party and refuted or disputed by another.",
    )
    since = django_filters.DateFilter(
        method="filter_statements",
        label="Said on or after",
        widget=DatePicker(format="%Y-%m-%d"),
    )
    until = django_filters.DateFilter(
        method="filter_statements",
        label="Said on or before",
        widget=DatePicker(format="%Y-%m-%d"),
    )
    ordering = django_filters.ChoiceFilter(
        widget=QuickSelect,
        choices=[
            ("newest", "Newest"),
            ("statements", "Most statements"),
            ("contested", "Most contested"),
        ],
        method="filter_ordering",
        empty_label=None,
        label="Order by",
    )

    def filter_search(self, queryset: ClaimQuerySet, name: str, value: str) -> ClaimQuerySet:
        return queryset.search(value)

    def filter_statements(self, queryset: ClaimQuerySet, name: str, value) -> ClaimQuerySet:
        return queryset  # applied together in filter_queryset

    def filter_topic(self, queryset: ClaimQuerySet, name: str, value: Topic) -> ClaimQuerySet:
        return queryset.filter(topic__in=value.with_descendants)

    def filter_contested(self, queryset: ClaimQuerySet, name: str, value: str) -> ClaimQuerySet:
        return queryset.contested() if value == "true" else queryset.uncontested()

    def filter_ordering(self, queryset: ClaimQuerySet, name: str, value: str) -> ClaimQuerySet:
        return queryset.order_by(*ORDERINGS[value or "newest"])

    def filter_queryset(self, queryset: ClaimQuerySet) -> ClaimQuerySet:
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        conditions = [
            condition(data[name]) for name, condition in STATEMENT_FILTERS.items() if data.get(name)
        ]
        if conditions:
            queryset = queryset.filter(
                Exists(Stance.objects.filter(*conditions, claim=OuterRef("pk")))
            )
        if not data.get("ordering"):
            queryset = queryset.order_by(*ORDERINGS["newest"])
        return queryset
