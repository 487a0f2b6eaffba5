"""The article screen's "Propose statements": the assistant's proposals beside the body, each to
accept as it is, edit then accept, or reject; or all accepted at once."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from sources.models import Article, Party, PartyKind

from ..anchoring import highlight
from ..models import Claim, StanceValue, Statement, StatementMode
from ..services import accept_proposal, open_proposals, reject_proposal, sides_in_use
from .helpers import SHORT_TEXT, plural
from .sides import NEW_SIDE_HELP, SideInUse, chosen_side

CLAIM_SUGGESTIONS = 3


class ProposalForm(forms.Form):
    """One proposal as the curator leaves it. The party is an existing one, or a new one named
    as the article names it."""

    index = forms.IntegerField(widget=forms.HiddenInput)
    party = forms.ModelChoiceField(
        Party.objects.all(),
        required=False,
        widget=AutocompleteSelect(Statement._meta.get_field("party"), admin.site),
        help_text="An existing party, or leave empty to create the new one below.",
    )
    new_party_name = forms.CharField(required=False, max_length=200, label="New party’s name")
    new_party_side_in_use = SideInUse(blank="— a new side, typed below —", label="its side")
    new_party_side = forms.CharField(
        required=False, max_length=100, label="or a new side", help_text=NEW_SIDE_HELP
    )
    new_party_kind = forms.ChoiceField(choices=PartyKind.choices, required=False, label="its kind")
    speaker_label = forms.CharField(max_length=200, label="Named in the article as")
    text = forms.CharField(widget=SHORT_TEXT, label="Words")
    mode = forms.ChoiceField(choices=StatementMode.choices)

    def __init__(self, *args, claims: list[dict] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        found = Claim.objects.in_bulk([claim["slug"] for claim in claims], field_name="slug")
        self.claims = []
        for number, suggestion in enumerate(claims[:CLAIM_SUGGESTIONS]):
            claim = found.get(suggestion["slug"])
            if claim is None:
                continue
            link, stance = f"link_{number}", f"stance_{number}"
            self.fields[link] = forms.BooleanField(required=False, label=claim.text)
            self.fields[stance] = forms.ChoiceField(
                choices=StanceValue.choices, initial=suggestion["stance"], label="as"
            )
            self.claims.append((claim, self[link], self[stance], suggestion["score"]))

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("party") is None:
            missing = [
                name for name in ("new_party_name", "new_party_kind") if not cleaned.get(name)
            ]
            try:
                cleaned["new_party_side"] = chosen_side(
                    cleaned.get("new_party_side_in_use", ""), cleaned.get("new_party_side", "")
                )
            except ValidationError as error:
                self.add_error("new_party_side", error)
            if missing:
                raise ValidationError(
                    "Choose an existing party, or give the new party’s name, side and kind."
                )
        return cleaned

    def stances(self) -> list[tuple[Claim, str]]:
        return [
            (claim, self.cleaned_data[stance.name])
            for claim, link, stance, _ in self.claims
            if self.cleaned_data.get(link.name)
        ]

    def new_party(self) -> dict | None:
        if self.cleaned_data.get("party") is not None:
            return None
        return {
            "name": self.cleaned_data["new_party_name"],
            "side": self.cleaned_data["new_party_side"],
            "kind": self.cleaned_data["new_party_kind"],
        }


def initial(proposal: dict, parties: dict[str, Party], sides: dict[str, str]) -> dict:
    party = parties.get(proposal["party_slug"] or "")
    side = "" if party else proposal.get("party_side", "")
    return {
        "index": proposal["index"],
        "party": party,
        "new_party_name": "" if party else proposal["party"],
        "new_party_side_in_use": sides.get(side.casefold(), ""),
        "new_party_side": "" if side.casefold() in sides else side,
        "new_party_kind": "" if party else proposal.get("party_kind", ""),
        "speaker_label": proposal["attributed_as"],
        "text": proposal["text"],
        "mode": proposal["mode"],
    }


def proposal_forms(proposals: list[dict], data: dict | None = None) -> list[ProposalForm]:
    slugs = [p["party_slug"] for p in proposals if p["party_slug"]]
    parties = Party.objects.in_bulk(slugs, field_name="slug")
    sides = {side.casefold(): side for side, _ in sides_in_use()}
    return [
        ProposalForm(
            data,
            prefix=f"proposal-{proposal['index']}",
            initial=initial(proposal, parties, sides),
            claims=proposal["claims"],
        )
        for proposal in proposals
    ]


def proposals_view(model_admin, request: HttpRequest, object_id: str) -> HttpResponse:
    article = model_admin.get_object(request, object_id)
    if article is None:
        return model_admin._get_obj_does_not_exist_redirect(request, model_admin.opts, object_id)
    if not model_admin.has_change_permission(request, article):
        raise PermissionDenied
    proposals = open_proposals(article=article)
    data = request.POST if request.method == "POST" else None
    forms_ = proposal_forms(proposals, data)
    if data is not None and decide(request, article, proposals, forms_):
        return HttpResponseRedirect(request.path)
    numbered = list(enumerate(zip(forms_, proposals, strict=True), start=1))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Proposed statements: {article}",
        "subtitle": None,
        "opts": model_admin.opts,
        "original": article,
        "article": article,
        "proposals": [(number, form, proposal) for number, (form, proposal) in numbered],
        "paragraphs": highlight(
            article.body, [(p["start"], p["end"], number) for number, (_, p) in numbered]
        ),
        "media": model_admin.media + (forms_[0].media if forms_ else forms.Media()),
        "change_url": reverse("admin:sources_article_change", args=[article.pk]),
    }
    return TemplateResponse(request, "admin/sources/article/proposals.html", context)


def chosen_index(request: HttpRequest, action: str) -> int | None:
    value = request.POST.get(action, "")
    return int(value) if value.isdigit() else None


def decide(
    request: HttpRequest, article: Article, proposals: list[dict], forms_: list[ProposalForm]
) -> bool:
    """Carry out the curator's decision; False when a form has errors to show, and then
    nothing was recorded."""
    pairs = zip(proposals, forms_, strict=True)
    by_index = {proposal["index"]: (proposal, form) for proposal, form in pairs}
    rejected = by_index.get(chosen_index(request, "reject"))
    if rejected is not None:
        proposal, _ = rejected
        reject_proposal(
            article=article, party_name=proposal["party"], text=proposal["text"], user=request.user
        )
        messages.success(request, f"Rejected: “{proposal['text']}”. It will not be proposed again.")
        return True
    if "accept_all" in request.POST:
        chosen = forms_
    elif (accepted := by_index.get(chosen_index(request, "accept"))) is not None:
        chosen = [accepted[1]]
    else:
        return True
    if not all(form.is_valid() for form in chosen):
        return False
    try:
        with transaction.atomic():
            for form in chosen:
                accept(request, article, form)
    except ValidationError:
        return False
    messages.success(request, f"{plural(len(chosen), 'statement')} recorded from the proposals.")
    return True


def accept(request: HttpRequest, article: Article, form: ProposalForm) -> None:
    """Record one proposal; its form gets the errors if it cannot be, and they are raised."""
    try:
        accept_proposal(
            article=article,
            party=form.cleaned_data["party"],
            new_party=form.new_party(),
            speaker_label=form.cleaned_data["speaker_label"],
            text=form.cleaned_data["text"],
            mode=form.cleaned_data["mode"],
            stances=form.stances(),
            user=request.user,
        )
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, messages_ in errors.items():
            form.add_error(field if field in form.fields else None, messages_)
        raise
