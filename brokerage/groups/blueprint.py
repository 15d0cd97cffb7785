"""The groups blueprint; its views live in views.py, people_views.py, constitution_views.py and meeting_views.py."""
from flask import Blueprint

bp = Blueprint("groups", __name__, url_prefix="/groups")
