"""Users, roles, sign-in, need-to-know and the processing log (DPA 2018 Part 3, s62)."""
