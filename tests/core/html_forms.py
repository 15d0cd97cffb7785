"""The forms of a rendered page, read as a browser reads them: each form's action and method,
and what it would send (text boxes, text areas, the chosen option of each list, ticked boxes)."""
from dataclasses import dataclass, field
from html.parser import HTMLParser

TEXT_TYPES = {"text", "email", "tel", "url", "search", "number", "date", "time", "hidden", "password", ""}


@dataclass
class PageForm:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # what the browser would send, in order
    boxes: dict[str, str] = field(default_factory=dict)  # name -> type: text boxes and text areas a person types in
    names: set[str] = field(default_factory=set)  # every control's name, sent or not

    def value(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self.form: PageForm | None = None
        self.textarea: list | None = None
        self.select: list | None = None  # [name, first option, chosen option]

    def handle_starttag(self, tag, attrs):
        attrs = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form":
            self.form = PageForm(action=attrs.get("action", ""), method=attrs.get("method", "get").lower())
            self.forms.append(self.form)
        elif self.form is None or "disabled" in attrs:
            return
        elif tag == "input" and attrs.get("name"):
            self.form.names.add(attrs["name"])
            kind = attrs.get("type", "text").lower()
            if kind in TEXT_TYPES:
                self.form.fields.append((attrs["name"], attrs.get("value", "")))
                if kind not in {"hidden", "password"} and "hidden" not in attrs:
                    self.form.boxes[attrs["name"]] = kind
            elif kind in {"checkbox", "radio"} and "checked" in attrs:
                self.form.fields.append((attrs["name"], attrs.get("value", "on")))
        elif tag == "textarea" and attrs.get("name"):
            self.form.names.add(attrs["name"])
            self.textarea = [attrs["name"], ""]
        elif tag == "select" and attrs.get("name"):
            self.form.names.add(attrs["name"])
            self.select = [attrs["name"], None, None]
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            self.select[1] = value if self.select[1] is None else self.select[1]
            if "selected" in attrs:
                self.select[2] = value

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            name, text = self.textarea
            self.form.fields.append((name, text.removeprefix("\r").removeprefix("\n")))  # as browsers drop it
            self.form.boxes[name] = "textarea"
            self.textarea = None
        elif tag == "select" and self.select is not None and self.form is not None:
            name, first, chosen = self.select
            if chosen is not None or first is not None:
                self.form.fields.append((name, chosen if chosen is not None else first))
            self.select = None


def page_forms(html: str) -> list[PageForm]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms
