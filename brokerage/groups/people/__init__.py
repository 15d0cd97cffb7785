"""A group's people: members, committee, signatories, officers and declared relationships."""
