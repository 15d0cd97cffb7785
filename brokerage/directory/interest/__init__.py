"""'I'm interested': people with no account leave their interest in an activity; its editors
see the list and can start a peer-led group from it."""
