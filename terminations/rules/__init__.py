"""The rules engine: dates of notice periods (Civil Code arts. 201–204, Chinese calendar) and the
money of a termination. Pure functions; no case, no request — usable on their own."""
