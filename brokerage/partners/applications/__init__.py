"""Applications to become a community partner: anyone may apply on a public page (a honeypot and a
count per source address keep spam out); coordinators accept (a prospective partner is registered
and its contact invited) or decline with a reason (emailed). Above `people` and `organisations`,
whose services accepting uses."""
