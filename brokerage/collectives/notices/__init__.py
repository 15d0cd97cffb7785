"""Notices: the messages the collectives send (votes opened, reminders, decisions, deferrals,
bids returned or withdrawn), written to the outbox from plain values by the stage whose change
causes them, inside that stage's unit of work (`messages.py`), to the people `people.py` finds.
Below bids and voting so that both may call it; it never imports them."""
