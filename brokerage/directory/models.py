"""The directory's shared tables: the activity taxonomy (listings, search and the open data all
read it) and the counter the page cache keys its pages by.

Taxonomy tables use Open Referral (HSDS 3.0) names; each row also carries a stable UUID,
derived from its code, which is the identifier the Open Referral API publishes."""

from sqlalchemy import DDL, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model


class Taxonomy(Model):
    """A named set of terms (Open Referral `taxonomy`)."""

    __tablename__ = "taxonomy"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[str] = mapped_column(String(20), default="")

    terms: Mapped[list["TaxonomyTerm"]] = relationship(back_populates="taxonomy", order_by="TaxonomyTerm.id")


class TaxonomyTerm(Model):
    """An activity category (Open Referral `taxonomy_term`); `parent` makes the hierarchy."""

    __tablename__ = "taxonomy_term"
    __table_args__ = (
        UniqueConstraint("taxonomy_id", "code"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    taxonomy_id: Mapped[int] = mapped_column(ForeignKey("taxonomy.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("taxonomy_term.id"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")

    taxonomy: Mapped[Taxonomy] = relationship(back_populates="terms")
    parent: Mapped["TaxonomyTerm | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["TaxonomyTerm"]] = relationship(back_populates="parent", order_by="TaxonomyTerm.name")

    def __repr__(self) -> str:
        return f"<TaxonomyTerm {self.code}>"


class DirectoryVersion(Model):
    """One row: how many times the directory's data has changed (page_cache keys pages by it)."""

    __tablename__ = "directory_version"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    number: Mapped[int] = mapped_column(Integer, default=0)


event.listen(
    DirectoryVersion.__table__, "after_create", DDL("INSERT INTO directory_version (id, number) VALUES (1, 0)")
)

PAGE_CACHE_TABLES = ("taxonomy", "taxonomy_term")  # what the pages show (see page_cache.py)
