"""The year's headline in plain words, from the report over every project: who took part, how
their wellbeing changed, the money awarded and leveraged, how fast decisions were, and a few
published stories. It is public (for trustees, funders and the Trust): suppressed aggregates
and published stories only, nothing about any one person."""

from .pages import ImpactReport, build_report
from .scopes import ALL

STORY_COUNT = 3
WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _number(count: int, singular: str, plural: str | None = None) -> str:
    """'four localities', 'one project', '41 projects'."""
    word = WORDS[count] if count < len(WORDS) else f"{count:,}"
    return f"{word} {singular if count == 1 else plural or singular + 's'}"


def _pounds(pence: int) -> str:
    return f"£{pence / 100:,.0f}"


def year_headline(start_year: int) -> ImpactReport:
    """The report over every project for the year, with only published stories (a few)."""
    return build_report(ALL, start_year, internal=False, story_limit=STORY_COUNT)


def _taking_part(report: ImpactReport) -> str:
    summary = report.summary
    if summary.participants == 0:
        return f"In {report.year_label}, no wellbeing measures have been recorded yet."
    where = f" across {_number(report.localities, 'locality', 'localities')}" if report.localities else ""
    if summary.participants_hidden:
        return (
            f"In {report.year_label}, people took part in {_number(report.projects, 'project')}{where}; "
            "we do not give how many, as the number is small (we never report on fewer than 5 people)."
        )
    return (
        f"In {report.year_label}, {summary.participants:,} people took part in "
        f"{_number(report.projects, 'project')}{where}."
    )


def _wellbeing(report: ImpactReport) -> str:
    summary = report.summary
    shares, change = summary.shares, summary.mean_change
    if not summary.reportable or shares is None or change is None:
        return (
            "Too few people have answered the wellbeing questions twice so far to say how they felt "
            "(we never report on fewer than 5 people)."
        )
    direction = "rose" if change > 0 else "fell" if change < 0 else "stayed"
    return (
        f"Of the {summary.pairs:,} people who answered the wellbeing questions twice, {shares['improved']}% "
        f"felt better, {shares['unchanged']}% about the same and {shares['worse']}% worse; on average their "
        f"wellbeing score {direction} by {abs(change):.2f} points on a scale from 7 to 35."
    )


def _money(report: ImpactReport) -> list[str]:
    funding = report.funding
    if funding is None:  # a project's report: its bids are not made per project
        return []
    if not funding.awards:
        return ["The locality collectives have made no match-funding awards this year yet."]
    sentences = [
        f"The locality collectives made {_number(funding.awards, 'award')} worth "
        f"{_pounds(funding.awarded_pence)}, matching {_pounds(funding.partner_funds_pence)} raised by "
        f"partners (£{float(funding.leverage or 0):.2f} for every £1 awarded)."
    ]
    if funding.median_days is not None:
        sentences.append(
            f"Half of the decisions were made within {funding.median_days:g} days of the bid being submitted."
        )
    return sentences


def headline_sentences(report: ImpactReport) -> list[str]:
    """The plain-language statement of what the year achieved."""
    return [_taking_part(report), _wellbeing(report), *_money(report)]
