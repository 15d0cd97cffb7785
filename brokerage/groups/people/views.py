"""The people page: members, committee, signatories, officers and declared relationships."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ...accounts.services import set_password_link
from ...core.input.forms import ConfirmForm, apply_rule_violation
from ...core.values.timeutils import utcnow
from ...core.web.access import signed_in_scoped_too
from ...errors import PermissionDenied, RuleViolation
from ..access import can_edit, can_give_accounts, group_for_editing, group_for_viewing
from ..blueprint import bp
from ..rules import related_pairs
from . import services as people_services
from .forms import AccountForm, OfficersForm, PersonForm, RelationshipForm, RolesForm, offer_accountless, offer_people
from .services import KIND_LABELS, OFFICE_LABELS, declared_relationships


def _render(group, **forms):
    officers = people_services.officers_of(group)
    roles = forms.get("roles") or RolesForm(
        data={
            "committee_ids": [p.id for p in group.people if p.on_committee],
            "signatory_ids": [p.id for p in group.people if p.is_signatory],
        }
    )
    officer_form = forms.get("officers") or OfficersForm(data={o: h.person_id for o, h in officers.items()})
    relationship = forms.get("relationship") or RelationshipForm()
    offer_people(group.people, roles=roles, officers=officer_form, relationship=relationship)
    pairs = related_pairs(declared_relationships(group.id))
    account_form = forms.get("account") or AccountForm()
    offer_accountless(group.people, account_form)
    return render_template(
        "groups/people/index.html",
        group=group,
        person_form=forms.get("person") or PersonForm(),
        roles_form=roles,
        officers_form=officer_form,
        relationship_form=relationship,
        relationships=people_services.relationships_of(group),
        officers=officers,
        related_count={p.id: sum(p.id in pair for pair in pairs) for p in group.people},
        office_labels=OFFICE_LABELS,
        kind_labels=KIND_LABELS,
        confirm_form=ConfirmForm(),
        can_edit=can_edit(current_user, group),
        account_form=account_form,
        can_give_accounts=can_give_accounts(current_user, group),
    )


def _done(group, message: str):
    flash(message, "success")
    return redirect(url_for("groups.people", group_id=group.id))


@bp.route("/<int:group_id>/people")
@signed_in_scoped_too
def people(group_id: int):
    return _render(group_for_viewing(actor=current_user, group_id=group_id))


@bp.route("/<int:group_id>/people/add", methods=["POST"])
@signed_in_scoped_too
def add_person(group_id: int):
    group = group_for_editing(actor=current_user, group_id=group_id)
    form = PersonForm()
    if form.validate_on_submit():
        new = people_services.NewPerson(
            name=form.name.data,
            contact=form.contact.data,
            consent_given=form.consent_given.data,
            consent_on=form.consent_on.data,
            account_email=form.account_email.data,
        )
        try:
            person = people_services.add_person(actor=current_user, group=group, new=new)
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            return _done(group, f"{person.name} is added.")
    return _render(group, person=form)


@bp.route("/<int:group_id>/people/accounts", methods=["POST"])
@signed_in_scoped_too
def give_account(group_id: int):
    group = group_for_viewing(actor=current_user, group_id=group_id)
    if not can_give_accounts(current_user, group):
        raise PermissionDenied()
    form = AccountForm()
    offer_accountless(group.people, form)
    if form.validate_on_submit():
        try:
            given = people_services.give_account(
                actor=current_user, group=group, person_id=form.person_id.data, email=form.email.data, now=utcnow()
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            if given.token is None:
                return _done(group, f"{given.user.name}'s account is linked: they can now sign in and see the group.")
            return _done(
                group,
                f"{given.user.name} is invited: we have emailed them a link to set a password. If "
                f"they cannot get email, give them this link: {set_password_link(given.token)}",
            )
    return _render(group, account=form)


@bp.route("/<int:group_id>/people/roles", methods=["POST"])
@signed_in_scoped_too
def set_roles(group_id: int):
    group = group_for_editing(actor=current_user, group_id=group_id)
    form = RolesForm()
    offer_people(group.people, roles=form, officers=OfficersForm(), relationship=RelationshipForm())
    if form.validate_on_submit():
        try:
            people_services.set_committee_and_signatories(
                actor=current_user,
                group=group,
                committee_ids=set(form.committee_ids.data),
                signatory_ids=set(form.signatory_ids.data),
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            return _done(group, "The committee and signatories are saved.")
    return _render(group, roles=form)


@bp.route("/<int:group_id>/people/officers", methods=["POST"])
@signed_in_scoped_too
def set_officers(group_id: int):
    group = group_for_editing(actor=current_user, group_id=group_id)
    form = OfficersForm()
    offer_people(group.people, roles=RolesForm(), officers=form, relationship=RelationshipForm())
    if form.validate_on_submit():
        holders = {office: getattr(form, office).data or None for office in OFFICE_LABELS}
        try:
            people_services.set_officers(actor=current_user, group=group, holders=holders)
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            return _done(group, "The officers are saved.")
    return _render(group, officers=form)


@bp.route("/<int:group_id>/people/relationships", methods=["POST"])
@signed_in_scoped_too
def declare_relationship(group_id: int):
    group = group_for_editing(actor=current_user, group_id=group_id)
    form = RelationshipForm()
    offer_people(group.people, roles=RolesForm(), officers=OfficersForm(), relationship=form)
    if form.validate_on_submit():
        try:
            people_services.declare_relationship(
                actor=current_user,
                group=group,
                first_id=form.first_id.data,
                second_id=form.second_id.data,
                kind=form.kind.data,
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            return _done(group, "The relationship is recorded.")
    return _render(group, relationship=form)


@bp.route("/<int:group_id>/people/relationships/<int:relationship_id>/withdraw", methods=["POST"])
@signed_in_scoped_too
def withdraw_relationship(group_id: int, relationship_id: int):
    group = group_for_editing(actor=current_user, group_id=group_id)
    if ConfirmForm().validate_on_submit():
        people_services.withdraw_relationship(actor=current_user, group=group, relationship_id=relationship_id)
        return _done(group, "The relationship is withdrawn.")
    return redirect(url_for("groups.people", group_id=group.id))
