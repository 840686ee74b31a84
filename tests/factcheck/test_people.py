"""People (#18 item 4): speakers resolved to people by alias, rename, aliases, merge (every
mention follows), a claim's speaker corrected to a person, the worker attaching people after
extraction, and the data migration that linked existing speakers."""

import pytest
from django.db import IntegrityError, transaction

from articles.models import Article
from articles.services import articles_import_paths
from core.errors import ConflictError, InvalidInput, PermissionDenied
from factcheck.aliases import alias_normalize
from factcheck.models import Claim, Person, PersonAlias
from factcheck.services.claims import claim_person_set, claim_update, claims_bulk_undo
from factcheck.services.extraction import claims_extract
from factcheck.services.people import (
    claims_people_attach,
    person_alias_add,
    person_alias_remove,
    person_for_speaker,
    person_merge,
    person_update,
)
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory

pytestmark = pytest.mark.django_db


def mention(speaker: str, *, anonymous: bool = False, article=None, **kwargs) -> Claim:
    """A machine candidate with these speaker words, attached to its person as the worker does."""
    claim = ClaimFactory(article=article or ArticleFactory(), speaker=speaker, is_anonymous_source=anonymous, **kwargs)
    claims_people_attach(article_id=claim.article_id)
    return Claim.objects.select_related("person").get(pk=claim.pk)


def test_alias_normalize_folds_case_accents_punctuation_and_spacing():
    assert alias_normalize("  Dr. José  O’Neil ") == "dr jose o neil"
    assert alias_normalize("DR JOSE O'NEIL") == "dr jose o neil"
    assert alias_normalize("Zoë-Ann Smith") == "zoe ann smith"
    assert alias_normalize("Ann Smith") != alias_normalize("Anne Smith")
    assert alias_normalize(" … ") == ""


def test_one_person_for_every_spelling_of_a_name_across_outlets():
    a = mention("Mayor Ada Lind", article=ArticleFactory(outlet=OutletFactory(name="Harbour Herald")))
    b = mention("mayor ada lind", article=ArticleFactory(outlet=OutletFactory(name="Valley Voice")))
    c = mention("Ada Lind")
    assert a.person_id == b.person_id != c.person_id
    assert a.person.kind == "person" and a.person.name == "Mayor Ada Lind"
    assert list(a.person.aliases.values_list("normalized", flat=True)) == ["mayor ada lind"]


def test_anonymous_descriptions_are_one_source_per_article_never_across_articles():
    article = ArticleFactory()
    first = mention("a senior official", anonymous=True, article=article, start=0, end=5)
    again = mention("A senior official", anonymous=True, article=article, start=6, end=9)
    elsewhere = mention("a senior official", anonymous=True)
    assert first.person_id == again.person_id != elsewhere.person_id
    assert first.person.kind == elsewhere.person.kind == "anonymous"
    # an anonymous description never takes a named person's alias
    named = mention("a senior official")
    assert named.person.kind == "person" and named.person_id not in (first.person_id, elsewhere.person_id)


def test_attach_follows_machine_words_but_keeps_what_people_decided(editor):
    article = ArticleFactory()
    machine = ClaimFactory(article=article, speaker="Ada Lind", start=0, end=5)
    decided = ClaimFactory(article=article, speaker="Ada Lind", start=6, end=9)
    claims_people_attach(article_id=article.pk)
    ada = Claim.objects.get(pk=machine.pk).person
    other = person_for_speaker(speaker="Bo Brand", anonymous=False, article_id=article.pk)
    claim_person_set(claim=Claim.objects.get(pk=decided.pk), person=other, by=editor, version=None)
    Claim.objects.filter(pk=machine.pk).update(speaker="Cy Cole")  # a new extractor version reads other words
    assert claims_people_attach(article_id=article.pk) == 1
    assert Claim.objects.get(pk=machine.pk).person.name == "Cy Cole"
    assert Claim.objects.get(pk=decided.pk).person_id == other.pk  # the editor's correction stays
    assert Person.objects.filter(pk=ada.pk).exists()
    assert claims_people_attach(article_id=article.pk) == 0  # again: nothing changes


def test_merge_moves_every_mention_and_alias_and_records_the_decision(editor):
    wrong = [mention("Anthony Blinked"), mention("anthony blinked")]
    right = mention("Antony Blinken")
    source, target = wrong[0].person, right.person
    assert wrong[0].person_id == wrong[1].person_id
    result = person_merge(
        source=source, target=target, by=editor, source_version=source.version, target_version=target.version
    )
    assert result == {"target": target.pk, "source": source.pk, "mentions": 2, "aliases": 1}
    assert set(Claim.objects.filter(person=target).values_list("id", flat=True)) == {c.pk for c in wrong + [right]}
    assert sorted(target.aliases.values_list("text", flat=True)) == ["Anthony Blinked", "Antony Blinken"]
    source.refresh_from_db()
    assert (source.merged_into_id, source.merged_by_id) == (target.pk, editor.pk) and source.merged_at
    assert not source.aliases.exists()
    reasons = [h.history_change_reason for h in Person.history.filter(id__in=[source.pk, target.pk])]
    assert f"merged into Antony Blinken (person {target.pk})" in reasons
    assert f"Anthony Blinked (person {source.pk}) merged in: 2 mentions" in reasons
    claim_history = Claim.history.filter(id=wrong[0].pk).order_by("-history_date").first()
    assert claim_history.person_id == target.pk and "speaker merged" in claim_history.history_change_reason
    # every later mention spelled the wrong way finds the right person
    assert mention("Anthony  Blinked.").person_id == target.pk


@pytest.mark.parametrize("case", ["self", "stale", "named_into_anonymous", "already_merged", "reviewer"])
def test_merge_refusals_change_nothing(case, editor, reviewer):
    a, b = mention("Ada Lind").person, mention("Bo Brand").person
    kwargs = {"source": a, "target": b, "by": editor}
    if case == "self":
        kwargs["target"], error, words = a, InvalidInput, "another person"
    elif case == "stale":
        kwargs["target_version"], error, words = b.version + 1, ConflictError, "changed by someone else"
    elif case == "named_into_anonymous":
        kwargs["target"] = mention("an aide", anonymous=True).person
        error, words = InvalidInput, "anonymous description"
    elif case == "already_merged":
        c = mention("Cy Cole").person
        person_merge(source=a, target=c, by=editor)
        a.refresh_from_db()
        kwargs["source"], error, words = a, InvalidInput, "already merged"
    else:
        kwargs["by"], error, words = reviewer, PermissionDenied, "permission to merge people"
    before = (
        sorted(Claim.objects.values_list("id", "person_id")),
        sorted(PersonAlias.objects.values_list("id", "person_id")),
        sorted(Person.objects.values_list("id", "merged_into_id", "version")),
    )
    with pytest.raises(error, match=words):
        person_merge(**kwargs)
    after = (
        sorted(Claim.objects.values_list("id", "person_id")),
        sorted(PersonAlias.objects.values_list("id", "person_id")),
        sorted(Person.objects.values_list("id", "merged_into_id", "version")),
    )
    assert after == before


def test_merging_a_description_into_a_named_person_keeps_the_description_out_of_their_aliases(editor):
    aide = mention("an aide", anonymous=True)
    ada = mention("Ada Lind").person
    result = person_merge(source=aide.person, target=ada, by=editor)
    assert (result["mentions"], result["aliases"]) == (1, 0)
    assert Claim.objects.get(pk=aide.pk).person_id == ada.pk
    assert list(ada.aliases.values_list("text", flat=True)) == ["Ada Lind"]
    assert mention("an aide").person_id != ada.pk  # "an aide" did not become her name


def test_alias_add_remove_and_rename(editor, reviewer):
    ada = mention("Ada Lind").person
    bo = mention("Bo Brand").person
    person_alias_add(person=ada, alias="A. Lind", by=editor, version=ada.version)
    assert mention("a lind").person_id == ada.pk
    with pytest.raises(InvalidInput, match=r"already an alias of Bo Brand \(person \d+\); merge") as exc:
        person_alias_add(person=ada, alias="BO BRAND", by=editor, version=ada.version)
    assert exc.value.field == "alias"
    with pytest.raises(InvalidInput, match="already an alias of Ada Lind"):
        person_alias_add(person=ada, alias="ada lind", by=editor, version=None)
    with pytest.raises(InvalidInput, match="at least one letter") as exc:
        person_alias_add(person=ada, alias=" -- ", by=editor, version=None)
    with pytest.raises(ConflictError):
        person_alias_add(person=ada, alias="Lind", by=editor, version=1)
    with pytest.raises(PermissionDenied):
        person_alias_add(person=ada, alias="Lind", by=reviewer, version=None)
    own = ada.aliases.get(text="Ada Lind")
    with pytest.raises(InvalidInput, match="name; rename the person first"):
        person_alias_remove(person=ada, alias=own, by=editor, version=None)
    with pytest.raises(InvalidInput, match="not an alias of Ada Lind"):
        person_alias_remove(person=ada, alias=bo.aliases.get(), by=editor, version=None)
    person_alias_remove(person=ada, alias=ada.aliases.get(text="A. Lind"), by=editor, version=ada.version)
    assert mention("A. Lind").person_id != ada.pk
    person_update(person=ada, name="Ada Lind-Moss", description="City mayor", by=editor, version=ada.version)
    ada.refresh_from_db()
    assert (ada.name, ada.description) == ("Ada Lind-Moss", "City mayor")
    assert sorted(ada.aliases.values_list("text", flat=True)) == ["Ada Lind", "Ada Lind-Moss"]
    with pytest.raises(InvalidInput, match="Bo Brand"):
        person_update(person=ada, name="Bo Brand", by=editor, version=None)


def test_the_database_refuses_one_named_spelling_for_two_people():
    ada, bo = mention("Ada Lind").person, mention("Bo Brand").person
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonAlias.objects.create(person=bo, text="ADA LIND", normalized="ada lind", kind="person")
    # descriptions may repeat (two articles' "an aide")
    one, two = mention("an aide", anonymous=True).person, mention("an aide", anonymous=True).person
    assert one.pk != two.pk and PersonAlias.objects.filter(normalized="an aide").count() == 2


def test_correcting_a_claims_speaker_to_a_person_is_undoable(editor, reviewer):
    claim = mention("Anthony Blinked")
    wrong = claim.person
    right = mention("Antony Blinken").person
    with pytest.raises(PermissionDenied):
        claim_person_set(claim=claim, person=right, by=reviewer, version=claim.version)
    claim_person_set(claim=claim, person=right, by=editor, version=claim.version)
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.person_id, stored.speaker, stored.edited) == (right.pk, "Anthony Blinked", True)
    with pytest.raises(InvalidInput, match="already this claim's speaker"):
        claim_person_set(claim=stored, person=right, by=editor, version=stored.version)
    claims_bulk_undo(undo=claim.undo_token, by=editor)
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.person_id, stored.edited) == (wrong.pk, False)


def test_editing_the_speaker_words_resolves_the_person_and_undo_puts_it_back(editor):
    claim = mention("Ada Lind")
    ada = claim.person
    bo = mention("Bo Brand").person
    claim_update(claim=claim, speaker="bo brand", by=editor, version=claim.version)
    assert Claim.objects.get(pk=claim.pk).person_id == bo.pk
    claims_bulk_undo(undo=claim.undo_token, by=editor)
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.speaker, stored.person_id) == ("Ada Lind", ada.pk)


def test_undo_to_a_person_merged_since_lands_on_the_merged_into_person(editor):
    claim = mention("Anthony Blinked")
    wrong = claim.person
    other = mention("Cy Cole").person
    claim_person_set(claim=claim, person=other, by=editor, version=claim.version)
    right = mention("Antony Blinken").person
    person_merge(source=wrong, target=right, by=editor)
    claims_bulk_undo(undo=claim.undo_token, by=editor)
    assert Claim.objects.get(pk=claim.pk).person_id == right.pk


def test_data_migration_links_existing_speakers():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("factcheck.migrations.0005_people")
    one = ClaimFactory(speaker="Ada Lind")
    two = ClaimFactory(speaker="ADA LIND")
    anon = [ClaimFactory(speaker="an aide", is_anonymous_source=True) for _ in range(2)]
    blank = ClaimFactory(speaker="")
    migration.link_existing_speakers(apps, None)
    people = dict(Claim.objects.values_list("id", "person_id"))
    assert people[one.pk] == people[two.pk] is not None
    assert people[anon[0].pk] != people[anon[1].pk]
    assert people[blank.pk] is None
    assert Person.objects.get(pk=people[one.pk]).aliases.get().normalized == "ada lind"


def test_the_worker_attaches_people_to_the_seed_articles_claims(seeds_dir):
    articles_import_paths(paths=[str(seeds_dir)])
    result = claims_extract(article_ids=list(Article.objects.values_list("id", flat=True)))
    assert not result.failed
    with_speaker = Claim.objects.exclude(speaker="")
    assert with_speaker.exists() and not with_speaker.filter(person__isnull=True).exists()
    assert not Claim.objects.filter(speaker="", person__isnull=False).exists()
    psaki = Person.objects.get(aliases__normalized="jen psaki")
    mentions = Claim.objects.filter(person=psaki)
    assert mentions.count() >= 2 and all(alias_normalize(c.speaker) == "jen psaki" for c in mentions)
    anonymous = Claim.objects.filter(is_anonymous_source=True).exclude(speaker="").select_related("person")
    assert anonymous.exists() and all(c.person.kind == "anonymous" for c in anonymous)
    for person_id in set(anonymous.values_list("person_id", flat=True)):  # one article each
        assert Claim.objects.filter(person_id=person_id).values("article_id").distinct().count() == 1
