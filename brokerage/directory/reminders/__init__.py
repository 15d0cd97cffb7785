"""Messages about activities to the people who run them: listings due a check, new "I'm
interested" entries (counts only), and the to-do on their starting page."""
