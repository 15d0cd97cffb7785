"""The framework's floor for write_burst.py: the least a form POST costs in this stack, with no
database. A GET of /form signs a session cookie and puts a CSRF token in the page; a POST of
any path checks the token (Flask-WTF, as the app does), flashes a message into the session and
redirects, as a successful write does.

    gunicorn -w 4 floor_app:app   (from benchmarks/)"""
from flask import Flask, flash, redirect, render_template_string
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
app.config.update(SECRET_KEY="floor-secret")  # one key for every worker, as the app has
CSRFProtect(app)
PAGE = '<form method="post"><input type="hidden" name="csrf_token" value="{{ csrf_token() }}"></form>'


@app.get("/form")
def form():
    return render_template_string(PAGE)


@app.post("/<path:anything>")
def write(anything: str):
    flash("Saved.")
    return redirect(f"/{anything}/done")
