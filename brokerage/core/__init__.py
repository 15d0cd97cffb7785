"""Cross-cutting pieces every feature uses: localities, time, money, access control."""
