"""Usage statistics per member library: COUNTER R5.1 events, monthly metrics, SUSHI."""
