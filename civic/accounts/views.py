"""The portal's account pages beside allauth's: your data (export) and closing the account."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from civic.core.errors import DomainError

from . import services


class CloseAccountForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"), widget=forms.PasswordInput, required=False
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that this cannot be undone."), required=True
    )


@login_required
def my_data(request):
    return render(request, "accounts/my_data.html")


@login_required
@require_GET
def export_my_data(request):
    data = services.export_personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="civic-my-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def close_account(request):
    has_password = request.user.has_usable_password()
    form = CloseAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_account(request.user, password=form.cleaned_data["password"])
        except DomainError as exc:
            form.add_error("password" if exc.field == "password" else None, exc.message)
        else:
            logout(request)
            messages.success(request, _("Your account is closed. Thank you for taking part."))
            return redirect("/")
    return render(
        request, "accounts/close_account.html", {"form": form, "has_password": has_password}
    )
