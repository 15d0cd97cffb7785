"""Sign in and out, set and change passwords, and (for coordinators) manage accounts."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.exceptions import RequestEntityTooLarge

from ..core.input.forms import ConfirmForm, apply_rule_violation
from ..core.values.roles import Role
from ..core.values.timeutils import utcnow
from ..core.web.access import public, roles_required, signed_in_scoped_too
from ..errors import RuleViolation, security_log
from . import credentials, reset, services
from .access import may_deactivate
from .auth import begin_browser_session, current_session_token
from .forms import (
    ChangePasswordForm,
    DetailsForm,
    ForgotPasswordForm,
    InviteForm,
    LoginForm,
    RolesForm,
    SetPasswordForm,
)

bp = Blueprint("accounts", __name__)
coordinator_only = roles_required(Role.COORDINATOR)


def _safe_next(target: str | None) -> str:
    """A path on this site, or the dashboard. Browsers read "\\" as "/" and skip control
    characters, so "/\\evil.example" would leave the site: refuse both."""
    target = target or ""
    parts = urlsplit(target)
    if (
        target.startswith("/")
        and not target.startswith("//")
        and not parts.netloc
        and not parts.scheme
        and "\\" not in target
        and target.isprintable()
    ):
        return target
    return url_for("core.dashboard")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user, token = credentials.authenticate(
                email=form.email.data, password=form.password.data, ip=request.remote_addr or "unknown", now=utcnow()
            )
        except credentials.TooManyAttempts:
            security_log.warning("429 sign-in throttled")
            form.form_errors.append("Too many attempts to sign in. Wait 15 minutes, then try again.")
            return render_template("accounts/login.html", form=form), 429, {"Retry-After": "900"}
        except RuleViolation as error:
            security_log.warning("failed sign-in")
            apply_rule_violation(form, error)
        else:
            begin_browser_session(token)
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@public
def logout():
    credentials.sign_out(token=current_session_token())
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("core.home"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@public
def forgot_password():
    """The same answer, status and (padded) time whatever was typed: see reset.py."""
    form = ForgotPasswordForm()
    # Every form refuses control characters (NUL...) by the field; that answer does not depend on the
    # address either. Anything else, however odd, gets the one answer.
    if form.validate_on_submit():
        answer = reset.request_reset(email=form.email.data, ip=request.remote_addr or "unknown", now=utcnow())
        return render_template("accounts/forgot_password_sent.html", answer=answer)
    return render_template("accounts/forgot_password.html", form=form), 400 if form.errors else 200


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge):
    """An enormous forgotten-password form (over the form or request size limit) gets the one
    answer every other input gets, after the same work and time, so that not even its size makes
    the page say something else; the feature's other forms get the usual page."""
    if request.endpoint == "accounts.forgot_password":
        answer = reset.request_reset(email=None, ip=request.remote_addr or "unknown", now=utcnow())
        return render_template("accounts/forgot_password_sent.html", answer=answer)
    return render_template("errors/413.html", error=error), 413


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@public
def set_password(token: str):
    try:
        invitation = credentials.invitation_for_token(token=token, now=utcnow())
    except RuleViolation as error:
        return render_template("accounts/link_unusable.html", message=error.message), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            credentials.accept_invitation(token=token, password=form.password.data, now=utcnow())
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            logout_user()
            session.clear()
            flash("Your password is set. Sign in with it now.", "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/set_password.html", form=form, user=invitation.user)


@bp.route("/account")
@signed_in_scoped_too
def my_account():
    return render_template("accounts/my_account.html", user=current_user)


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in_scoped_too
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            token = credentials.change_password(
                user=current_user,
                current_password=form.current_password.data,
                new_password=form.new_password.data,
                now=utcnow(),
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            begin_browser_session(token)
            login_user(current_user._get_current_object())
            flash("Your password has changed. You have been signed out everywhere else.", "success")
            return redirect(url_for("accounts.my_account"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/accounts")
@coordinator_only
def list_accounts():
    role_name = request.args.get("role", "")
    role = Role(role_name) if role_name in Role._value2member_map_ else None
    return render_template(
        "accounts/list.html", users=services.list_users(role=role), roles=list(Role), selected_role=role
    )


def _offer_link(user, token: str) -> None:
    """The link is in the outbox (emailed by the delivery worker); the coordinator also sees it once,
    to pass on to someone who cannot get email."""
    session["link_to_show"] = {"user_id": user.id, "link": services.set_password_link(token)}


@bp.route("/accounts/invite", methods=["GET", "POST"])
@coordinator_only
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            user, token = services.invite_user(
                actor=current_user,
                email=form.email.data,
                name=form.name.data,
                roles=[Role(r) for r in form.roles.data],
                now=utcnow(),
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            _offer_link(user, token)
            return redirect(url_for("accounts.account_detail", user_id=user.id))
    return render_template("accounts/invite.html", form=form)


@bp.route("/accounts/<int:user_id>")
@coordinator_only
def account_detail(user_id: int):
    user = services.get_user(user_id)
    link = session.pop("link_to_show", None)
    if link and link.get("user_id") != user.id:
        link = None
    roles_form = RolesForm(data={"roles": sorted(user.roles)})
    return render_template(
        "accounts/detail.html",
        user=user,
        link=link,
        roles_form=roles_form,
        details_form=DetailsForm(obj=user),
        confirm_form=ConfirmForm(),
        may_deactivate=may_deactivate(current_user, user),
    )


def _render_detail_with(user, **forms):
    context = {
        "roles_form": RolesForm(data={"roles": sorted(user.roles)}),
        "details_form": DetailsForm(obj=user),
        "confirm_form": ConfirmForm(),
        "may_deactivate": may_deactivate(current_user, user),
        **forms,
    }
    return render_template("accounts/detail.html", user=user, link=None, **context)


@bp.route("/accounts/<int:user_id>/roles", methods=["POST"])
@coordinator_only
def change_roles(user_id: int):
    user = services.get_user(user_id)
    form = RolesForm()
    if form.validate_on_submit():
        try:
            services.set_roles(actor=current_user, user=user, roles=[Role(r) for r in form.roles.data])
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(f"Roles of {user.name} saved.", "success")
            return redirect(url_for("accounts.account_detail", user_id=user.id))
    return _render_detail_with(user, roles_form=form), 400


@bp.route("/accounts/<int:user_id>/details", methods=["POST"])
@coordinator_only
def change_details(user_id: int):
    user = services.get_user(user_id)
    form = DetailsForm()
    if form.validate_on_submit():
        services.update_details(actor=current_user, user=user, name=form.name.data)
        flash("Details saved.", "success")
        return redirect(url_for("accounts.account_detail", user_id=user.id))
    return _render_detail_with(user, details_form=form), 400


def _account_action(user_id: int, action, done: str):
    user = services.get_user(user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            action(user)
        except RuleViolation as error:
            flash(error.message, "error")
        else:
            flash(done.format(name=user.name), "success")
    return redirect(url_for("accounts.account_detail", user_id=user.id))


@bp.route("/accounts/<int:user_id>/deactivate", methods=["POST"])
@coordinator_only
def deactivate(user_id: int):
    return _account_action(
        user_id,
        lambda user: services.set_active(actor=current_user, user=user, active=False),
        "{name} can no longer sign in. Their sessions have ended.",
    )


@bp.route("/accounts/<int:user_id>/reactivate", methods=["POST"])
@coordinator_only
def reactivate(user_id: int):
    return _account_action(
        user_id,
        lambda user: services.set_active(actor=current_user, user=user, active=True),
        "{name} can sign in again.",
    )


@bp.route("/accounts/<int:user_id>/password-link", methods=["POST"])
@coordinator_only
def password_link(user_id: int):
    def issue(user):
        token = services.issue_password_link(actor=current_user, user=user, now=utcnow())
        _offer_link(user, token)

    return _account_action(user_id, issue, "A new link for {name} is ready. Earlier links no longer work.")
