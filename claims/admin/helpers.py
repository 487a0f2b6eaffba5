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
