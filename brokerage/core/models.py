"""Localities: the four places Creative Minds serves; every feature points at them."""
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class Locality(db.Model):
    __tablename__ = "locality"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    ons_code: Mapped[str] = mapped_column(String(9), unique=True)

    def __repr__(self) -> str:
        return f"<Locality {self.name}>"
