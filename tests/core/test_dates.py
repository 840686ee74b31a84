from datetime import UTC, date, datetime, timedelta

import pytest

from core.dates import calendar_day, is_bare_day, iso_datetime


@pytest.mark.parametrize(
    "text",
    [
        "January 6, 2020",
        "6 January 2020",
        "Jan 6, 2020",
        "6 Jan 2020",
        "2020-01-06",
        "2020-01-06T23:30:00Z",
        " 2020-01-06 ",
    ],
)
def test_calendar_day_reads_iso_and_printed_dates(text):
    assert calendar_day(text) == date(2020, 1, 6)


@pytest.mark.parametrize("text", ["", None, "garbage", "January 2020", "May 5", "12", "2020-13-40"])
def test_calendar_day_refuses_incomplete_or_bad_dates(text):
    assert calendar_day(text) is None


def test_iso_datetime_keeps_the_offset_and_refuses_reduced_precision():
    assert iso_datetime("2022-02-21T18:00:00+02:00") == datetime(2022, 2, 21, 16, 0, tzinfo=UTC)
    assert iso_datetime("2022-02-21T18:00:00+02:00").utcoffset() == timedelta(hours=2)
    assert iso_datetime("2022-02-21 18:00") == datetime(2022, 2, 21, 18, 0)
    assert iso_datetime("2022-02-21") == datetime(2022, 2, 21)
    assert [iso_datetime(t) for t in ("2022", "2022-02", "21/02/2022", "February 21, 2022", "")] == [None] * 5
    assert is_bare_day("2022-02-21") and not is_bare_day("2022-02-21T18:00")
