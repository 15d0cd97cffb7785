"""Offline geography's table: where each postcode and postcode district is."""

from sqlalchemy import Boolean, CheckConstraint, Float, String
from sqlalchemy.orm import Mapped, mapped_column

from ...extensions import Model

PRECISIONS = ("unit", "district")


class PostcodeCentroid(Model):
    """Where a full postcode ('S71 1ET', precision 'unit', from the ONS Postcode Directory) or a
    postcode district ('S71', precision 'district', shipped with the project) is."""

    __tablename__ = "postcode_centroid"
    __table_args__ = (
        CheckConstraint("precision IN ('unit', 'district')", name="precision_known"),
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
    )

    postcode: Mapped[str] = mapped_column(String(8), primary_key=True)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    precision: Mapped[str] = mapped_column(String(8))
    terminated: Mapped[bool] = mapped_column(Boolean, default=False)

    def __repr__(self) -> str:
        return f"<PostcodeCentroid {self.postcode} {self.precision}>"


PAGE_CACHE_TABLES = ("postcode_centroid",)  # a search's origin (see directory/page_cache.py)
