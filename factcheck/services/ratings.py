from django.db import transaction

from factcheck.models import Rating, RatingScale

DEFAULT_SCALE = [
    # order, label, ClaimReview ratingValue
    (1, "Pants on fire", 1),
    (2, "False", 2),
    (3, "Mostly false", 3),
    (4, "Half true", 4),
    (5, "Mostly true", 5),
    (6, "True", 6),
]


@transaction.atomic
def rating_scale_ensure_default() -> RatingScale:
    """A six-level scale (as PolitiFact's) unless the newsroom already has a default scale."""
    scale = RatingScale.objects.filter(is_default=True).first()
    if scale:
        return scale
    scale = RatingScale.objects.create(
        name="Six-level truth scale", is_default=True, description="From 'Pants on fire' (1) to 'True' (6)."
    )
    Rating.objects.bulk_create(Rating(scale=scale, order=o, label=label, value=v) for o, label, v in DEFAULT_SCALE)
    return scale
