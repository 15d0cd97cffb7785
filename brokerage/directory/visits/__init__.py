"""Guided first visits: from an activity whose club holds the mental-health-friendly mark, a
worker or a person with no account asks to be met at an upcoming session by the club's named lead
or a peer buddy; the club accepts or offers another session; after the date it records whether the
person came and came back, which (with consent) its report counts. Nothing of it is public."""
