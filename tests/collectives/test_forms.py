"""Pounds typed by people become exact integer pence, or a clear refusal; never an exception."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from brokerage.core.input.fields import MAX_AMOUNT_PENCE, pounds_to_pence


@pytest.mark.parametrize("typed, pence", [
    ("1,250.50", 125_050), ("£50,000", 5_000_000), (" 0.01 ", 1), ("10000000", MAX_AMOUNT_PENCE), ("7.5", 750),
])
def test_pounds_become_pence(typed, pence):
    assert pounds_to_pence(typed) == pence


@given(st.integers(min_value=1, max_value=MAX_AMOUNT_PENCE))
def test_any_amount_written_in_pounds_comes_back_as_the_same_pence(pence):
    assert pounds_to_pence(f"£{pence // 100:,}.{pence % 100:02d}") == pence


@given(st.text(max_size=40))
def test_any_text_is_either_sane_pence_or_a_message(text):
    try:
        pence = pounds_to_pence(text)
    except ValueError as error:
        assert str(error).startswith("Enter")
    else:
        assert isinstance(pence, int) and 0 < pence <= MAX_AMOUNT_PENCE
