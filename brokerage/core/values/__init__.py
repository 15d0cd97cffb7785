"""Plain values every feature shares: roles, random tokens, time in UTC and Europe/London, postcodes."""
