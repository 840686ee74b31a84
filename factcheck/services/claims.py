"""Claims: create a span from offsets, move its edges, accept, reject, edit, assign, bulk decisions,
and undo of single and bulk decisions (one signed, version-checked token format).

Offsets are Unicode code points into the article's canonical text, half-open [start, end).
Browsers count UTF-16 code units: `units="utf16"` converts them at this boundary, and the quote
the client saw (`exact`) is always verified against the stored text.
"""

import unicodedata
from datetime import datetime

import regex
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.roles import require, user_can
from articles.models import Article
from core.errors import ConflictError, InvalidInput, PermissionDenied
from core.versioning import versioned_update
from factcheck import signals
from factcheck.models import Claim, ClaimGroup, Person

from .people import person_for_speaker

CONTEXT_CHARS = 48
UNITS = ("codepoint", "utf16")


# --- offsets ----------------------------------------------------------------------------------


def utf16_to_codepoint(text: str, offset: int, *, field: str = "start") -> int:
    """The code-point offset of a UTF-16 offset into `text`. An offset inside a surrogate pair
    (the middle of an emoji, say) is an error, not silently rounded."""
    encoded = text.encode("utf-16-le")
    if offset < 0 or offset * 2 > len(encoded):
        raise InvalidInput(f"{field}={offset} is outside the text ({len(encoded) // 2} UTF-16 units).", field=field)
    try:
        return len(encoded[: offset * 2].decode("utf-16-le"))
    except UnicodeDecodeError:
        raise InvalidInput(
            f"{field}={offset} falls inside a character that takes two UTF-16 units (e.g. an emoji).", field=field
        ) from None


def codepoint_to_utf16(text: str, offset: int) -> int:
    return len(text[:offset].encode("utf-16-le")) // 2


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"{char!r} (U+{ord(char):04X}{' ' + name if name else ''})"


def _mismatch_message(text: str, start: int, end: int, exact: str, units: str) -> str:
    found = text[start:end]
    parts = [
        f"The quote does not match the article text at [{start}, {end}) ({units} offsets converted to code points)."
    ]
    for i, (a, b) in enumerate(zip(found, exact)):
        if a != b:
            parts.append(
                f"First difference at character {i} of the quote: the article has {_describe(a)}, "
                f"the quote has {_describe(b)}."
            )
            break
    else:
        if len(found) != len(exact):
            parts.append(f"The article text there is {len(found)} characters long, the quote {len(exact)}.")
    where = text.find(exact) if exact else -1
    if where >= 0:
        parts.append(
            f"The quote occurs at code points [{where}, {where + len(exact)}) "
            f"(UTF-16 [{codepoint_to_utf16(text, where)}, {codepoint_to_utf16(text, where + len(exact))}))."
        )
    return " ".join(parts)


def span_resolve(*, text: str, start: int, end: int, exact: str, units: str = "codepoint") -> tuple[int, int]:
    """Code-point [start, end) of a span given in `units`, verified against `exact`."""
    if units not in UNITS:
        raise InvalidInput(f"units must be one of {', '.join(UNITS)}.", field="units")
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(f"{name} must be an integer.", field=name)
    if not isinstance(exact, str) or not exact:
        raise InvalidInput("exact (the quoted text of the span) is required.", field="exact")
    if units == "utf16":
        start, end = utf16_to_codepoint(text, start, field="start"), utf16_to_codepoint(text, end, field="end")
    if start < 0:
        raise InvalidInput("start must not be negative.", field="start")
    if end <= start:
        raise InvalidInput("end must be greater than start.", field="end")
    if end > len(text):
        raise InvalidInput(f"end={end} is past the end of the text ({len(text)} code points).", field="end")
    if text[start:end] != exact:
        raise InvalidInput(_mismatch_message(text, start, end, exact, units), field="exact")
    if not exact.strip():
        raise InvalidInput("The span holds only white space; select the words of the claim.", field="exact")
    for name, offset in (("start", start), ("end", end)):
        if not grapheme_boundary(text, offset):
            raise InvalidInput(
                f"{name}={offset} splits a character as readers see it (a grapheme cluster such as 👍🏽, a flag "
                "or a letter with a combining accent); move it before or after the whole character.",
                field=name,
            )
    return start, end


def grapheme_boundary(text: str, offset: int) -> bool:
    """True if code-point `offset` does not fall inside an extended grapheme cluster (Unicode
    UAX #29, as Intl.Segmenter in the browser). Only the line holding it is segmented: a line
    break always ends a cluster."""
    if offset <= 0 or offset >= len(text):
        return True
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    target = offset - line_start
    for match in regex.finditer(r"\X", line):
        if match.end() >= target:
            return match.end() == target or match.start() == target
    return True


# --- single claims ----------------------------------------------------------------------------


@transaction.atomic
def claim_create(
    *,
    article: Article,
    start: int,
    end: int,
    exact: str,
    by,
    claim_type: str = Claim.Type.OTHER,
    speaker: str = "",
    units: str = "codepoint",
) -> Claim:
    """A person marks a span as a claim: accepted at once, in a claim group of its own."""
    require(by, "claim.curate", "create claims")
    start, end = span_resolve(text=article.body, start=start, end=end, exact=exact, units=units)
    _check_type(claim_type)
    speaker = _check_speaker(speaker)
    existing = Claim.objects.filter(article=article, start=start, end=end).values_list("id", flat=True).first()
    if existing:
        raise InvalidInput(f"This span is already claim {existing}; accept or edit it instead.", field="start")
    now = timezone.now()
    group = ClaimGroup(label=exact, created_by=by)
    group._history_user = by
    group.save()
    claim = Claim(
        article=article,
        start=start,
        end=end,
        exact=exact,
        prefix=article.body[max(0, start - CONTEXT_CHARS) : start],
        suffix=article.body[end : end + CONTEXT_CHARS],
        article_revision=article.revision,
        claim_type=claim_type,
        speaker=speaker,
        person=person_for_speaker(speaker=speaker, anonymous=False, article_id=article.pk, by=by),
        origin=Claim.Origin.HUMAN,
        status=Claim.Status.ACCEPTED,
        decided_by=by,
        decided_at=now,
        created_by=by,
        group=group,
        grouped_by="human",
    )
    claim._history_user = by
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError:
        raise ConflictError("Someone created a claim on this span meanwhile.", field="start") from None
    return claim


def _decision_before(claim: Claim) -> dict:
    return {
        "status": claim.status,
        "decided_by": claim.decided_by_id,
        "decided_at": claim.decided_at.isoformat() if claim.decided_at else None,
    }


def _decide(claim: Claim, status: str, by, version: int | None) -> Claim:
    require(by, "claim.curate", f"{'accept' if status == Claim.Status.ACCEPTED else 'reject'} claims")
    with transaction.atomic():
        before = _decision_before(claim)
        fields = {"status": status, "decided_by": by, "decided_at": timezone.now()}
        if status == Claim.Status.ACCEPTED and claim.group_id is None:
            fields.update(group=_new_group(claim, by), grouped_by="human")
        versioned_update(claim, by=by, version=version, fields=fields, reason=status)
    claim.undo_token = undo_token(by=by, changes=[[claim.pk, before, claim.version]])
    return claim


def _new_group(claim: Claim, by) -> ClaimGroup:
    group = ClaimGroup(label=claim.exact, created_by=by)
    group._history_user = by
    group.save()
    return group


def _give_own_group(claim: Claim, by) -> None:
    group = _new_group(claim, by)
    Claim.objects.filter(pk=claim.pk).update(group=group, grouped_by="human")
    claim.group, claim.grouped_by = group, "human"


def claim_accept(*, claim: Claim, by, version: int | None = None) -> Claim:
    """Select a claim for checking. An accepted claim gets its own claim group if it has none.
    Sets `claim.undo_token` (for claims_bulk_undo: puts the previous decision back)."""
    return _decide(claim, Claim.Status.ACCEPTED, by, version)


def claim_reject(*, claim: Claim, by, version: int | None = None) -> Claim:
    """Not a claim (or not worth checking). Kept, so the extractor never proposes it again.
    Sets `claim.undo_token` like claim_accept."""
    return _decide(claim, Claim.Status.REJECTED, by, version)


def _check_type(claim_type: str) -> None:
    if claim_type not in Claim.Type.values:
        raise InvalidInput(
            f"Unknown claim type {claim_type!r}; use one of {', '.join(Claim.Type.values)}.", field="claim_type"
        )


def _check_speaker(speaker: str) -> str:
    speaker = (speaker or "").strip()
    if len(speaker) > 300:
        raise InvalidInput("speaker is longer than 300 characters.", field="speaker")
    return speaker


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    by,
    version: int | None,
    claim_type: str | None = None,
    speaker: str | None = None,
    is_anonymous_source: bool | None = None,
) -> Claim:
    """Correct what the machine proposed (type, speaker, anonymous source). Marks the claim edited.
    Sets `claim.undo_token` (for claims_bulk_undo: puts the previous values back)."""
    require(by, "claim.curate", "edit claims")
    fields: dict = {"edited": True}
    if claim_type is not None:
        _check_type(claim_type)
        fields["claim_type"] = claim_type
    if speaker is not None:
        fields["speaker"] = _check_speaker(speaker)
    if is_anonymous_source is not None:
        fields["is_anonymous_source"] = bool(is_anonymous_source)
    if "speaker" in fields or "is_anonymous_source" in fields:  # the person the (new) words name
        words = fields.get("speaker", claim.speaker)
        anonymous = fields.get("is_anonymous_source", claim.is_anonymous_source)
        if words != claim.speaker or anonymous != claim.is_anonymous_source or claim.person_id is None:
            fields["person"] = person_for_speaker(
                speaker=words, anonymous=anonymous, article_id=claim.article_id, by=by
            )
    before = {name: getattr(claim, "person_id" if name == "person" else name) for name in fields}
    versioned_update(claim, by=by, version=version, fields=fields, reason="edited")
    claim.undo_token = undo_token(by=by, changes=[[claim.pk, before, claim.version]])
    return claim


@transaction.atomic
def claim_person_set(*, claim: Claim, person: Person, by, version: int | None) -> Claim:
    """Correct who said it: the claim's speaker is this existing person (the article's words stay
    in `speaker`). Marks the claim edited; sets `claim.undo_token` like claim_update."""
    require(by, "claim.curate", "change the speaker of claims")
    if person.merged_into_id:
        raise InvalidInput(
            f"{person.name} (person {person.pk}) was merged into person {person.merged_into_id}; choose that person.",
            field="person",
        )
    if person.pk == claim.person_id:
        raise InvalidInput(f"{person.name} is already this claim's speaker.", field="person")
    before = {"person": claim.person_id, "edited": claim.edited}
    versioned_update(claim, by=by, version=version, fields={"person": person, "edited": True}, reason="speaker")
    claim.undo_token = undo_token(by=by, changes=[[claim.pk, before, claim.version]])
    return claim


@transaction.atomic
def claim_span_update(
    *, claim: Claim, start: int, end: int, exact: str, by, version: int | None, units: str = "codepoint"
) -> Claim:
    """Move a claim's edges. The new span is verified exactly as claim_create verifies one
    (span_resolve: the quote must match, no white space only, no split grapheme cluster; `units`
    as there). Everything decided about the claim stays (status, group, verdict, type, speaker,
    history); prefix/suffix are taken afresh and the sentence bounds widened to hold the span."""
    require(by, "claim.curate", "change claim spans")
    article = Article.objects.only("id", "body", "revision").get(pk=claim.article_id)
    if claim.anchor_status == Claim.Anchor.ORPHAN:
        raise InvalidInput(
            "This claim's text is no longer in the article (orphaned); it has no span to adjust.", field="start"
        )
    start, end = span_resolve(text=article.body, start=start, end=end, exact=exact, units=units)
    if (start, end) == (claim.start, claim.end):
        raise InvalidInput("That is the span the claim has already.", field="start")
    existing = (
        Claim.objects.filter(article_id=article.pk, start=start, end=end)
        .exclude(pk=claim.pk)
        .values_list("id", flat=True)
        .first()
    )
    if existing:
        raise InvalidInput(
            f"This span is already claim {existing}; two claims cannot have the same span.", field="start"
        )
    fields = {
        "start": start,
        "end": end,
        "exact": exact,
        "edited": True,
        "prefix": article.body[max(0, start - CONTEXT_CHARS) : start],
        "suffix": article.body[end : end + CONTEXT_CHARS],
        "article_revision": article.revision,
        "anchor_status": Claim.Anchor.OK,
    }
    if claim.sentence_start is not None and claim.sentence_end is not None:
        fields["sentence_start"] = min(claim.sentence_start, start)
        fields["sentence_end"] = max(claim.sentence_end, end)
    try:
        with transaction.atomic():
            versioned_update(claim, by=by, version=version, fields=fields, reason="span")
    except IntegrityError:
        raise ConflictError("Someone put a claim on this span meanwhile.", field="start") from None
    return claim


@transaction.atomic
def claim_assign(*, claim: Claim, assignee, by, version: int | None = None) -> Claim:
    """Assign a claim to a reviewer (or unassign it with assignee=None)."""
    require(by, "claim.curate", "assign claims")
    if assignee is not None and not user_can(assignee, "verdict.draft"):
        raise InvalidInput(
            f"{assignee} cannot review claims (needs the reviewer, editor or admin role).", field="assignee"
        )
    claim = versioned_update(claim, by=by, version=version, fields={"assigned_to": assignee}, reason="assigned")
    signals.claim_assigned.send(sender=Claim, claim=claim, by=by)  # discussion: in-app (and e-mail) to the new assignee
    return claim


# --- bulk decisions ---------------------------------------------------------------------------

MAX_BULK = 1000


UNDO_SALT = "factcheck.claims.bulk-undo"
# What an undo token may put back on a claim (single changes); bulk tokens carry only the status.
UNDOABLE = ("status", "decided_by", "decided_at", "claim_type", "speaker", "is_anonymous_source", "edited", "person")


def undo_token(*, by, changes: list) -> str:
    """A signed token for claims_bulk_undo: [[claim id, previous (a status, or {field: value}),
    the version the change left]] made by `by`."""
    return signing.dumps({"by": by.pk, "claims": changes}, salt=UNDO_SALT, compress=True)


def _bulk_items(claims: list[dict]) -> dict[int, int]:
    """{id: version} from [{"id", "version"}]: every claim names the version it was shown at."""
    items = {}
    for item in claims:
        try:
            claim_id, version = int(item["id"]), int(item["version"])
        except (KeyError, TypeError, ValueError):
            raise InvalidInput("Each claim needs its id and the version it was shown at.", field="claims") from None
        items[claim_id] = version
    if not items:
        raise InvalidInput("Name at least one claim.", field="claims")
    if len(items) > MAX_BULK:
        raise InvalidInput(f"At most {MAX_BULK} claims at once.", field="claims")
    return items


@transaction.atomic
def claims_bulk_decide(*, claims: list[dict], decision: str, by) -> dict:
    """Accept or reject many claims at once (what a filter shows), each only if it still has the
    version it was shown at. Returns {"changed": ids, "skipped": [{"id", "reason", ...}], "undo":
    a signed token} — pass the token to claims_bulk_undo to put things back."""
    require(by, "claim.curate", "accept or reject claims")
    statuses = {"accept": Claim.Status.ACCEPTED, "reject": Claim.Status.REJECTED}
    if decision not in statuses:
        raise InvalidInput("decision must be 'accept' or 'reject'.", field="decision")
    items = _bulk_items(claims)
    status = statuses[decision]
    found = {c.pk: c for c in Claim.objects.select_for_update().filter(id__in=list(items)).order_by("id")}
    todo, skipped = [], []
    for claim_id, version in items.items():
        claim = found.get(claim_id)
        if claim is None:
            skipped.append({"id": claim_id, "reason": "not found", "current_version": None})
        elif claim.version != version:
            skipped.append(
                {
                    "id": claim_id,
                    "reason": f"changed by someone else (you saw version {version}, it is now "
                    f"version {claim.version}, {claim.get_status_display().lower()})",
                    "current_version": claim.version,
                }
            )
        elif claim.status == status:
            skipped.append(
                {
                    "id": claim_id,
                    "reason": f"already {claim.get_status_display().lower()}",
                    "current_version": claim.version,
                }
            )
        else:
            todo.append(claim)
    if not todo:
        return {"changed": [], "skipped": skipped, "undo": ""}
    now = timezone.now()
    ids = [c.pk for c in todo]
    Claim.objects.filter(id__in=ids).update(
        status=status, decided_by=by, decided_at=now, updated_at=now, version=F("version") + 1
    )
    updated = list(Claim.objects.filter(id__in=ids))
    if status == Claim.Status.ACCEPTED:
        for claim in updated:
            if claim.group_id is None:
                _give_own_group(claim, by)
    Claim.history.bulk_history_create(updated, update=True, default_user=by, default_change_reason=f"bulk {decision}")
    token = undo_token(by=by, changes=[[c.pk, c.status, c.version + 1] for c in todo])
    return {"changed": ids, "skipped": skipped, "undo": token}


@transaction.atomic
def claims_bulk_undo(*, undo: str, by) -> dict:
    """Undo a bulk decision, or a single accept/reject/edit, from its signed token (only its maker,
    within WORKBENCH["UNDO_MAX_AGE"] seconds). A claim changed again since (its version moved on)
    is left alone and reported in "conflicts"."""
    require(by, "claim.curate", "accept or reject claims")
    try:
        data = signing.loads(undo or "", salt=UNDO_SALT, max_age=settings.WORKBENCH["UNDO_MAX_AGE"])
    except signing.SignatureExpired:
        raise InvalidInput("This undo has expired.", field="undo") from None
    except signing.BadSignature:
        raise InvalidInput("Not an undo token of this workbench.", field="undo") from None
    if data.get("by") != by.pk:
        raise PermissionDenied("Only whoever made a change can undo it.")
    restored, conflicts = [], []
    now = timezone.now()
    for claim_id, previous, version in data["claims"]:
        fields = _undo_fields(previous, by, now)
        changed = Claim.objects.filter(pk=claim_id, version=version).update(
            **fields, updated_at=now, version=F("version") + 1
        )
        (restored if changed else conflicts).append(claim_id)
    if restored:
        back = list(Claim.objects.filter(id__in=restored))
        for claim in back:  # an accepted claim always has a claim group
            if claim.status == Claim.Status.ACCEPTED and claim.group_id is None:
                _give_own_group(claim, by)
        Claim.history.bulk_history_create(back, update=True, default_user=by, default_change_reason="undo")
    return {"restored": restored, "conflicts": conflicts}


def _undo_fields(previous, by, now) -> dict:
    """The fields an undo writes back: a bulk token names the previous status (the decider becomes
    whoever undoes), a single change's token the previous values themselves."""
    if isinstance(previous, str):
        previous = {
            "status": previous,
            "decided_by": None if previous == Claim.Status.CANDIDATE else by.pk,
            "decided_at": None if previous == Claim.Status.CANDIDATE else now.isoformat(),
        }
    if not isinstance(previous, dict) or not previous or set(previous) - set(UNDOABLE):
        raise InvalidInput("Not an undo token of this workbench.", field="undo")
    fields = dict(previous)
    if "status" in fields and fields["status"] not in Claim.Status.values:
        raise InvalidInput("Not an undo token of this workbench.", field="undo")
    if "claim_type" in fields:
        _check_type(fields["claim_type"])
    if "decided_by" in fields:
        fields["decided_by_id"] = fields.pop("decided_by")
    if "person" in fields:  # a person merged since stands for the one it was merged into
        person_id = fields.pop("person")
        while person_id is not None and (
            merged := Person.objects.filter(pk=person_id).values_list("merged_into_id", flat=True).first()
        ):
            person_id = merged
        fields["person_id"] = person_id
    if fields.get("decided_at"):
        fields["decided_at"] = datetime.fromisoformat(fields["decided_at"])
    return fields
