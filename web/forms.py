"""Input shape for the web UI. Business rules live in factcheck.services; these only parse."""

import json
import re

from django import forms

from accounts import shortcuts
from articles.models import Outlet
from factcheck.models import Claim, Evidence, Rating

from .selectors import QueueFilters

STATUS_CHOICES = [("", "Undecided"), ("accepted", "Accepted"), ("rejected", "Rejected"), ("any", "Any status")]


class QueueFilterForm(forms.Form):
    view = forms.ChoiceField(
        choices=[("articles", "Articles"), ("claims", "Claims"), ("mine", "Assigned to me")], required=False
    )
    outlet = forms.ModelChoiceField(queryset=Outlet.objects.order_by("name"), required=False, empty_label="All outlets")
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    claim_type = forms.ChoiceField(choices=[("", "All types"), *Claim.Type.choices], required=False, label="Type")
    min_score = forms.FloatField(
        required=False,
        min_value=0,
        max_value=1,
        label="Min. score",
        widget=forms.NumberInput(attrs={"step": "any", "min": "0", "max": "1", "placeholder": "0.0–1.0"}),
    )
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)
    q = forms.CharField(required=False, max_length=200, label="Headline contains")
    speaker = forms.CharField(required=False, max_length=300, label="Speaker", help_text="Any of the person's names")

    def __init__(self, data=None, *, threshold: float, **kwargs):
        super().__init__(data, **kwargs)
        self.threshold = threshold
        if self.starts_at_threshold:
            self.initial["min_score"] = threshold
            if self.is_bound:  # shown in the field, as if the editor had typed it
                self.data = self.data.copy()
                self.data["min_score"] = str(threshold)

    @property
    def starts_at_threshold(self) -> bool:
        """The articles and claims views start at the configured threshold until the editor
        chooses a score (an empty field shows every score); "Assigned to me" shows all."""
        data = self.data if self.is_bound else {}
        return "min_score" not in data and data.get("view") != "mine"

    def filters(self) -> QueueFilters:
        data = self.cleaned_data if self.is_valid() else {}
        view = data.get("view") or "articles"
        status = data.get("status") or ""
        if status == "any":
            status = ""
        elif status == "" and view != "mine":
            status = Claim.Status.CANDIDATE
        return QueueFilters(
            outlet=data.get("outlet"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            claim_type=data.get("claim_type") or "",
            min_score=self.threshold if self.starts_at_threshold else data.get("min_score"),
            status=status,
            assigned_to_me=view == "mine",
            threshold=self.threshold,
            q=data.get("q") or "",
            speaker=data.get("speaker") or "",
        )


class ClaimCreateForm(forms.Form):
    article = forms.IntegerField(min_value=1)
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=1)
    exact = forms.CharField(strip=False, max_length=20000)
    units = forms.ChoiceField(choices=[("codepoint", "code points"), ("utf16", "UTF-16 units")], required=False)
    claim_type = forms.ChoiceField(choices=Claim.Type.choices, required=False)
    speaker = forms.CharField(required=False, max_length=300)


class ClaimSpanForm(forms.Form):
    version = forms.IntegerField(min_value=1)
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=1)
    exact = forms.CharField(strip=False, max_length=20000)
    units = forms.ChoiceField(choices=[("codepoint", "code points"), ("utf16", "UTF-16 units")], required=False)


class ClaimDecisionForm(forms.Form):
    version = forms.IntegerField(required=False, min_value=1)


class ClaimUpdateForm(forms.Form):
    version = forms.IntegerField(min_value=1)
    claim_type = forms.ChoiceField(choices=Claim.Type.choices, required=False)
    speaker = forms.CharField(required=False, max_length=300, strip=True)
    is_anonymous_source = forms.NullBooleanField(required=False)

    def changes(self) -> dict:
        """Only the fields the request sent (a missing field is left alone)."""
        out = {}
        for name in ("claim_type", "speaker", "is_anonymous_source"):
            if name in self.data:
                out[name] = self.cleaned_data[name]
        return out


class BulkDecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Reject")])
    claims = forms.CharField(
        help_text='The claims shown, each with its version: "id:version,…" or a JSON list of {"id", "version"}'
    )
    next = forms.CharField(required=False)

    def clean_claims(self):
        raw = self.cleaned_data["claims"]
        try:
            if raw.strip().startswith("["):
                items = [{"id": int(i["id"]), "version": int(i["version"])} for i in json.loads(raw)]
            else:
                items = [
                    {"id": int(a), "version": int(b)} for a, b in (p.split(":") for p in raw.split(",") if p.strip())
                ]
        except (TypeError, ValueError, KeyError) as exc:
            raise forms.ValidationError("not a list of claims with their versions") from exc
        if not items:
            raise forms.ValidationError("no claims selected")
        if len(items) > 1000:
            raise forms.ValidationError("at most 1000 claims at once")
        return items


class AssignForm(forms.Form):
    assignee = forms.IntegerField(required=False, help_text="A user id; empty to unassign.")
    version = forms.IntegerField(required=False, min_value=1)


class AgreementPeriodForm(forms.Form):
    """The period of the dashboard's reviewer agreement (default: the last 90 days)."""

    agreement_from = forms.DateField(required=False, label="From")
    agreement_to = forms.DateField(required=False, label="To")

    def period(self):
        from datetime import timedelta

        from django.utils import timezone

        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        until = data.get("agreement_to") or timezone.localdate()
        return data.get("agreement_from") or until - timedelta(days=89), until


class GroupStatementForm(forms.Form):
    statement = forms.CharField(
        max_length=1000, label="Claim statement", strip=True, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(required=False, min_value=1)


class GroupMergeForm(forms.Form):
    """Another claim group to merge into this one: its id ("12", "#12", "#12 — label" as the
    datalist offers it) or words of its label."""

    other = forms.CharField(max_length=300, label="Claim to merge in", strip=True)
    version = forms.IntegerField(required=False, min_value=1)

    def other_id(self) -> int | None:
        match = re.match(r"^#?(\d+)(?:\s|$)", self.cleaned_data["other"])
        return int(match.group(1)) if match else None


class EvidenceForm(forms.Form):
    url = forms.URLField(
        max_length=2000,
        label="Source URL",
        assume_scheme="https",
        help_text="Paste a new URL, or pick one of the sources already used.",
    )
    title = forms.CharField(required=False, max_length=500)
    publisher = forms.CharField(required=False, max_length=300)
    relation = forms.ChoiceField(choices=Evidence.Relation.choices, initial=Evidence.Relation.CONTEXT)
    quoted_passage = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Quoted passage")


class VerdictForm(forms.Form):
    """The template draws the rating <select> from the scale's ratings (selectors.ratings_for_verdicts)."""

    rating = forms.ModelChoiceField(queryset=Rating.objects.all(), required=False)
    rationale = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}))
    version = forms.IntegerField(required=False, min_value=1)


class VerdictCorrectForm(VerdictForm):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Correction note",
        help_text="Shown with the corrected verdict: what changed and why.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].required = True


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search")
    outlet = forms.ModelChoiceField(queryset=Outlet.objects.order_by("name"), required=False, empty_label="All outlets")
    date_from = forms.DateField(required=False, label="Published from", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="to", widget=forms.DateInput(attrs={"type": "date"}))
    claim_type = forms.ChoiceField(choices=[("", "All types"), *Claim.Type.choices], required=False, label="Claim type")
    status = forms.ChoiceField(
        choices=[("", "Not rejected"), *Claim.Status.choices, ("any", "Any status")],
        required=False,
        label="Claim status",
    )
    speaker = forms.CharField(required=False, max_length=300, label="Speaker")
    verdict = forms.ChoiceField(choices=[], required=False, label="Verdict")

    def __init__(self, *args, ratings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verdict"].choices = [
            ("", "Any or none"),
            ("none", "No published verdict"),
            ("published", "Any published verdict"),
            *((str(r.pk), r.label) for r in ratings),
        ]

    def claim_filtered(self) -> bool:
        data = self.cleaned_data
        return any(data.get(name) for name in ("claim_type", "status", "speaker", "verdict"))


class PreferenceForm(forms.Form):
    """Keyboard shortcuts: on/off and the keys of each action (space-separated single characters)."""

    shortcuts_enabled = forms.BooleanField(required=False, label="Use single-key shortcuts on the article page")

    def __init__(self, *args, keys: dict[str, list[str]], **kwargs):
        super().__init__(*args, **kwargs)
        for action in shortcuts.ACTIONS:
            self.fields[f"key_{action.name}"] = forms.CharField(
                required=False,
                max_length=20,
                label=action.label,
                initial=" ".join(keys[action.name]),
                help_text="Default: " + " ".join(action.default),
            )

    def key_fields(self):
        return [self[f"key_{action.name}"] for action in shortcuts.ACTIONS]

    def keymap(self) -> dict[str, tuple[str, ...]]:
        return {a.name: shortcuts.keys_parse(self.cleaned_data[f"key_{a.name}"]) for a in shortcuts.ACTIONS}


class OutletForm(forms.Form):
    name = forms.CharField(max_length=200)
    homepage = forms.URLField(required=False, max_length=200, assume_scheme="https")
    domains = forms.CharField(
        required=False, max_length=2000, help_text="Comma-separated, e.g. example.com, example.co.uk"
    )

    def domain_list(self) -> list[str]:
        return [d.strip() for d in self.cleaned_data.get("domains", "").split(",") if d.strip()]


class FeedForm(forms.Form):
    outlet = forms.ModelChoiceField(queryset=Outlet.objects.order_by("name"))
    url = forms.URLField(max_length=2000, assume_scheme="https", label="Feed URL (RSS or Atom)")
    interval_seconds = forms.IntegerField(required=False, min_value=60, label="Poll every (seconds)")


class ArticleUrlForm(forms.Form):
    url = forms.URLField(max_length=2000, assume_scheme="https", label="Article URL")
    outlet = forms.ModelChoiceField(
        queryset=Outlet.objects.order_by("name"), required=False, empty_label="Outlet from the URL's domain"
    )


# --- people -----------------------------------------------------------------------------------


class PersonForm(forms.Form):
    version = forms.IntegerField(min_value=1)
    name = forms.CharField(max_length=300, strip=True)
    description = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class PersonAliasForm(forms.Form):
    version = forms.IntegerField(min_value=1)
    alias = forms.CharField(max_length=300, strip=True, label="Another name")


class PersonMergeForm(forms.Form):
    """Merge this person into `target` (chosen on the confirmation page), each at the version shown."""

    target = forms.IntegerField(min_value=1)
    version = forms.IntegerField(min_value=1)
    target_version = forms.IntegerField(min_value=1)
