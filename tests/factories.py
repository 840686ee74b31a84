import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles.models import Article, Outlet
from articles.text import content_hash, normalize_url
from factcheck.models import Claim, ClaimGroup, Rating, RatingScale, Source


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@newsroom.example")
    password = factory.PostGenerationMethodCall("set_password", "pass-for-tests")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted.value)[0])
            self.is_staff = extracted.value in ("admin", "editor")
        self.save()


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Outlet {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    outlet = factory.SubFactory(OutletFactory)
    headline = factory.Sequence(lambda n: f"Headline number {n}")
    body = factory.Sequence(
        lambda n: f"The council approved plan {n} on Tuesday. It will cost €{n} million, officials said."
    )
    url = factory.Sequence(lambda n: f"https://news.example/articles/{n}")
    normalized_url = factory.LazyAttribute(lambda a: normalize_url(a.url))
    content_hash = factory.LazyAttribute(lambda a: content_hash(a.body))
    external_id = factory.Sequence(lambda n: f"ext-{n}")
    extraction_status = Article.ExtractionStatus.DONE


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    article = factory.SubFactory(ArticleFactory)
    start = 0
    end = factory.LazyAttribute(lambda c: c.article.body.index(".") + 1)
    exact = factory.LazyAttribute(lambda c: c.article.body[c.start : c.end])
    claim_type = Claim.Type.OTHER
    checkworthiness = 0.8


class ClaimGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimGroup

    label = factory.Sequence(lambda n: f"Claim group {n}")


class RatingScaleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RatingScale

    name = factory.Sequence(lambda n: f"Scale {n}")


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    scale = factory.SubFactory(RatingScaleFactory)
    order = factory.Sequence(lambda n: n + 1)
    label = factory.Sequence(lambda n: f"Rating {n}")
    value = factory.LazyAttribute(lambda r: r.order)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://evidence.example/doc/{n}")
    normalized_url = factory.LazyAttribute(lambda s: normalize_url(s.url))
    title = factory.Sequence(lambda n: f"Evidence document {n}")


def correction_published(*, verdict, by, approver, rating, rationale: str, note: str):
    """A correction proposed by `by`, approved by `approver` (four eyes) and published."""
    from factcheck.services.verdicts import verdict_approve, verdict_correct, verdict_publish

    correction = verdict_correct(verdict=verdict, by=by, rating=rating, rationale=rationale, note=note)
    verdict_approve(verdict=correction, by=approver)
    return verdict_publish(verdict=correction, by=approver)
