"""The team's accounts: Editors add Curators, reset their passwords and deactivate them; only a
superuser makes Editors or superusers, or grants permissions one by one."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import Group, User
from django.db import models
from django.http import HttpRequest

from ..services import ROLES
from .helpers import plural

# What a non-superuser sees and changes of an account: no superuser status, no permissions one
# by one, and staff status follows from having a role.
TEAM_FIELDSETS = (
    (None, {"fields": ("username", "password")}),
    ("Name and address", {"fields": ("first_name", "last_name", "email")}),
    ("Access", {"fields": ("is_active", "groups")}),
    ("Dates", {"fields": ("last_login", "date_joined")}),
)


ROLE_HELP = (
    "Curators record articles, statements and claims and send claims to review; Editors also "
    "publish, correct, merge and manage the Curators' accounts."
)


def assignable_roles(manager: User) -> models.QuerySet[Group]:
    """The groups `manager` may put an account in: an Editor makes Curators, not Editors."""
    if manager.is_superuser:
        return Group.objects.order_by("name")
    return Group.objects.filter(name=ROLES["curator"])


def may_manage(manager: User, account: User) -> bool:
    """Whether `manager` may change `account`: a superuser, anyone's; others, only accounts
    holding no more than the roles they may give (a Curator's), so that nobody takes over an
    account with more rights than their own."""
    if manager.is_superuser:
        return True
    if account.is_superuser or account.user_permissions.exists():
        return False
    return not account.groups.exclude(pk__in=assignable_roles(manager)).exists()


class AccountCreationForm(UserCreationForm):
    role = forms.ModelChoiceField(
        queryset=Group.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        help_text=ROLE_HELP,
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name", "email")


@admin.display(description="role")
def role(account: User) -> str:
    if account.is_superuser:
        return "Superuser"
    return ", ".join(group.name for group in account.groups.all()) or "—"


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    add_form = AccountCreationForm
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2")}),
        ("Name and address", {"fields": ("first_name", "last_name", "email")}),
        (None, {"fields": ("role",)}),
    )
    list_display = ("username", "first_name", "last_name", role, "is_active", "last_login")
    list_filter = ("is_active", "groups", "is_superuser")
    filter_horizontal = ("user_permissions",)
    readonly_fields = ("last_login", "date_joined")
    actions = ["deactivate"]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return super().get_queryset(request).prefetch_related("groups")

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None):
        if obj is not None and not request.user.is_superuser:
            return TEAM_FIELDSETS
        return super().get_fieldsets(request, obj)

    def get_form(self, request: HttpRequest, obj: User | None = None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "role" in form.base_fields:
            form.base_fields["role"].queryset = assignable_roles(request.user)
            form.base_fields["role"].initial = Group.objects.filter(name=ROLES["curator"]).first()
        return form

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "groups":
            kwargs["queryset"] = assignable_roles(request.user)
            kwargs["widget"] = forms.CheckboxSelectMultiple
            kwargs["label"] = "Roles"
            kwargs["help_text"] = ROLE_HELP
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or may_manage(request.user, obj)

    def save_model(self, request: HttpRequest, account: User, form, change: bool) -> None:
        if not change or not request.user.is_superuser:
            # Every account of the team works in the admin; its role says what it may do there.
            account.is_staff = True
        super().save_model(request, account, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if "role" in form.cleaned_data:
            form.instance.groups.add(form.cleaned_data["role"])

    @admin.action(description="Deactivate the selected accounts", permissions=["change"])
    def deactivate(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        accounts = list(queryset)
        managed = [a for a in accounts if a != request.user and may_manage(request.user, a)]
        for account in managed:
            account.is_active = False
            account.save(update_fields=["is_active"])
            self.log_change(request, account, "Deactivated.")
        if managed:
            self.message_user(
                request,
                f"{plural(len(managed), 'account')} deactivated: "
                + ", ".join(account.username for account in managed)
                + ". They can no longer log in; tick “Active” on an account to let it back.",
                messages.SUCCESS,
            )
        if left := [account for account in accounts if account not in managed]:
            self.message_user(
                request,
                f"{plural(len(left), 'account')} left as they were, since only a superuser may "
                "change them: " + ", ".join(account.username for account in left),
                messages.WARNING,
            )
