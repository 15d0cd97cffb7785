"""Reading what a bulk UPDATE or DELETE did."""

from typing import Any, cast

from sqlalchemy import CursorResult, Result


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed. `Session.execute` is typed as returning a plain
    `Result`; for these statements it is a `CursorResult`, which counts them."""
    return cast(CursorResult[Any], result).rowcount
