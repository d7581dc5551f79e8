"""OAI-PMH 2.0 for harvesters: the consortium endpoint and one per member library."""
