"""The search form rendered once per set of chosen options (search/form_html.py) is exactly the
form rendered afresh, whatever was typed: values escaped as WTForms escapes them, boxes checked,
"More filters" opened as the choices say."""
from flask import render_template
from werkzeug.datastructures import MultiDict

from brokerage.directory.listings.pages import search_choices
from brokerage.directory.search import form_html
from brokerage.directory.search.form_html import TEMPLATE, search_form_html
from brokerage.directory.search.forms import SearchForm

SEARCHES = [
    {},
    {"q": "football", "postcode": "HD1 2QA", "distance": "3"},
    {"q": "art", "postcode": "S70", "distance": "12.5", "day": ["1", "3"], "free": "y"},
    {"q": '"><script>alert(1)</script> & \'quotes\'', "postcode": "HX1", "distance": "7", "day": ["1", "3"],
     "free": "y"},
    {"q": "typed-value-of-postcode-marker", "postcode": "typed-value-of-q-marker", "distance": "2"},
    {"q": "yoga", "age": "34", "sort": "nearest", "suitable": ["beginners"], "category": "music"},
    {"q": "yoga", "age": "35", "sort": "nearest", "suitable": ["beginners"], "category": "music"},
]


def _form(args: dict) -> SearchForm:
    form = SearchForm(MultiDict([(name, value) for name, values in args.items()
                                 for value in (values if isinstance(values, list) else [values])]))
    form.set_choices(*search_choices())
    return form


def test_the_form_reused_for_new_typed_values_is_the_form_rendered_afresh(app, directory):
    form_html._rendered.clear()
    with app.test_request_context("/activities"):
        for args in SEARCHES + SEARCHES:  # the second time round, every selection is cached
            form = _form(args)
            assert form.validate() or not args, form.errors
            assert search_form_html(form) == render_template(TEMPLATE, form=form), args
        assert len(form_html._rendered) == 3  # one per set of options chosen, whatever was typed
        assert "&lt;script&gt;" in search_form_html(_form(SEARCHES[3]))


def test_a_form_with_errors_is_rendered_with_its_messages(app, directory):
    with app.test_request_context("/activities"):
        form = _form({"q": "art", "distance": "far", "age": "old"})
        assert not form.validate()
        html = search_form_html(form)
        assert html == render_template(TEMPLATE, form=form)
        assert 'value="far"' in html and "Enter a distance in miles, like 5." in html and "<details" in html
