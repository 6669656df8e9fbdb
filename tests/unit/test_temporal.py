"""Unit tests for frontlines.temporal (sentences written by hand for these tests)."""
from __future__ import annotations

import datetime as dt

import pytest

from frontlines import temporal

from frontlines.temporal import (
    find_time_expressions,
    is_future_context,
    resolve_month,
    resolve_weekday,
)

D = dt.date
MON = D(2022, 9, 12)   # a Monday
SAT = D(2022, 9, 17)   # a Saturday
SUN = D(2022, 9, 18)   # a Sunday
WED = D(2022, 9, 14)   # a Wednesday


def one(text: str, article: dt.date, **kw):
    got = find_time_expressions(text, article, **kw)
    assert len(got) == 1, [(g.text, g.date, g.reason) for g in got]
    return got[0]


# ------------------------------------------------------------------ weekdays
def test_resolve_weekday_modes():
    assert resolve_weekday("Saturday", MON) == D(2022, 9, 10)
    assert resolve_weekday("monday", MON) == MON                      # the article day itself
    assert resolve_weekday(0, MON, "last") == D(2022, 9, 5)          # "last Monday" a week back
    assert resolve_weekday("Friday", MON, "last") == D(2022, 9, 9)
    assert resolve_weekday("Friday", MON, "next") == D(2022, 9, 16)
    assert resolve_weekday("Monday", MON, "next") == D(2022, 9, 19)
    assert resolve_weekday("Monday", MON, "future") == MON
    with pytest.raises(ValueError):
        resolve_weekday("Monday", MON, "sideways")


def test_on_weekday_before_article():
    e = one("Troops shelled the town on Saturday.", MON)
    assert e.date == D(2022, 9, 10)
    assert e.time_precision == 1
    assert e.relation == "past"
    assert e.reason == "time:weekday_before_article"
    assert e.text == "on Saturday"


def test_bare_capitalised_weekday_at_sentence_start():
    e = one("On Sunday, drones hit a depot.", MON)
    assert e.date == D(2022, 9, 11)
    assert e.start == 0 and e.end == len("On Sunday")


def test_weekday_equal_to_article_weekday_means_article_day():
    e = one("Officials said on Monday that the bridge was hit.", MON)
    assert e.date == MON
    assert e.relation == "present"


def test_saturday_article_saying_on_saturday():
    e = one("A market was struck on Saturday morning.", SAT)
    assert e.date == SAT
    assert e.relation == "present"


def test_last_weekday_same_day_is_a_week_back():
    assert one("The convoy left last Monday.", MON).date == D(2022, 9, 5)
    assert one("The convoy left last Friday.", MON).date == D(2022, 9, 9)


def test_by_weekday():
    e = one("By Saturday, the garrison had pulled back.", MON)
    assert e.date == D(2022, 9, 10)
    assert e.reason == "time:by_weekday"
    e = one("By Monday, power was mostly restored.", MON)
    assert e.date == MON


def test_weekday_in_future_clause():
    e = one("Ministers will meet in Brussels on Friday.", MON)
    assert e.date == D(2022, 9, 16)
    assert e.relation == "future"


def test_weekday_future_clause_at_sentence_start():
    e = one("On Thursday, the envoy will travel to Ankara.", MON)
    assert e.date == D(2022, 9, 15)
    assert e.relation == "future"


def test_reported_speech_stays_past():
    e = one("The mayor said on Friday that crews will rebuild the school.", MON)
    assert e.date == D(2022, 9, 9)
    assert e.relation == "past"


def test_next_weekday_is_future():
    e = one("Talks resume next Tuesday.", MON)
    assert e.date == D(2022, 9, 13)
    assert e.relation == "future"


def test_weekday_possessive():
    e = one("Friday's attack destroyed a warehouse.", MON)
    assert e.date == D(2022, 9, 9)


def test_weekday_lowercase_is_not_a_date():
    # weekday names are only dates when capitalised ("sunday" in a URL slug etc.)
    assert find_time_expressions("the sunday-school building", MON) == []


def test_tuesday_night():
    e = one("Rockets fell on the port on Tuesday night.", WED)
    assert e.date == D(2022, 9, 13)


def test_overnight_into_weekday():
    e = one("Russia fired drones overnight into Tuesday.", WED)
    assert e.date == D(2022, 9, 13)
    assert e.start_date == D(2022, 9, 12)
    assert e.end_date == D(2022, 9, 13)
    assert e.reason == "time:overnight"


def test_night_between_two_weekdays():
    e = one("Explosions shook the city during the night from Monday to Tuesday.", WED)
    assert e.date == D(2022, 9, 13)
    assert e.start_date == D(2022, 9, 12)
    assert e.reason == "time:overnight"


def test_two_weekdays_span():
    e = one("Shelling continued on Monday and Tuesday.", WED)
    assert (e.start_date, e.end_date) == (D(2022, 9, 12), D(2022, 9, 13))
    assert e.time_precision == 2


def test_since_weekday():
    e = one("Since Saturday, the town has been without power.", MON)
    assert e.start_date == D(2022, 9, 10)
    assert e.end_date == MON
    assert e.reason == "time:since"


# ------------------------------------------------------------------ relative days
@pytest.mark.parametrize("text,expected,reason", [
    ("It happened six days ago.", D(2022, 9, 6), "time:days_ago"),
    ("It happened 3 days ago.", D(2022, 9, 9), "time:days_ago"),
    ("It happened a day ago.", D(2022, 9, 11), "time:days_ago"),
    ("Sirens sounded yesterday.", D(2022, 9, 11), "time:yesterday"),
    ("Sirens sounded the day before yesterday.", D(2022, 9, 10), "time:day_before_yesterday"),
    ("Sirens sounded today.", MON, "time:today"),
    ("Sirens sounded this morning.", MON, "time:today"),
    ("Sirens sounded earlier today.", MON, "time:today"),
])
def test_relative_days(text, expected, reason):
    e = one(text, MON)
    assert e.date == expected
    assert e.reason == reason
    assert e.time_precision == 1


def test_two_weeks_ago_is_week_precision():
    e = one("The dam was damaged two weeks ago.", MON)
    assert e.date == D(2022, 8, 29)
    assert e.time_precision == 2
    assert e.reason == "time:weeks_ago"
    assert e.end_date < MON


def test_tomorrow_is_future():
    e = one("The evacuation starts tomorrow.", MON)
    assert e.date == D(2022, 9, 13)
    assert e.relation == "future"


def test_overnight_bare():
    e = one("Air defences downed drones overnight.", WED)
    assert e.date == WED
    assert e.start_date == D(2022, 9, 13)
    assert e.reason == "time:overnight"


def test_last_night():
    e = one("Explosions were heard last night.", WED)
    assert e.date == D(2022, 9, 13)
    assert e.reason == "time:last_night"


def test_year_boundary_yesterday():
    assert one("Strikes resumed yesterday.", D(2023, 1, 1)).date == D(2022, 12, 31)


def test_leap_day_days_ago():
    assert one("It began two days ago.", D(2024, 3, 1)).date == D(2024, 2, 28)


# ------------------------------------------------------------------ weeks and weekends
def test_over_the_weekend_monday_article():
    e = one("Over the weekend, troops crossed the river.", MON)
    assert (e.start_date, e.end_date) == (D(2022, 9, 10), D(2022, 9, 11))
    assert e.date == D(2022, 9, 10)
    assert e.time_precision == 2
    assert e.reason == "time:weekend"


def test_over_the_weekend_sunday_article_is_this_weekend():
    e = one("Over the weekend, troops crossed the river.", SUN)
    assert (e.start_date, e.end_date) == (SAT, SUN)


def test_over_the_weekend_midweek_article():
    e = one("Fighting intensified over the weekend.", WED)
    assert (e.start_date, e.end_date) == (D(2022, 9, 10), D(2022, 9, 11))


def test_over_the_weekend_saturday_article_past_tense():
    e = one("Fighting intensified over the weekend.", SAT)
    assert (e.start_date, e.end_date) == (D(2022, 9, 10), D(2022, 9, 11))
    assert e.relation == "past"


def test_last_week():
    e = one("Last week, the army retook the village.", WED)
    assert (e.start_date, e.end_date) == (D(2022, 9, 5), D(2022, 9, 11))
    assert e.time_precision == 2
    assert e.reason == "time:last_week"


def test_earlier_this_week():
    e = one("Earlier this week the bridge collapsed.", WED)
    assert (e.start_date, e.end_date) == (D(2022, 9, 12), D(2022, 9, 13))
    assert e.time_precision == 2


def test_next_week_is_future():
    e = one("Talks are due next week.", WED)
    assert e.relation == "future"
    assert e.start_date == D(2022, 9, 19)


def test_in_recent_weeks():
    e = one("In recent weeks, both sides shelled the area.", MON)
    assert e.end_date == D(2022, 9, 11)
    assert e.start_date < e.date < e.end_date
    assert e.time_precision in (2, 3)
    assert e.reason == "time:recent_weeks"


def test_in_recent_days():
    e = one("Shelling has grown in recent days.", MON)
    assert e.end_date == D(2022, 9, 11)
    assert e.time_precision == 2


def test_in_the_past_five_days():
    e = one("They advanced 50 km in the past five days.", MON)
    assert (e.start_date, e.end_date) == (D(2022, 9, 7), D(2022, 9, 11))
    assert e.time_precision == 2
    assert e.reason == "time:past_n_days"


def test_over_the_past_24_hours():
    e = one("Over the past 24 hours, 30 attacks were repelled.", MON)
    assert e.date == D(2022, 9, 11)
    assert e.time_precision == 1


def test_last_month_and_this_month():
    e = one("Last month the plant lost power.", D(2022, 1, 20))
    assert e.date == D(2021, 12, 15)
    assert e.time_precision == 3
    e = one("Earlier this month the plant lost power.", D(2022, 9, 5))
    assert e.end_date == D(2022, 9, 4)
    assert e.date <= D(2022, 9, 5)


# ------------------------------------------------------------------ explicit dates
@pytest.mark.parametrize("text,expected", [
    ("The invasion began on Feb. 24.", D(2022, 2, 24)),
    ("The invasion began on 24 February.", D(2022, 2, 24)),
    ("The invasion began on February 24, 2022.", D(2022, 2, 24)),
    ("The invasion began on 24th February 2022.", D(2022, 2, 24)),
    ("Strikes hit the city on March 3.", D(2022, 3, 3)),
    ("It was signed on 1 March 2022.", D(2022, 3, 1)),
    ("The report is dated 2022-08-30.", D(2022, 8, 30)),
    ("The attack came on Sept. 9.", D(2022, 9, 9)),
    ("It happened on the 5th of September.", D(2022, 9, 5)),
])
def test_explicit_dates(text, expected):
    e = one(text, MON)
    assert e.date == expected
    assert e.time_precision == 1
    assert e.reason.startswith("time:explicit_date")


def test_explicit_date_without_year_goes_back_a_year():
    e = one("Fighting started on December 20.", D(2023, 1, 5))
    assert e.date == D(2022, 12, 20)
    assert e.relation == "past"


def test_explicit_date_a_few_days_ahead_is_upcoming():
    e = one("October 1 has been declared a day of mourning.", D(2022, 9, 30))
    assert e.date == D(2022, 10, 1)
    assert e.relation == "future"


def test_weekday_with_date_in_brackets_is_one_expression():
    e = one("Wagner said on Tuesday (January 10) it held the town.", D(2023, 1, 11))
    assert e.date == D(2023, 1, 10)
    assert "Tuesday" in e.text and "10" in e.text


def test_numeric_date_uses_weekday_to_disambiguate():
    e = one("The agency said on Wednesday (4/10/2023) that it agreed.", D(2023, 10, 4))
    assert e.date == D(2023, 10, 4)


def test_numeric_date_prefers_past_reading():
    e = one("Report of 03/04/2023.", D(2023, 3, 10))
    assert e.date == D(2023, 3, 4)


def test_feb_29_leap_year():
    assert one("It began on February 29.", D(2024, 3, 10)).date == D(2024, 2, 29)
    assert one("It began on February 29.", D(2023, 3, 10)).date == D(2020, 2, 29)


def test_overnight_day_range():
    e = one("Drones attacked overnight on 1-2 March.", D(2023, 3, 2))
    assert e.date == D(2023, 3, 2)
    assert e.start_date == D(2023, 3, 1)
    assert e.reason == "time:overnight"


def test_morning_of_explicit_date():
    e = one("Missiles hit the port on the morning of September 30.", D(2022, 10, 2))
    assert e.date == D(2022, 9, 30)
    assert e.text.startswith("on the morning of")


# ------------------------------------------------------------------ months and years
def test_in_month_most_recent():
    e = one("It abandoned its assault on the capital in March.", MON)
    assert e.date == D(2022, 3, 15)
    assert (e.start_date, e.end_date) == (D(2022, 3, 1), D(2022, 3, 31))
    assert e.time_precision == 3
    assert e.reason == "time:month_only"


def test_in_december_from_january_article():
    e = one("The offensive stalled in December.", D(2023, 1, 10))
    assert e.date == D(2022, 12, 15)
    assert e.relation == "past"


def test_in_current_month_is_clipped_to_article_date():
    e = one("Shelling increased in September.", D(2022, 9, 8))
    assert e.date <= D(2022, 9, 8)
    assert e.end_date == D(2022, 9, 8)
    assert e.time_precision == 3


def test_early_and_late_month():
    e = one("Troops arrived in early September.", D(2022, 10, 2))
    assert e.date == D(2022, 9, 1)
    assert e.reason == "time:month_start"
    e = one("Troops arrived in late August.", D(2022, 10, 2))
    assert e.date == D(2022, 8, 31)
    assert e.reason == "time:month_end"
    e = one("Troops arrived at the end of February.", D(2024, 3, 5))
    assert e.date == D(2024, 2, 29)
    e = one("Troops arrived in mid-July.", D(2022, 10, 2))
    assert e.date == D(2022, 7, 15)


def test_month_with_year():
    e = one("The siege began in February 2022.", D(2023, 6, 1))
    assert e.date == D(2022, 2, 15)
    assert e.reason == "time:month_year"


def test_since_month():
    e = one("They have not captured as much since April.", MON)
    assert e.start_date == D(2022, 4, 1)
    assert e.end_date == MON
    assert e.reason == "time:since"
    assert e.relation == "past"


def test_last_november_in_november_article():
    e = one("The city was retaken last November.", D(2023, 11, 20))
    assert e.date == D(2022, 11, 15)


def test_may_and_march_as_words_are_not_months():
    assert find_time_expressions("Officials May be wrong about the march.", MON) == []
    assert find_time_expressions("The troops may march on.", MON) == []
    assert one("Fighting resumed in May.", MON).date == D(2022, 5, 15)


def test_year_only():
    e = one("The war began in 2014 after the revolution.", MON)
    assert e.date == D(2014, 7, 1)
    assert (e.start_date, e.end_date) == (D(2014, 1, 1), D(2014, 12, 31))
    assert e.time_precision == 3
    assert e.reason == "time:year_only"


def test_year_not_confused_with_counts():
    assert find_time_expressions("They fired 2014 shells.", MON) == []
    assert find_time_expressions("Over 2,000 troops arrived.", MON) == []


def test_current_year_is_clipped():
    e = one("Prices rose in 2022.", D(2022, 3, 1))
    assert e.date <= D(2022, 3, 1)
    assert e.end_date == D(2022, 3, 1)


def test_last_year():
    e = one("Last year the plant was shut.", MON)
    assert e.date.year == 2021
    assert e.reason == "time:last_year"


# ------------------------------------------------------------------ mechanics
def test_offset_added():
    text = "Kyiv was hit on Sunday."
    e = one(text, MON, offset=100)
    assert (e.start, e.end) == (100 + text.index("on Sunday"), 100 + text.index("on Sunday") + 9)


def test_no_date_words_returns_empty_fast():
    assert find_time_expressions("Troops moved toward the river.", MON) == []
    assert find_time_expressions("", MON) == []


def test_multiple_expressions_in_order():
    got = find_time_expressions("On Sunday missiles struck; by Monday power returned.", MON)
    assert [g.date for g in got] == [D(2022, 9, 11), MON]
    assert got[0].start < got[1].start


def test_longest_match_wins():
    got = find_time_expressions("It was signed on Friday, April 15, 2022 in Kyiv.", D(2022, 4, 16))
    assert len(got) == 1
    assert got[0].date == D(2022, 4, 15)


def test_datetime_article_date_accepted():
    e = one("It happened yesterday.", dt.datetime(2022, 9, 12, 8, 30))
    assert e.date == D(2022, 9, 11)


def test_spacy_span_fallback_to_dateparser():
    text = "The order was given on the 15th, officials said."
    s = text.index("the 15th")
    got = find_time_expressions(text, MON, spans=[(s, s + len("the 15th"))])
    assert len(got) == 1
    assert got[0].date == D(2022, 8, 15)
    assert got[0].reason == "time:dateparser"


def test_spacy_spans_for_durations_and_clock_times_are_ignored():
    text = "The siege lasted three days and ended at 19:00."
    spans = [(text.index("three days"), text.index("three days") + 10),
             (text.index("19:00"), text.index("19:00") + 5)]
    assert find_time_expressions(text, MON, spans=spans) == []


def test_spacy_span_overlapping_rule_is_not_duplicated():
    text = "Six days ago the offensive began."
    got = find_time_expressions(text, MON, spans=[(0, 12)])
    assert len(got) == 1
    assert got[0].reason == "time:days_ago"


@pytest.mark.parametrize("article", [D(2022, 9, d) for d in range(10, 17)])
def test_past_expressions_never_after_article(article):
    text = ("On Saturday and on Sunday, over the weekend, troops shelled towns; by Friday "
            "they withdrew. In recent weeks and in the past five days, yesterday and "
            "earlier this week, in September and since August, strikes went on.")
    for e in find_time_expressions(text, article):
        if e.relation != "future":
            assert e.date <= article, (e.text, e.date)
            assert e.end_date is None or e.end_date <= article, (e.text, e.end_date)


def test_is_future_context():
    t = "The minister will visit Kyiv on Friday."
    i = t.index("on Friday")
    assert is_future_context(t, i, i + 9)
    t = "The minister visited Kyiv on Friday."
    i = t.index("on Friday")
    assert not is_future_context(t, i, i + 9)


def test_resolve_month():
    assert resolve_month(12, D(2023, 1, 10)) == 2022
    assert resolve_month(1, D(2023, 1, 10)) == 2023
    assert resolve_month(1, D(2023, 1, 10), strict=True) == 2022
    assert resolve_month(3, D(2023, 1, 10), future=True) == 2023


# ------------------------------------------------------------------ a hand-made article
def test_hand_made_article_monday():
    text = (
        "Over the weekend the army pushed east. Six days ago the push began. "
        "By Saturday the enemy withdrew. On Sunday missiles hit power plants. "
        "By Monday power was back. The war began on Feb. 24 and fighting dates from 2014."
    )
    got = {g.text: g for g in find_time_expressions(text, MON)}
    assert got["Over the weekend"].date == D(2022, 9, 10)
    assert got["Six days ago"].date == D(2022, 9, 6)
    assert got["By Saturday"].date == D(2022, 9, 10)
    assert got["On Sunday"].date == D(2022, 9, 11)
    assert got["By Monday"].date == MON
    assert got["on Feb. 24"].date == D(2022, 2, 24)
    assert got["from 2014"].reason == "time:year_only"


# ---------------------------------------------------------------- the day relative dates count from
def test_reference_date_of_a_dated_report_is_its_day():
    ref = temporal.reference_date("Shelling on Sunday.", dt.date(2022, 9, 12), "date:field")
    assert (ref.date, ref.known) == (dt.date(2022, 9, 12), "day")


def test_month_only_report_is_not_dated_the_first_of_the_month():
    text = "The operation started on September 6. On September 10 the ministry announced a regrouping."
    ref = temporal.reference_date(text, dt.date(2022, 9, 1), "date:month_only")
    assert ref.known == "month" and ref.date == dt.date(2022, 9, 11)       # after the latest date it gives
    bare = temporal.reference_date("Troops entered the town.", dt.date(2022, 9, 1), "date:month_only")
    assert bare.date == dt.date(2022, 9, 15) and bare.reason == "time:middle_of_month"


def test_undated_report_counts_from_the_latest_date_it_states():
    ref = temporal.reference_date("Rockets struck the capital on December 29, 2023.", None)
    assert (ref.date, ref.known) == (dt.date(2023, 12, 29), "none")
    assert temporal.date_is_known("time:explicit_date", ref)
    assert temporal.date_is_known("time:explicit_date_no_year", ref)      # the year the text gives elsewhere
    assert temporal.date_is_known("time:weekday_before_article", ref)     # "on Sunday" counts from it
    assert temporal.inferred_reference(ref)
    nothing = temporal.reference_date("Rockets struck the capital on Friday.", None)
    assert nothing.reason == "time:no_reference"
    assert not temporal.date_is_known("time:explicit_date_no_year", nothing)


def test_between_two_dates_is_one_span():
    [t] = temporal.find_time_expressions("Between September 10 and September 20, strikes hit", dt.date(2022, 10, 5))
    assert (t.start_date, t.end_date, t.reason) == (dt.date(2022, 9, 10), dt.date(2022, 9, 20), "time:explicit_range")
    two = temporal.find_time_expressions("On September 10 and September 12 there were strikes", dt.date(2022, 10, 5))
    assert len(two) == 2                              # two days, not a span


# ------------------------------------------------------------------ seasons
@pytest.mark.parametrize("text,article,start,end", [
    ("The town was pounded for weeks this spring.", D(2022, 10, 1), D(2022, 3, 1), D(2022, 5, 31)),
    ("Troops advanced last summer.", D(2022, 10, 1), D(2022, 6, 1), D(2022, 8, 31)),
    ("Troops advanced last summer.", D(2022, 7, 20), D(2021, 6, 1), D(2021, 8, 31)),
    ("The city was shelled in the winter of 2022.", D(2023, 6, 1), D(2022, 12, 1), D(2023, 2, 28)),
    ("They dug in during the winter.", D(2023, 1, 20), D(2022, 12, 1), D(2023, 1, 20)),
])
def test_a_season_is_a_span_of_months_too_coarse_for_an_event_day(text, article, start, end):
    got = one(text, article)
    assert (got.start_date, got.end_date, got.time_precision, got.reason) == (start, end, 3, "time:season")


def test_the_fall_of_a_city_is_no_season():
    assert find_time_expressions("After the fall of Mariupol, a fall in morale followed.", MON) == []
