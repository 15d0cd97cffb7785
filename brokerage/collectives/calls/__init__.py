"""Calls for bids: a collective turns a gap it has seen into a call that partners answer with
bids (models, rules, who may act, the services that write, what the pages show, the email to
the locality's partners and champions). Above money and notices, below bids: a bid may answer a
call, so bids import calls and calls never import bids."""
