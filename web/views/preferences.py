"""A person's own preferences (keyboard shortcuts: WCAG 2.1.4)."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from accounts.roles import user_can
from accounts.selectors import user_preference_get
from accounts.services import user_preference_update
from accounts.shortcuts import keymap_resolve
from core.errors import ServiceError

from ..decorators import capability_required
from ..forms import PreferenceForm


@capability_required("read")
def preference_edit(request):
    preference = user_preference_get(user=request.user)
    keys = keymap_resolve(preference.shortcut_keys)
    initial = {"shortcuts_enabled": preference.shortcuts_enabled}
    form = PreferenceForm(request.POST if request.method == "POST" else None, initial=initial, keys=keys)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                user_preference_update(
                    user=request.user,
                    shortcuts_enabled=form.cleaned_data["shortcuts_enabled"],
                    shortcut_keys=form.keymap(),
                )
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "Preferences saved.")
                return HttpResponseRedirect(reverse("web:preference-edit"))
        status = 400
    return render(
        request,
        "web/preference_form.html",
        {"form": form, "can_curate": user_can(request.user, "claim.curate")},
        status=status,
    )
