"""Deposit workflows of member libraries: presets, rules, curators' queue."""
