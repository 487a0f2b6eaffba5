"""Dates on readers' pages: the time_element filter writes what Django's date filter would."""

from datetime import UTC, date, datetime

import pytest
from django.template import engines
from django.test import override_settings

SAME_AS_DATE_FILTER = engines["django"].from_string(
    "{% load publishing %}"
    "{{ day|time_element }}{{ day|time_element:'short' }}|"
    "<time datetime=\"{{ day|date:'Y-m-d' }}\">{{ day|date:'j F Y' }}</time>"
    "<time datetime=\"{{ day|date:'Y-m-d' }}\">{{ day|date:'j M Y' }}</time>"
)


def both(day) -> tuple[str, str]:
    ours, django = SAME_AS_DATE_FILTER.render({"day": day}).split("|")
    return ours, django


@pytest.mark.parametrize("month", range(1, 13))
def test_a_day_of_every_month_is_written_as_the_date_filter_writes_it(month):
    ours, django = both(date(2020, month, 3))
    assert ours == django
    assert f'datetime="2020-{month:02d}-03"' in ours


@override_settings(TIME_ZONE="Asia/Baku")
def test_a_moment_is_shown_on_its_day_in_the_sites_time_zone():
    # 22:30 in UTC on 30 September is already 1 October in Baku (UTC+4).
    ours, django = both(datetime(2020, 9, 30, 22, 30, tzinfo=UTC))
    assert ours == django
    assert ours.startswith('<time datetime="2020-10-01">1 October 2020</time>')
