"""People: who said what. A claim's `person` is resolved from the words the article used
(`speaker`) through aliases; editors rename people, add and remove aliases, merge two people into
one (every mention follows) and correct a claim's speaker to an existing person.

Named aliases are unique across people (a unique constraint): one spelling names one person, so
after "Jon Smiht" is merged into "Jon Smith" every later mention spelled either way finds him.
An anonymous description ("a senior official") is a person of kind `anonymous` for one article
only: the workbench never decides that two articles' anonymous sources are the same; an editor
who knows it merges them.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.roles import require
from core.errors import ConflictError, InvalidInput
from core.versioning import versioned_update
from factcheck.aliases import alias_normalize
from factcheck.models import Claim, Person, PersonAlias

MAX_NAME = 300


def _clean_name(text: str, *, field: str) -> tuple[str, str]:
    text = " ".join((text or "").split())
    if len(text) > MAX_NAME:
        raise InvalidInput(f"{field} is longer than {MAX_NAME} characters.", field=field)
    key = alias_normalize(text)
    if not key:
        raise InvalidInput(f"{field} needs at least one letter or digit.", field=field)
    return text, key


def _alias_owner(key: str) -> PersonAlias | None:
    return PersonAlias.objects.select_related("person").filter(normalized=key, kind=Person.Kind.PERSON).first()


def _taken_message(text: str, owner: PersonAlias) -> str:
    return (
        f"“{text}” is already an alias of {owner.person.name} (person {owner.person_id}); merge the two people instead."
    )


# --- resolving a mention to a person (no permission: callers are the worker and services that checked) ---


def person_for_speaker(*, speaker: str, anonymous: bool, article_id: int, by=None) -> Person | None:
    """The person a mention's words name, created if no alias matches. None for no speaker.

    Named: the person holding the alias, else a new person (a concurrent creation of the same
    alias loses the unique constraint and takes the winner). Anonymous: the anonymous person of
    this article with that description, else a new one."""
    text = " ".join((speaker or "").split())[:MAX_NAME]
    key = alias_normalize(text)
    if not key:
        return None
    if anonymous:
        existing = (
            Person.objects.filter(
                kind=Person.Kind.ANONYMOUS,
                merged_into__isnull=True,
                claims__article_id=article_id,
                aliases__normalized=key,
            )
            .order_by("id")
            .first()
        )
        return existing or _person_create(name=text, key=key, kind=Person.Kind.ANONYMOUS, by=by)
    owner = _alias_owner(key)
    if owner is not None:
        return owner.person
    try:
        with transaction.atomic():
            return _person_create(name=text, key=key, kind=Person.Kind.PERSON, by=by)
    except IntegrityError:  # someone created this alias meanwhile
        owner = _alias_owner(key)
        if owner is None:
            raise
        return owner.person


def _person_create(*, name: str, key: str, kind: str, by) -> Person:
    person = Person(name=name, kind=kind, created_by=by)
    person._history_user = by
    person.save()
    alias = PersonAlias(person=person, text=name, normalized=key, kind=kind, created_by=by)
    alias._history_user = by
    alias.save()
    return person


@transaction.atomic
def claims_people_attach(*, article_id: int) -> int:
    """After extraction (in the worker): give the article's claims their person. Untouched machine
    candidates follow their (possibly new) speaker words; claims people decided keep the person
    they have and only get one when they have none. Returns how many claims changed."""
    claims = list(
        Claim.objects.filter(article_id=article_id).only(
            "id", "speaker", "is_anonymous_source", "person_id", "origin", "edited", "status", "group_id", "grouped_by"
        )
    )
    resolved: dict[tuple[str, bool], int | None] = {}
    changes: dict[int | None, list[int]] = {}
    for claim in claims:
        if claim.person_id is not None and not claim.is_machine_owned:
            continue
        key = (alias_normalize(claim.speaker), bool(claim.is_anonymous_source))
        if key not in resolved:
            person = person_for_speaker(speaker=claim.speaker, anonymous=key[1], article_id=article_id)
            resolved[key] = person.pk if person else None
        if resolved[key] != claim.person_id:
            changes.setdefault(resolved[key], []).append(claim.pk)
    for person_id, ids in changes.items():
        Claim.objects.filter(id__in=ids).update(person_id=person_id)
    return sum(len(ids) for ids in changes.values())


# --- editors' operations ----------------------------------------------------------------------


def _locked(person: Person) -> Person:
    """The person's row, locked for this transaction; refused if it was merged away."""
    current = Person.objects.select_for_update().get(pk=person.pk)
    if current.merged_into_id:
        raise InvalidInput(
            f"{current.name} (person {current.pk}) was merged into person {current.merged_into_id}; "
            "work on that person instead.",
            field="person",
        )
    return current


def _refresh(person: Person, current: Person) -> Person:
    for f in person._meta.concrete_fields:
        setattr(person, f.attname, getattr(current, f.attname))
    return person


def _check_version(current: Person, version: int | None, *, field: str = "version") -> None:
    if version is not None and int(version) != current.version:
        raise ConflictError(
            f"{current.name} (person {current.pk}) was changed by someone else (you saw version {version}, it is "
            f"now version {current.version}). Reload and try again.",
            field=field,
            current_version=current.version,
        )


def _alias_insert(person: Person, text: str, key: str, by) -> PersonAlias:
    alias = PersonAlias(person=person, text=text, normalized=key, kind=person.kind, created_by=by)
    alias._history_user = by
    try:
        with transaction.atomic():
            alias.save()
    except IntegrityError:
        owner = _alias_owner(key)
        if owner is not None and owner.person_id != person.pk:
            raise InvalidInput(_taken_message(text, owner), field="alias") from None
        raise InvalidInput(f"“{text}” is already an alias of {person.name}.", field="alias") from None
    return alias


@transaction.atomic
def person_update(
    *, person: Person, by, version: int | None, name: str | None = None, description: str | None = None
) -> Person:
    """Rename a person and/or change their description. A new name becomes an alias too (the
    old name stays one, so mentions spelled the old way still find them)."""
    require(by, "claim.curate", "edit people")
    current = _locked(person)
    _check_version(current, version)
    fields: dict = {}
    if name is not None:
        text, key = _clean_name(name, field="name")
        if text != current.name:
            if not current.aliases.filter(normalized=key).exists():
                _alias_insert(current, text, key, by)
            fields["name"] = text
    if description is not None:
        if len(description) > 5000:
            raise InvalidInput("description is longer than 5,000 characters.", field="description")
        fields["description"] = description.strip()
    if not fields:
        raise InvalidInput("Nothing to change: give a new name or description.", field="name")
    versioned_update(current, by=by, version=None, fields=fields, reason="renamed" if "name" in fields else "described")
    return _refresh(person, current)


@transaction.atomic
def person_alias_add(*, person: Person, alias: str, by, version: int | None) -> PersonAlias:
    """Another name the person goes by. A named alias another person holds is refused (merge them)."""
    require(by, "claim.curate", "edit people")
    current = _locked(person)
    _check_version(current, version)
    text, key = _clean_name(alias, field="alias")
    if current.aliases.filter(normalized=key).exists():
        raise InvalidInput(f"“{text}” is already an alias of {current.name}.", field="alias")
    if current.kind == Person.Kind.PERSON:
        owner = _alias_owner(key)
        if owner is not None:
            raise InvalidInput(_taken_message(text, owner), field="alias")
    created = _alias_insert(current, text, key, by)
    versioned_update(current, by=by, version=None, fields={}, reason=f"alias added: {text}")
    _refresh(person, current)
    return created


@transaction.atomic
def person_alias_remove(*, person: Person, alias: PersonAlias, by, version: int | None) -> Person:
    """Drop an alias (a wrong spelling attached by mistake). The person's own name stays an alias;
    mentions already linked keep their person."""
    require(by, "claim.curate", "edit people")
    current = _locked(person)
    _check_version(current, version)
    if alias.person_id != current.pk:
        raise InvalidInput(f"“{alias.text}” is not an alias of {current.name}.", field="alias")
    if alias.normalized == alias_normalize(current.name):
        raise InvalidInput(f"“{alias.text}” is {current.name}'s name; rename the person first.", field="alias")
    alias._history_user = by
    alias.delete()
    versioned_update(current, by=by, version=None, fields={}, reason=f"alias removed: {alias.text}")
    return _refresh(person, current)


@transaction.atomic
def person_merge(
    *, source: Person, target: Person, by, source_version: int | None = None, target_version: int | None = None
) -> dict:
    """Merge `source` into `target`: every mention of source becomes a mention of target, source's
    aliases move to target (named into named; an anonymous description does not become a named
    person's alias; a named person is never merged into a description), and source is kept, marked merged into target, by whom and when (both
    people's history records the decision). Both rows are locked, in id order."""
    require(by, "claim.curate", "merge people")
    if source.pk == target.pk:
        raise InvalidInput("Choose another person to merge into.", field="target")
    if source.kind == Person.Kind.PERSON and target.kind == Person.Kind.ANONYMOUS:
        raise InvalidInput(
            f"{source.name} is a named person and {target.name} an anonymous description: merge the "
            "description into the person instead.",
            field="target",
        )
    locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk")}
    src, dst = locked[source.pk], locked[target.pk]
    for current, field in ((src, "source"), (dst, "target")):
        if current.merged_into_id:
            raise InvalidInput(
                f"{current.name} (person {current.pk}) was already merged into person {current.merged_into_id}.",
                field=field,
            )
    _check_version(src, source_version, field="source_version")
    _check_version(dst, target_version, field="target_version")
    moved_aliases = 0
    if src.kind == dst.kind:
        have = set(dst.aliases.values_list("normalized", flat=True))
        for alias in list(src.aliases.all()):
            alias._history_user = by
            if alias.normalized in have:
                alias.delete()
            else:
                alias.person = dst
                alias.save(update_fields=["person"])
                moved_aliases += 1
    claim_ids = list(Claim.objects.filter(person=src).values_list("id", flat=True))
    Claim.objects.filter(id__in=claim_ids).update(person=dst)
    if claim_ids:
        Claim.history.bulk_history_create(
            list(Claim.objects.filter(id__in=claim_ids)),
            update=True,
            default_user=by,
            default_change_reason=f"speaker merged: person {src.pk} into {dst.pk}",
        )
    now = timezone.now()
    versioned_update(
        src,
        by=by,
        version=None,
        fields={"merged_into": dst, "merged_by": by, "merged_at": now},
        reason=f"merged into {dst.name} (person {dst.pk})",
    )
    versioned_update(
        dst, by=by, version=None, fields={}, reason=f"{src.name} (person {src.pk}) merged in: {len(claim_ids)} mentions"
    )
    _refresh(source, src)
    _refresh(target, dst)
    return {"target": dst.pk, "source": src.pk, "mentions": len(claim_ids), "aliases": moved_aliases}
