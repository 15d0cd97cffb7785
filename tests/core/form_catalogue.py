"""Every form class of the app (found by importing every module), and a way to send one field
of one of them a value, so that a rule can be proved for every field of every form."""
import importlib
import pkgutil
from functools import cache

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import SelectFieldBase

import brokerage


@cache
def every_form_class() -> tuple[type[FlaskForm], ...]:
    for module in pkgutil.walk_packages(brokerage.__path__, "brokerage."):
        importlib.import_module(module.name)
    found, todo = [], list(FlaskForm.__subclasses__())
    while todo:
        form_class = todo.pop()
        todo.extend(form_class.__subclasses__())
        if form_class.__module__.startswith("brokerage."):
            found.append(form_class)
    return tuple(sorted(set(found), key=lambda form_class: (form_class.__module__, form_class.__name__)))


def sent(app, form_class, name: str, value: str):
    """The field `name` of a `form_class` sent `value` (alone) in a POST, then the form validated
    (choice lists are given one choice where the view would fill them). Returns the field."""
    with app.test_request_context(method="POST", data=MultiDict({name: value})):
        form = form_class(meta={"csrf": False})
        for each in form:
            if isinstance(each, SelectFieldBase) and getattr(each, "choices", None) is None:
                each.choices = [("1", "One")]
        form.validate()
        return form[name]


def every_field(app, kind=object, unless=()):
    """(form class, field name) for every field of every form that is a `kind` and not one of `unless`."""
    found = []
    with app.test_request_context():
        for form_class in every_form_class():
            form = form_class(formdata=None, meta={"csrf": False})
            found += [(form_class, name) for name, field in form._fields.items()
                      if name != "csrf_token" and isinstance(field, kind) and not isinstance(field, unless)]
    return found
