"""Small pieces every curation screen uses."""

from django import forms
from django.db import models
from django.urls import reverse
from django.utils.text import Truncator

SHORT_TEXT = forms.Textarea(attrs={"rows": 3, "cols": 40})


def excerpt(text: str, length: int = 90) -> str:
    return Truncator(text).chars(length)


def admin_url(obj: models.Model, view: str = "change") -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk])


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class FormsKnowTheirUser:
    """A ModelAdmin or inline whose forms know who is saving (`form.user`): some rules are an
    Editor's, and the form tells a curator so beside the field."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(formset.form.__name__, (formset.form,), {"user": request.user})
        return formset
