"""A pull request's effect: the delta between its head and its base (`delta`), and the gate
and baseline that decide which of it fails a CI job (`gate`)."""
