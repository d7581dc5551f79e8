"""Deposit rules that depend on the depositor's member library."""
