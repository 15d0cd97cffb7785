"""The groups blueprint; every stage's views.py puts its routes on it (see __init__.blueprints)."""

from flask import Blueprint

bp = Blueprint("groups", __name__, url_prefix="/groups")
